#include "partition/replica_sets.hpp"

#include <algorithm>
#include <bit>

#include "engine/core/error.hpp"

namespace gasworks::partition {

replica_sets::replica_sets(part_id parts) : parts_(parts), words_((std::size_t{parts} + 63) / 64) {
  if (parts == 0) throw usage_error("partitioning needs at least one part");
}

std::uint32_t replica_sets::vertex(vertex_id v) {
  const std::uint32_t n = numbering_.number(v);
  if (std::size_t{n} * words_ >= sets_.size()) sets_.resize((std::size_t{n} + 1) * words_, 0);
  return n;
}

bool replica_sets::empty(std::uint32_t vertex) const noexcept {
  const auto w = words(vertex);
  return std::all_of(w.begin(), w.end(), [](std::uint64_t x) { return x == 0; });
}

part_id replica_sets::count(std::uint32_t vertex) const noexcept {
  part_id total = 0;
  for (std::uint64_t x : words(vertex)) total += static_cast<part_id>(std::popcount(x));
  return total;
}

}  // namespace gasworks::partition
