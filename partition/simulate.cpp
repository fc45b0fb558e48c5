#include "partition/simulate.hpp"

#include "engine/core/error.hpp"
#include "engine/core/phase_timer.hpp"

namespace gasworks::partition {
namespace {

// floor(k m / n), computed without overflowing: k (m mod n) < n^2 <= 2^64.
std::size_t chunk_start(std::size_t m, std::size_t k, std::size_t n) {
  return k * (m / n) + k * (m % n) / n;
}

std::vector<part_id> place_timed(method m, part_id parts, std::span<const edge> edges, double& seconds) {
  if (parts == 0) throw usage_error("partitioning needs at least one part");
  std::vector<part_id> placement(edges.size());
  const stopwatch clock;
  auto first_loader = make_partitioner(m, parts);
  if (first_loader->needs_whole_graph()) {
    first_loader->place(edges, placement);
  } else {
    for (part_id k = 0; k < parts; ++k) {
      const std::size_t first = chunk_start(edges.size(), k, parts), last = chunk_start(edges.size(), std::size_t{k} + 1, parts);
      auto loader = k == 0 ? std::move(first_loader) : make_partitioner(m, parts);
      loader->place(edges.subspan(first, last - first), std::span(placement).subspan(first, last - first));
    }
  }
  seconds = clock.seconds();
  return placement;
}

}  // namespace

std::vector<part_id> place_as_ranks(method m, part_id parts, std::span<const edge> edges) {
  double ignored = 0;
  return place_timed(m, parts, edges, ignored);
}

partition_quality simulate(method m, part_id parts, std::span<const edge> edges, std::span<const vertex_id> isolated) {
  double seconds = 0;
  const std::vector<part_id> placement = place_timed(m, parts, edges, seconds);
  partition_quality q = measure_quality(edges, placement, parts, isolated);
  q.seconds = seconds;
  return q;
}

}  // namespace gasworks::partition
