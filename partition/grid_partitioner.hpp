#pragma once
// Grid placement, PowerGraph's 2-D constrained ingress.
//
// The parts are laid out as an r x c grid, r the largest divisor of the part
// count not above its square root (16 -> 4 x 4, 12 -> 3 x 4, 8 -> 2 x 4). A
// vertex hashes to a cell; its constraint set is that cell's row and column,
// r + c - 1 parts. An edge goes to a part in the intersection of its
// endpoints' constraint sets (never empty: it holds the cells (row u, col v)
// and (row v, col u)), the one with the fewest edges placed so far by this
// instance, ties broken by the hash of the edge. Every edge of a vertex lies
// in its constraint set, so no vertex has more than r + c - 1 replicas
// whatever the order of the edges.
//
// The bound is lowest, 2 sqrt(N) - 1, when the part count N is a perfect
// square, and weakens as N's factors grow apart: for a prime N the grid is
// 1 x N, every constraint set is every part, and the method degenerates to
// least-loaded placement over all parts (a bound of N, i.e. none).
#include <cstdint>
#include <vector>

#include "partition/partitioner.hpp"

namespace gasworks::partition {

class grid_partitioner final : public partitioner {
 public:
  explicit grid_partitioner(part_id parts);

  method kind() const noexcept override { return method::grid; }
  part_id parts() const noexcept override { return rows_ * columns_; }
  void place(std::span<const edge> batch, std::span<part_id> parts_out) override;

  part_id rows() const noexcept { return rows_; }
  part_id columns() const noexcept { return columns_; }
  // The most replicas a vertex can have: rows + columns - 1.
  part_id replica_bound() const noexcept { return rows_ + columns_ - 1; }
  // Whether part p lies in the row or the column of v's cell.
  bool in_constraint_set(vertex_id v, part_id p) const noexcept;

 private:
  part_id place_one(const edge& e) const;

  part_id rows_;
  part_id columns_;
  std::vector<std::uint64_t> loads_;  // edges placed per part by this instance
};

}  // namespace gasworks::partition
