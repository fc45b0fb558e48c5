#include "partition/grid_partitioner.hpp"

#include "engine/core/error.hpp"
#include "partition/least_loaded.hpp"
#include "partition/placement_checks.hpp"

namespace gasworks::partition {
namespace {

// The largest divisor of n that is at most sqrt(n).
part_id grid_rows(part_id n) {
  if (n == 0) throw usage_error("partitioning needs at least one part");
  part_id rows = 1;
  for (std::uint64_t r = 1; r * r <= n; ++r)
    if (n % r == 0) rows = static_cast<part_id>(r);
  return rows;
}

}  // namespace

grid_partitioner::grid_partitioner(part_id parts) : rows_(grid_rows(parts)), columns_(parts / rows_), loads_(parts, 0) {}

bool grid_partitioner::in_constraint_set(vertex_id v, part_id p) const noexcept {
  const part_id cell = home_part(v, parts());
  return p / columns_ == cell / columns_ || p % columns_ == cell % columns_;
}

part_id grid_partitioner::place_one(const edge& e) const {
  const part_id cell = home_part(e.source, parts());
  const part_id row = cell / columns_, column = cell % columns_;
  const part_id other = home_part(e.target, parts());
  const part_id other_row = other / columns_, other_column = other % columns_;
  // The source's row and column, each part once, kept when it is also in the
  // target's row or column.
  auto visit = [&](auto&& f) {
    for (part_id j = 0; j < columns_; ++j)
      if (row == other_row || j == other_column) f(row * columns_ + j);
    for (part_id i = 0; i < rows_; ++i)
      if (i != row && (i == other_row || column == other_column)) f(i * columns_ + column);
  };
  return least_loaded(loads_, visit, edge_hash(e));
}

void grid_partitioner::place(std::span<const edge> batch, std::span<part_id> parts_out) {
  check_batch(batch, parts_out);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const part_id p = place_one(batch[i]);
    ++loads_[p];
    parts_out[i] = p;
  }
}

}  // namespace gasworks::partition
