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
  std::vector<vertex_id> vertices;                         // declared vertices (isolated ones included)
  // Set when part of a file was read whose header announces its entry count
  // (Matrix Market): the count, and the entries this part held, so that the
  // readers of all parts can check the total together.
  std::optional<std::uint64_t> announced_entries;
  std::uint64_t entries_read = 0;

  bool weighted() const noexcept { return !weights.empty(); }
};

}  // namespace gasworks::io
