#pragma once
// The topic of every token of a shard. An edge (document d, word w) carries
// the c tokens of w in d as a block of c consecutive slots of one array: its
// edge data says where the block starts. Blocks are laid out in the shard's
// edge order once the graph is built, and the edges never move afterwards.
// A second array keeps each block's topics from before its last resampling,
// so that a word can count what changed instead of everything.
#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "engine/comm/wire.hpp"
#include "engine/core/mix_hash.hpp"
#include "engine/core/types.hpp"
#include "toolkits/lda/lda_model.hpp"
#include "toolkits/lda/topic_counts.hpp"

namespace gasworks::lda {

// The edge data: the tokens of one word in one document.
struct token_block {
  std::uint64_t first = 0;  // index of the block's first slot in token_topics
  std::uint32_t count = 0;  // tokens in the block
  std::uint32_t stamp = 0;  // which step last resampled the block (the synchronous program's mark)
};

class token_topics {
 public:
  // Lays out the blocks of a shard in edge order and gives every token a
  // topic drawn from (seed, document, word, token), so that the start is
  // the same whatever the ranks and threads.
  template <class Graph>
  void lay_out(Graph& g, std::uint32_t topics, std::uint64_t seed) {
    const auto& s = g.structure();
    std::uint64_t next = 0;
    for (edge_index e = 0; e < s.num_local_edges(); ++e) {
      g.edge_data(e).first = next;
      next += g.edge_data(e).count;
    }
    topics_.assign(next, 0);
    before_.assign(next, 0);
    for (local_id v = 0; v < s.num_local_vertices(); ++v) {
      const std::uint64_t doc = s.global_id(v);
      for (edge_index e = s.out_begin(v); e != s.out_end(v); ++e) {
        const token_block& block = g.edge_data(e);
        const std::uint64_t word = s.global_id(s.out_target(e));
        const std::uint64_t key = mix_hash(seed ^ mix_hash(doc ^ mix_hash(word)));
        for (std::uint32_t i = 0; i < block.count; ++i)
          topics_[block.first + i] = static_cast<topic_id>(mix_hash(key + i) % topics);
      }
    }
  }

  std::span<topic_id> of(const token_block& b) noexcept { return {topics_.data() + b.first, b.count}; }
  std::span<const topic_id> of(const token_block& b) const noexcept { return {topics_.data() + b.first, b.count}; }
  // The block's topics before its last resampling (remember() saves them).
  std::span<const topic_id> before(const token_block& b) const noexcept { return {before_.data() + b.first, b.count}; }
  void remember(const token_block& b) noexcept {
    std::copy_n(topics_.data() + b.first, b.count, before_.data() + b.first);
  }
  // Every block's topics, as if each had just been resampled.
  void remember_all() { before_ = topics_; }
  std::size_t size() const noexcept { return topics_.size(); }

  // Every token's topic and its topic before the last resampling, as a
  // checkpoint keeps them.
  void write_to(wire_writer& w) const {
    w.put(static_cast<std::uint64_t>(topics_.size()));
    w.put_all(std::span<const topic_id>(topics_));
    w.put_all(std::span<const topic_id>(before_));
  }
  void read_from(wire_reader& r) {
    const auto n = r.get<std::uint64_t>();
    if (n != topics_.size()) throw std::invalid_argument("saved token topics of another corpus layout");
    r.get_all(std::span<topic_id>(topics_));
    r.get_all(std::span<topic_id>(before_));
  }

 private:
  std::vector<topic_id> topics_;
  std::vector<topic_id> before_;
};

}  // namespace gasworks::lda
