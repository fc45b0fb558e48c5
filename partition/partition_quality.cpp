#include "partition/partition_quality.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "engine/core/error.hpp"
#include "partition/least_loaded.hpp"
#include "partition/replica_sets.hpp"

namespace gasworks::partition {
namespace {

// max / mean of per-part counts; 1 when there is nothing to spread.
double balance(const std::vector<std::uint64_t>& per_part, std::uint64_t total) {
  if (total == 0) return 1;
  const double mean = static_cast<double>(total) / static_cast<double>(per_part.size());
  return static_cast<double>(*std::max_element(per_part.begin(), per_part.end())) / mean;
}

}  // namespace

partition_quality measure_quality(std::span<const edge> edges, std::span<const part_id> placement, part_id parts,
                                  std::span<const vertex_id> isolated) {
  if (parts == 0) throw usage_error("partitioning needs at least one part");
  if (edges.size() != placement.size())
    throw usage_error("measure_quality: " + std::to_string(edges.size()) + " edges but " + std::to_string(placement.size()) +
                      " placements");
  replica_sets replicas(parts);
  std::vector<std::uint64_t> edges_per_part(parts, 0);
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const part_id p = placement[i];
    if (p >= parts)
      throw usage_error("measure_quality: edge " + std::to_string(i) + " placed on part " + std::to_string(p) + " of " +
                        std::to_string(parts));
    ++edges_per_part[p];
    replicas.add(replicas.vertex(edges[i].source), p);
    replicas.add(replicas.vertex(edges[i].target), p);
  }
  for (vertex_id v : isolated) {
    const std::uint32_t number = replicas.vertex(v);
    if (replicas.empty(number)) replicas.add(number, home_part(v, parts));
  }

  partition_quality q;
  q.parts = parts;
  q.vertices = replicas.vertices();
  q.edges = edges.size();
  std::vector<std::uint64_t> replicas_per_part(parts, 0);
  for (std::uint32_t v = 0; v < replicas.vertices(); ++v)
    for_each_part(replicas.words(v), [&](part_id p) {
      ++replicas_per_part[p];
      ++q.replicas;
    });
  if (q.vertices > 0) q.replication_factor = static_cast<double>(q.replicas) / static_cast<double>(q.vertices);
  q.edge_balance = balance(edges_per_part, q.edges);
  q.vertex_balance = balance(replicas_per_part, q.replicas);
  return q;
}

}  // namespace gasworks::partition
