#pragma once
// Light handles through which a vertex program sees the graph: a vertex and
// an edge. They are two words each, created per visit and inlined away.
// A program may change the data of the vertex it runs on (in apply) and of the
// edge it scatters along; a neighbour is reached read-only.
#include "engine/core/types.hpp"

namespace gasworks {

template <class Graph, bool Writable>
class basic_vertex {
 public:
  using graph_type = Graph;
  using data_type = typename Graph::vertex_data_type;

  basic_vertex(Graph& g, local_id v) noexcept : graph_(&g), local_(v) {}

  vertex_id id() const noexcept { return graph_->structure().global_id(local_); }
  local_id local() const noexcept { return local_; }

  const data_type& data() const noexcept { return graph_->vertex_data(local_); }
  data_type& data() noexcept
    requires Writable
  { return graph_->vertex_data(local_); }

  // Degrees in the whole graph, not just this rank's shard.
  std::uint32_t num_in_edges() const noexcept { return graph_->structure().in_degree(local_); }
  std::uint32_t num_out_edges() const noexcept { return graph_->structure().out_degree(local_); }

 private:
  Graph* graph_;
  local_id local_;
};

template <class Graph, bool Writable>
class basic_edge {
 public:
  using graph_type = Graph;
  using data_type = typename Graph::edge_data_type;
  using neighbour_type = basic_vertex<Graph, false>;

  basic_edge(Graph& g, local_id source, local_id target, edge_index e) noexcept
      : graph_(&g), source_(source), target_(target), index_(e) {}

  neighbour_type source() const noexcept { return {*graph_, source_}; }
  neighbour_type target() const noexcept { return {*graph_, target_}; }

  const data_type& data() const noexcept { return graph_->edge_data(index_); }
  data_type& data() noexcept
    requires Writable
  { return graph_->edge_data(index_); }

 private:
  Graph* graph_;
  local_id source_;
  local_id target_;
  edge_index index_;
};

// The handle a program's apply receives (vertex data writable) ...
template <class Graph> using vertex = basic_vertex<Graph, true>;
// ... and the handle a scatter receives (edge data writable).
template <class Graph> using edge = basic_edge<Graph, true>;

}  // namespace gasworks
