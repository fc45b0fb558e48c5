#pragma once
// Ingress of a reader's edge list into a graph.
#include <type_traits>

#include "engine/graph/graph_builder.hpp"
#include "engine/io/edge_list.hpp"

namespace gasworks {

// Builds a graph from `input`. Weights become edge data when EdgeData is
// arithmetic; otherwise (e.g. gasworks::empty) they are ignored.
template <class VertexData, class EdgeData = empty>
graph<VertexData, EdgeData> build_graph(const io::edge_list& input, ingress_policy policy = {}) {
  graph_builder<EdgeData> builder(policy);
  builder.reserve_edges(input.edges.size());
  input.for_each_declared([&](vertex_id v) { builder.add_vertex(v); });
  for (std::size_t i = 0; i < input.edges.size(); ++i) {
    const auto [s, t] = input.edges[i];
    if constexpr (std::is_arithmetic_v<EdgeData>) {
      builder.add_edge(s, t, input.weighted() ? static_cast<EdgeData>(input.weights[i]) : EdgeData{1});
    } else {
      builder.add_edge(s, t);
    }
  }
  return std::move(builder).template build<VertexData>();
}

}  // namespace gasworks
