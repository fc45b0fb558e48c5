#pragma once
// Graphs the partitioning tests share, and replication counted the plain way
// (a map of sets) to check the library's faster count against.
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <vector>

#include "engine/generators/kronecker.hpp"
#include "partition/partitioner.hpp"

namespace gasworks::partition::testing {

// A skewed (power-law-like) directed graph: 2^scale vertices, 8 edges each.
inline std::vector<edge> kronecker_edges(unsigned scale, std::uint64_t seed = 1) {
  generators::kronecker_params p;
  p.scale = scale;
  p.edge_factor = 8;
  p.seed = seed;
  std::vector<edge> edges;
  generators::generate_kronecker(p, [&](std::uint32_t s, std::uint32_t t) { edges.push_back({s, t}); });
  return edges;
}

// Small, with the awkward cases: a hub, a self-loop, a repeated edge, both
// directions of an edge, large and sparse ids.
inline std::vector<edge> awkward_edges() {
  std::vector<edge> edges;
  for (vertex_id leaf = 1; leaf <= 12; ++leaf) edges.push_back({0, leaf});
  edges.push_back({5, 5});
  edges.push_back({3, 4});
  edges.push_back({3, 4});
  edges.push_back({4, 3});
  edges.push_back({~vertex_id{0}, 7});
  edges.push_back({1'000'000'000'000ull, ~vertex_id{0}});
  return edges;
}

inline std::map<vertex_id, std::set<part_id>> replica_parts(std::span<const edge> edges, std::span<const part_id> placement) {
  std::map<vertex_id, std::set<part_id>> parts;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    parts[edges[i].source].insert(placement[i]);
    parts[edges[i].target].insert(placement[i]);
  }
  return parts;
}

inline double replication_factor(std::span<const edge> edges, std::span<const part_id> placement) {
  const auto parts = replica_parts(edges, placement);
  std::uint64_t replicas = 0;
  for (const auto& [v, where] : parts) replicas += where.size();
  return static_cast<double>(replicas) / static_cast<double>(parts.size());
}

}  // namespace gasworks::partition::testing
