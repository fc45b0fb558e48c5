#pragma once
// What a graph reader hands to ingress: edges with external ids, optional
// weights, and the vertices the file declares even when they have no edge.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include "engine/core/types.hpp"

namespace gasworks::io {

struct edge_list {
  std::filesystem::path source;                            // file it came from
  std::vector<std::pair<vertex_id, vertex_id>> edges;      // (source, target), file order
  std::vector<double> weights;                             // empty, or one per edge
  std::vector<vertex_id> vertices;                         // vertices declared one by one (isolated ones included)
  // Vertices 1..declared_through declared by a size line (Matrix Market). Kept
  // as a bound, not a list, so that reading never allocates what a header
  // merely claims; ingress lists them when it builds the graph.
  vertex_id declared_through = 0;
  // Set when part of a file was read whose header announces its entry count
  // (Matrix Market): the count, and the entries this part held, so that the
  // readers of all parts can check the total together.
  std::optional<std::uint64_t> announced_entries;
  std::uint64_t entries_read = 0;

  bool weighted() const noexcept { return !weights.empty(); }
  bool declares_vertices() const noexcept { return declared_through > 0 || !vertices.empty(); }

  // Every declared vertex: 1..declared_through, then the listed ones.
  template <class Visit>
  void for_each_declared(Visit&& visit) const {
    for (vertex_id v = 1; v <= declared_through; ++v) visit(v);
    for (const vertex_id v : vertices) visit(v);
  }
  std::vector<vertex_id> declared_vertices() const {
    std::vector<vertex_id> all;
    all.reserve(declared_through + vertices.size());
    for_each_declared([&](vertex_id v) { all.push_back(v); });
    return all;
  }
};

}  // namespace gasworks::io
