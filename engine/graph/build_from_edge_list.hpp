#pragma once
// Ingress of a reader's edge list into a graph.
#include <type_traits>
#include <vector>

#include "engine/graph/graph_builder.hpp"
#include "engine/io/edge_list.hpp"

namespace gasworks {

// Builds a graph from `input`. Weights become edge data when EdgeData is
// arithmetic; otherwise (e.g. gasworks::empty) they are ignored.
template <class VertexData, class EdgeData = empty>
graph<VertexData, EdgeData> build_graph(const io::edge_list& input, ingress_policy policy = {}) {
  const std::vector<vertex_id> declared = input.declared_vertices();
  auto data = [&](std::size_t i) {
    if constexpr (std::is_arithmetic_v<EdgeData>) return input.weighted() ? static_cast<EdgeData>(input.weights[i]) : EdgeData{1};
    else return EdgeData{};
  };
  return graph_builder<EdgeData>::from_edges(
             input.edges.size(), [&](std::size_t i) { return input.edges[i].first; },
             [&](std::size_t i) { return input.edges[i].second; }, data, declared, policy)
      .template build<VertexData>();
}

}  // namespace gasworks
