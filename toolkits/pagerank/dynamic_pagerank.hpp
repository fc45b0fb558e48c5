#pragma once
// Dynamic PageRank: a vertex recomputes its rank only when an in-neighbour's
// rank moved by more than the tolerance (PowerGraph's dynamic PageRank). The
// same program runs on the synchronous engine (signalled vertices run in the
// next superstep) and on the asynchronous one (they run as soon as
// scheduled; signals carry the change they bring as priority, so the
// priority scheduler runs the vertices with the most change waiting first).
//
// networkx's definition spreads the rank of dangling vertices over all
// vertices, which would make every vertex depend on every dangling one: a
// global sum between steps, which an asynchronous run does not have. Since
// the definition is linear, the program computes instead
//     y(v) = 1/n + d * sum over in-edges u->v of y(u) / outdeg(u)
// and the ranks are y / sum(y): with c = (1 - d) + d * (dangling rank),
// networkx's ranks x satisfy x = c/n + d P x, so x = c * y, and sum(x) = 1
// fixes c. Each vertex depends only on its in-neighbours.
#include <cmath>

#include "engine/gas/replica_exchange.hpp"
#include "engine/gas/signal_priority.hpp"
#include "engine/gas/vertex_program.hpp"
#include "engine/gas/vertex_reductions.hpp"
#include "engine/graph/graph.hpp"
#include "toolkits/pagerank/rank_pull.hpp"

namespace gasworks::pagerank {

class dynamic_program : public rank_pull {
 public:
  dynamic_program(double damping, double tolerance) : rank_pull(damping, tolerance) {}

  template <class Ctx>
  void apply(const Ctx& ctx, vertex_type& v, double total) const {
    set_rank(v, 1.0 / static_cast<double>(ctx.num_vertices()) + damping_ * total);
  }

  template <class Ctx>
  edge_dir scatter_edges(const Ctx&, const vertex_type& v) const {
    return std::abs(v.data().change) > tolerance_ ? edge_dir::out : edge_dir::none;
  }
  // The priority is what the change adds to the target's rank, per unit of
  // the work of updating the target (its edges, plus one); the priorities of
  // several signals add up, so a vertex's priority is the total change
  // waiting for it (its residual) per unit of work. Without the division,
  // the priority scheduler on a power-law graph would update the hubs over
  // and over, each time signalling all their neighbours.
  static constexpr priority_rule priority_combine = priority_rule::sum;
  template <class Ctx>
  void scatter(const Ctx& ctx, const vertex_type& v, edge_type& e) const {
    const auto target = e.target();
    const double work = 1.0 + target.num_in_edges() + target.num_out_edges();
    ctx.signal(target, priority{damping_ * std::abs(v.data().change) / v.num_out_edges() / work});
  }
};

static_assert(vertex_program<dynamic_program>);

// Turns the program's y into ranks that sum to 1, at the masters (where
// results are read; mirrors are refreshed when an engine next runs).
inline void normalize_dynamic_ranks(dynamic_program::graph_type& g) {
  replica_exchange exchange(g.structure());
  const double total = exchange.all_reduce_sum(map_reduce_vertices(g, [](const auto& v) { return v.data().rank; }));
  transform_vertices(g, [&](auto& v) { v.data().rank /= total; });
}

}  // namespace gasworks::pagerank
