#pragma once
// Topic counts gathered densely and handed out sparse: a dense vector of K
// counts that remembers which topics it touched, so that emptying it into a
// topic_counts costs those topics, not K. A worker keeps one across the
// vertices it gathers.
#include <cstdint>
#include <span>
#include <vector>

#include "toolkits/lda/topic_counts.hpp"

namespace gasworks::lda {

class topic_histogram {
 public:
  void add(topic_id k, std::int32_t delta) {
    if (k >= counts_.size()) counts_.resize(std::size_t{k} + 1, 0);
    if (counts_[k] == 0) touched_.push_back(k);
    counts_[k] += delta;
  }

  // One count for each token's topic.
  void add_all(std::span<const topic_id> topics) {
    for (topic_id k : topics) add(k, 1);
  }

  // The moves of a block of tokens: +1 for each topic now, -1 for the topic
  // before, where the two differ.
  void add_moves(std::span<const topic_id> now, std::span<const topic_id> before) {
    for (std::size_t i = 0; i < now.size(); ++i)
      if (now[i] != before[i]) {
        add(now[i], 1);
        add(before[i], -1);
      }
  }

  // The nonzero counts in ascending topic order; the histogram is left empty.
  topic_counts take() {
    std::vector<topic_count> nonzero;
    nonzero.reserve(touched_.size());
    for (topic_id k : touched_) {
      if (counts_[k] != 0) nonzero.push_back({k, counts_[k]});
      counts_[k] = 0;
    }
    touched_.clear();
    topic_counts result(std::move(nonzero));
    result.sort_by_topic();
    return result;
  }

 private:
  std::vector<std::int32_t> counts_;  // dense, zero outside touched_
  std::vector<topic_id> touched_;     // topics counted since the last take()
};

}  // namespace gasworks::lda
