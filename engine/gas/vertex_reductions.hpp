#pragma once
// Whole-graph operations: reductions over vertices or edges, and an in-place
// transform of vertices.
//
// Reductions split the vertex range the same way whatever the thread count
// (a deterministic reduce), so their floating-point result is reproducible.
#include <type_traits>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include "engine/core/types.hpp"
#include "engine/graph/handles.hpp"

namespace gasworks {

struct every_vertex {
  constexpr bool operator()(local_id) const noexcept { return true; }
};

namespace detail {
constexpr local_id reduction_grain = 2048;
}

// Sum over the master vertices v with keep(v) of map(v), with map taking a
// read-only vertex handle. The result type must be default-constructible
// (the zero) and combine with +=.
template <class Graph, class Map, class Keep = every_vertex>
auto map_reduce_vertices(Graph& g, Map&& map, Keep&& keep = {}) {
  using vertex_view = basic_vertex<Graph, false>;
  using result_type = std::decay_t<std::invoke_result_t<Map&, const vertex_view&>>;
  const auto& s = g.structure();
  return tbb::parallel_deterministic_reduce(
      tbb::blocked_range<local_id>(0, g.num_local_vertices(), detail::reduction_grain), result_type{},
      [&](const tbb::blocked_range<local_id>& r, result_type sum) {
        for (local_id v = r.begin(); v != r.end(); ++v)
          if (s.is_master(v) && keep(v)) sum += map(vertex_view(g, v));
        return sum;
      },
      [](result_type x, const result_type& y) {
        x += y;
        return x;
      });
}

// Sum over this shard's edges of map(edge), with map taking a read-only edge
// handle. Edges are split by source vertex the same way whatever the thread
// count, and each vertex's out-edges are summed in order.
template <class Graph, class Map>
auto map_reduce_edges(Graph& g, Map&& map) {
  using edge_view = basic_edge<Graph, false>;
  using result_type = std::decay_t<std::invoke_result_t<Map&, const edge_view&>>;
  const auto& s = g.structure();
  return tbb::parallel_deterministic_reduce(
      tbb::blocked_range<local_id>(0, g.num_local_vertices(), detail::reduction_grain), result_type{},
      [&](const tbb::blocked_range<local_id>& r, result_type sum) {
        for (local_id v = r.begin(); v != r.end(); ++v)
          for (edge_index e = s.out_begin(v), end = s.out_end(v); e != end; ++e)
            sum += map(edge_view(g, v, s.out_target(e), e));
        return sum;
      },
      [](result_type x, const result_type& y) {
        x += y;
        return x;
      });
}

// Calls f(vertex) on every master vertex, in parallel, with writable data.
template <class Graph, class F>
void transform_vertices(Graph& g, F&& f) {
  const auto& s = g.structure();
  tbb::parallel_for(tbb::blocked_range<local_id>(0, g.num_local_vertices(), detail::reduction_grain),
                    [&](const tbb::blocked_range<local_id>& r) {
                      for (local_id v = r.begin(); v != r.end(); ++v) {
                        if (!s.is_master(v)) continue;
                        basic_vertex<Graph, true> vertex(g, v);
                        f(vertex);
                      }
                    });
}

}  // namespace gasworks
