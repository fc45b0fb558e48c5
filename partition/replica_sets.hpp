#pragma once
// For every vertex seen so far, the set of parts that hold one of its edges
// (A(v) in the PowerGraph and HDRF papers): the state of the greedy
// streaming partitioners, and what replication is counted from.
//
// Vertices are numbered densely as they appear; each set is a bitset of
// ceil(parts / 64) words, so a vertex costs 8 bytes of sets up to 64 parts
// (plus its numbering) and any part count works.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/core/types.hpp"
#include "engine/graph/vertex_numbering.hpp"
#include "partition/partitioner.hpp"

namespace gasworks::partition {

class replica_sets {
 public:
  explicit replica_sets(part_id parts);

  // The number of `v`, with an empty set when `v` is new. Adding a vertex may
  // move the sets: take words() spans only after numbering both endpoints.
  std::uint32_t vertex(vertex_id v);

  bool holds(std::uint32_t vertex, part_id p) const noexcept {
    return (sets_[vertex * words_ + p / 64] >> (p % 64)) & 1u;
  }
  bool empty(std::uint32_t vertex) const noexcept;
  void add(std::uint32_t vertex, part_id p) noexcept { sets_[vertex * words_ + p / 64] |= std::uint64_t{1} << (p % 64); }
  // Bit p % 64 of word p / 64 says whether part p holds an edge of the vertex.
  std::span<const std::uint64_t> words(std::uint32_t vertex) const noexcept { return {sets_.data() + vertex * words_, words_}; }
  // How many parts hold an edge of the vertex.
  part_id count(std::uint32_t vertex) const noexcept;

  part_id parts() const noexcept { return parts_; }
  std::size_t words_per_set() const noexcept { return words_; }
  std::uint32_t vertices() const noexcept { return numbering_.size(); }
  const vertex_numbering& numbering() const noexcept { return numbering_; }

 private:
  part_id parts_;
  std::size_t words_;
  vertex_numbering numbering_;
  std::vector<std::uint64_t> sets_;
};

}  // namespace gasworks::partition
