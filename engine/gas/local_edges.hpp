#pragma once
// The edges of one vertex held on this rank, in one direction or both, as a
// range a program walks itself: the range forms of gather and scatter
// (vertex_program.hpp) receive it, so that a program can keep state across a
// vertex's edges (a dense scratch of counts, say) without a value per edge.
// Edges come in the engine's fixed order: in-edges by source, then
// out-edges by target.
#include <cstdint>

#include "engine/core/types.hpp"
#include "engine/graph/handles.hpp"

namespace gasworks {

template <class Graph>
class local_edges {
 public:
  using edge_type = edge<Graph>;

  local_edges(Graph& g, local_id v, edge_dir dir) noexcept : graph_(&g), v_(v), dir_(dir) {}

  // f(edge_type&) for every edge of the range.
  template <class F>
  void for_each(F&& f) const {
    const auto& s = graph_->structure();
    if (includes_in(dir_))
      for (edge_index p = s.in_begin(v_), end = s.in_end(v_); p != end; ++p) {
        edge_type e(*graph_, s.in_source(p), v_, graph_->in_edge(p));
        f(e);
      }
    if (includes_out(dir_))
      for (edge_index e = s.out_begin(v_), end = s.out_end(v_); e != end; ++e) {
        edge_type edge(*graph_, v_, s.out_target(e), e);
        f(edge);
      }
  }

  // The number of edges in the range.
  std::uint64_t size() const noexcept {
    const auto& s = graph_->structure();
    return (includes_in(dir_) ? s.in_end(v_) - s.in_begin(v_) : 0) + (includes_out(dir_) ? s.out_end(v_) - s.out_begin(v_) : 0);
  }

 private:
  Graph* graph_;
  local_id v_;
  edge_dir dir_;
};

}  // namespace gasworks
