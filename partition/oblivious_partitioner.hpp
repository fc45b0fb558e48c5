#pragma once
// Oblivious greedy placement (Gonzalez et al., PowerGraph, OSDI 2012).
//
// With A(v) the parts that already hold an edge of v (as placed by this
// instance), an edge (u, v) goes to the least-loaded part of
//   1. the parts A(u) and A(v) have in common, if any (no new replica);
//   2. else any part of A(u) or A(v) when both are non-empty (one new replica);
//   3. else whichever of A(u), A(v) is non-empty (one new replica);
//   4. else any part (both endpoints new).
// Ties go to a part picked by the hash of the edge.
//
// In case 2 the paper places the edge with the endpoint that has more edges
// left to place. A streaming loader cannot know that (it has not read them),
// and PowerGraph's own implementation does not use it either: it scores every
// part of A(u) and A(v) alike and lets load decide. So do we.
//
// "Oblivious": each instance knows only the edges it placed itself, so in a
// multi-rank run the ranks do not coordinate.
#include <cstdint>
#include <vector>

#include "partition/partitioner.hpp"
#include "partition/replica_sets.hpp"

namespace gasworks::partition {

class oblivious_partitioner final : public partitioner {
 public:
  explicit oblivious_partitioner(part_id parts);

  method kind() const noexcept override { return method::oblivious; }
  part_id parts() const noexcept override { return replicas_.parts(); }
  void place(std::span<const edge> batch, std::span<part_id> parts_out) override;

 private:
  part_id place_one(const edge& e);

  replica_sets replicas_;
  std::vector<std::uint64_t> loads_;       // edges placed per part
  std::vector<std::uint64_t> candidates_;  // bitset of the parts case 1-4 allows
};

}  // namespace gasworks::partition
