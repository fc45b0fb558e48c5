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
};

std::optional<ingress_policy::self_loops> parse_self_loops(std::string_view name);
std::optional<ingress_policy::duplicates> parse_duplicates(std::string_view name);

}  // namespace gasworks
