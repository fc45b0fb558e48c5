#pragma once
// The greedy step the load-aware partitioners share: among candidate parts,
// the one holding the fewest edges, ties broken by a hash (of the edge) so
// that tied parts are picked evenly rather than always the lowest.
#include <bit>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "partition/partitioner.hpp"

namespace gasworks::partition {

// Calls f(p) for every part p whose bit is set in `words` (bit p % 64 of
// word p / 64), in ascending order.
template <class F>
void for_each_part(std::span<const std::uint64_t> words, F&& f) {
  for (std::size_t w = 0; w < words.size(); ++w)
    for (std::uint64_t bits = words[w]; bits != 0; bits &= bits - 1)
      f(static_cast<part_id>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
}

// `visit(f)` calls f(p) for each candidate part, in the same order every
// time, and for at least one part.
template <class Visit>
part_id least_loaded(const std::vector<std::uint64_t>& loads, Visit&& visit, std::uint64_t tie_hash) {
  std::uint64_t lowest = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t ties = 0;
  visit([&](part_id p) {
    if (loads[p] < lowest) {
      lowest = loads[p];
      ties = 1;
    } else if (loads[p] == lowest) {
      ++ties;
    }
  });
  const std::uint64_t pick = ties > 1 ? tie_hash % ties : 0;
  std::uint64_t seen = 0;
  part_id chosen = 0;
  visit([&](part_id p) {
    if (loads[p] == lowest && seen++ == pick) chosen = p;
  });
  return chosen;
}

}  // namespace gasworks::partition
