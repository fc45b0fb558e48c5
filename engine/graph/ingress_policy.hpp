#pragma once
// What ingress does with edges that a simple directed graph would not have.
#include <optional>
#include <string_view>

namespace gasworks {

struct ingress_policy {
  enum class self_loops { keep, drop };
  enum class duplicates { drop, keep };

  // Kept by default: a self-loop is part of the graph (PageRank then returns
  // part of a vertex's rank to itself, as networkx does).
  self_loops loops = self_loops::keep;
  // Dropped by default, keeping the first occurrence and its data: the input
  // is read as a simple directed graph. `keep` reads a multigraph.
  duplicates parallel_edges = duplicates::drop;
  // Add the reverse of every edge (for undirected inputs stored one way).
  bool symmetrize = false;

  // How local ids are numbered in memory. by_id (the builder's default)
  // follows ascending external id, so that a one-rank graph with ids 0..n-1
  // keeps vertex v at position v. by_degree numbers the vertices with the
  // most edges first, which keeps hubs' values in cache during gathers
  // (vertex_order.hpp); the command-line tools use it. Results are the same
  // up to the order of floating-point additions.
  enum class vertex_order { by_id, by_degree };
  vertex_order order = vertex_order::by_id;
};

std::optional<ingress_policy::self_loops> parse_self_loops(std::string_view name);
std::optional<ingress_policy::duplicates> parse_duplicates(std::string_view name);
std::optional<ingress_policy::vertex_order> parse_vertex_order(std::string_view name);

}  // namespace gasworks
