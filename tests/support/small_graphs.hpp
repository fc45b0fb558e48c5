#pragma once
// One-rank graphs written out in a test: edges by global id, plus vertices
// without edges.
#include <utility>
#include <vector>

#include "engine/graph/graph_builder.hpp"

namespace gasworks::testing {

using edge_pairs = std::vector<std::pair<vertex_id, vertex_id>>;

template <class V, class E = empty>
graph<V, E> make_graph(const edge_pairs& edges, std::vector<vertex_id> isolated = {}) {
  graph_builder<E> b;
  for (auto v : isolated) b.add_vertex(v);
  for (auto [s, t] : edges) b.add_edge(s, t);
  return std::move(b).template build<V>();
}

}  // namespace gasworks::testing
