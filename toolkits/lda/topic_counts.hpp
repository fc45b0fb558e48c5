#pragma once
// How many tokens of a document or a word are assigned to each topic, kept
// sparse: only topics with a nonzero count appear. A document sees a few
// dozen topics and a rare word a handful, whatever the number of topics K.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/comm/wire.hpp"

namespace gasworks::lda {

// Topics are numbered 0 .. K-1, K at most 65535 (two bytes per token).
using topic_id = std::uint16_t;
inline constexpr std::uint32_t max_topics = 65535;

struct topic_count {
  topic_id topic;
  std::int32_t count;
  friend bool operator==(const topic_count&, const topic_count&) = default;
};

// Nonzero counts in ascending topic order (sort_by_count() reorders them
// largest first, for a reader that wants the main topics first).
class topic_counts {
 public:
  topic_counts() = default;
  explicit topic_counts(std::vector<topic_count> entries) : entries_(std::move(entries)) {}

  std::span<const topic_count> entries() const noexcept { return entries_; }
  bool empty() const noexcept { return entries_.empty(); }
  std::size_t size() const noexcept { return entries_.size(); }

  // The sum of the counts: the tokens of the document or word.
  std::int64_t total() const noexcept {
    std::int64_t n = 0;
    for (const auto& e : entries_) n += e.count;
    return n;
  }

  // Adds o topic by topic; both in ascending topic order. Topics whose sum
  // is zero are dropped.
  topic_counts& operator+=(const topic_counts& o) {
    if (o.entries_.empty()) return *this;
    if (entries_.empty()) {
      entries_ = o.entries_;
      return *this;
    }
    std::vector<topic_count> merged;
    merged.reserve(entries_.size() + o.entries_.size());
    auto a = entries_.cbegin();
    auto b = o.entries_.cbegin();
    while (a != entries_.end() || b != o.entries_.end()) {
      if (b == o.entries_.end() || (a != entries_.end() && a->topic < b->topic)) merged.push_back(*a++);
      else if (a == entries_.end() || b->topic < a->topic) merged.push_back(*b++);
      else {
        const std::int32_t sum = a->count + b->count;
        if (sum != 0) merged.push_back({a->topic, sum});
        ++a;
        ++b;
      }
    }
    entries_ = std::move(merged);
    return *this;
  }

  // Largest count first (ties by ascending topic): the order in which a
  // sampler finds most of a word's mass soonest.
  void sort_by_count() {
    std::sort(entries_.begin(), entries_.end(), [](const topic_count& x, const topic_count& y) {
      return x.count != y.count ? x.count > y.count : x.topic < y.topic;
    });
  }
  void sort_by_topic() {
    std::sort(entries_.begin(), entries_.end(), [](const topic_count& x, const topic_count& y) { return x.topic < y.topic; });
  }

  // Crosses ranks as its length and its entries.
  void write_to(wire_writer& w) const {
    w.put(static_cast<std::uint32_t>(entries_.size()));
    w.put_all(std::span<const topic_count>(entries_));
  }
  void read_from(wire_reader& r) {
    entries_.resize(r.get<std::uint32_t>());
    r.get_all(std::span<topic_count>(entries_));
  }

  friend bool operator==(const topic_counts&, const topic_counts&) = default;

 private:
  std::vector<topic_count> entries_;
};

}  // namespace gasworks::lda
