#pragma once
// The steps every engine runs the same way, whatever decides when a vertex
// runs: the gather and scatter of one vertex over its local edges, its apply,
// and the body of a step that runs a set of vertices on every rank at once
// (a superstep of the synchronous engine, a phase of the phased engine).
#include <span>
#include <type_traits>

#include "engine/core/phase_timer.hpp"
#include "engine/core/types.hpp"
#include "engine/gas/frontier.hpp"
#include "engine/gas/replica_exchange.hpp"
#include "engine/gas/vertex_program.hpp"
#include "engine/gas/vertex_reductions.hpp"
#include "engine/graph/handles.hpp"

namespace gasworks {

// Sums term(i) for i in [begin, end). Arithmetic sums use four independent
// partial sums, so consecutive additions do not wait on each other while the
// reads behind them are in flight; the order is fixed, so results stay
// independent of threads.
template <class T, class Term>
[[gnu::always_inline]] inline T sum_range(edge_index begin, edge_index end, Term&& term) {
  if constexpr (std::is_arithmetic_v<T>) {
    T s0{}, s1{}, s2{}, s3{};
    edge_index i = begin;
    for (; i + 4 <= end; i += 4) {
      s0 += term(i);
      s1 += term(i + 1);
      s2 += term(i + 2);
      s3 += term(i + 3);
    }
    for (; i < end; ++i) s0 += term(i);
    return (s0 + s1) + (s2 + s3);
  } else {
    T total{};
    for (edge_index i = begin; i < end; ++i) total += term(i);
    return total;
  }
}

// The program's gather over v's edges held on this rank, in a fixed order.
template <class Program, class Ctx>
[[gnu::always_inline]] inline typename Program::gather_type gather_local_edges(const Program& program, const Ctx& ctx,
                                                 typename Program::graph_type& g, local_id v) {
  using gather_type = typename Program::gather_type;
  using vertex_type = typename Program::vertex_type;
  using edge_type = typename Program::edge_type;
  const auto& s = g.structure();
  const vertex_type vertex(g, v);
  const edge_dir dir = program.gather_edges(ctx, vertex);
  if constexpr (gathers_range<Program, Ctx>) {
    if (dir == edge_dir::none) return gather_type{};
    return program.gather_local(ctx, vertex, local_edges<typename Program::graph_type>(g, v, dir));
  } else if constexpr (gathers_in_place<Program, Ctx>) {
    gather_type total{};
    if (includes_in(dir))
      for (edge_index p = s.in_begin(v), end = s.in_end(v); p != end; ++p)
        program.gather_into(ctx, vertex, edge_type(g, s.in_source(p), v, g.in_edge(p)), total);
    if (includes_out(dir))
      for (edge_index e = s.out_begin(v), end = s.out_end(v); e != end; ++e)
        program.gather_into(ctx, vertex, edge_type(g, v, s.out_target(e), e), total);
    return total;
  } else {
    gather_type total{};
    if (includes_in(dir)) {
      total += sum_range<gather_type>(s.in_begin(v), s.in_end(v), [&](edge_index p) -> gather_type {
        return program.gather(ctx, vertex, edge_type(g, s.in_source(p), v, g.in_edge(p)));
      });
    }
    if (includes_out(dir)) {
      total += sum_range<gather_type>(s.out_begin(v), s.out_end(v), [&](edge_index e) -> gather_type {
        return program.gather(ctx, vertex, edge_type(g, v, s.out_target(e), e));
      });
    }
    return total;
  }
}

// The program's scatter along v's edges held on this rank.
template <class Program, class Ctx>
void scatter_local_edges(const Program& program, const Ctx& ctx, typename Program::graph_type& g, local_id v) {
  using vertex_type = typename Program::vertex_type;
  using edge_type = typename Program::edge_type;
  const auto& s = g.structure();
  const vertex_type vertex(g, v);
  const edge_dir dir = program.scatter_edges(ctx, vertex);
  if constexpr (scatters_range<Program, Ctx>) {
    if (dir != edge_dir::none) program.scatter_local(ctx, vertex, local_edges<typename Program::graph_type>(g, v, dir));
  } else {
    if (includes_in(dir)) {
      for (edge_index p = s.in_begin(v), end = s.in_end(v); p != end; ++p) {
        edge_type e(g, s.in_source(p), v, g.in_edge(p));
        program.scatter(ctx, vertex, e);
      }
    }
    if (includes_out(dir)) {
      for (edge_index e = s.out_begin(v), end = s.out_end(v); e != end; ++e) {
        edge_type edge(g, v, s.out_target(e), e);
        program.scatter(ctx, vertex, edge);
      }
    }
  }
}

// What apply returns, summed over a step: the program's value, or empty.
template <class Program, class Ctx>
using applied_sum_t = std::conditional_t<sums_applies<Program, Ctx>, apply_result_t<Program, Ctx>, empty>;

// Applies v with its gather total and stores what it publishes at
// publish_into[v]; returns what apply returned (empty for void applies).
template <class Program, class Ctx, class Published>
[[gnu::always_inline]] inline applied_sum_t<Program, Ctx> apply_and_publish(const Program& program, const Ctx& ctx,
                                                                           typename Program::graph_type& g, local_id v,
                                                                           const typename Program::gather_type& total,
                                                                           Published* publish_into) {
  typename Program::vertex_type vertex(g, v);
  applied_sum_t<Program, Ctx> result{};
  if constexpr (sums_applies<Program, Ctx>) result = program.apply(ctx, vertex, total);
  else program.apply(ctx, vertex, total);
  if constexpr (publishes<Program>) publish_into[v] = program.publish(vertex);
  return result;
}

// The vertices one step runs, as an engine walks them:
//   each(f)              f(v) for every active replica on this rank, in parallel
//   each_master(f)       f(v) -> applied sum, for every active vertex mastered
//                        here, in parallel; returns the sum of the results
template <class Each, class EachMaster>
struct step_members {
  Each each;
  EachMaster each_master;
};

// The body of a step over the active vertices of every rank, after their
// init: each gathers over its local edges, the partial sums meet at the
// master, the master applies and publishes, vertex data go to the mirrors
// (which publish for themselves), and every replica scatters over its local
// edges. Returns the sum of what the applies returned on this rank.
template <class Program, class Ctx, class Published, class Each, class EachMaster>
applied_sum_t<Program, Ctx> gather_apply_scatter(const Program& program, const Ctx& ctx,
                                                 typename Program::graph_type& g, replica_exchange& exchange,
                                                 const frontier& active, std::span<typename Program::gather_type> partials,
                                                 std::span<Published> published, phase_times& t,
                                                 step_members<Each, EachMaster> members) {
  using vertex_type = typename Program::vertex_type;
  {
    scoped_phase timed(t, phase::gather);
    members.each([&](local_id v) { partials[v] = gather_local_edges(program, ctx, g, v); });
  }
  {
    scoped_phase timed(t, phase::exchange);
    exchange.combine_partials_at_masters(active, partials);
  }
  applied_sum_t<Program, Ctx> applied{};
  {
    scoped_phase timed(t, phase::apply);
    applied = members.each_master([&](local_id v) { return apply_and_publish(program, ctx, g, v, partials[v], published.data()); });
  }
  {
    scoped_phase timed(t, phase::exchange);
    if constexpr (publishes<Program>)
      exchange.broadcast_to_mirrors(active, g.vertex_data(), [&](local_id v) { published[v] = program.publish(vertex_type(g, v)); });
    else
      exchange.broadcast_to_mirrors(active, g.vertex_data());
  }
  {
    scoped_phase timed(t, phase::scatter);
    members.each([&](local_id v) { scatter_local_edges(program, ctx, g, v); });
  }
  return applied;
}

// At the start of a run: vertex data may have been set at the masters since
// the last one, so the mirrors are refreshed and every vertex publishes
// (`published` is empty for programs that publish nothing).
template <class Program, class Published>
void refresh_replicas_and_publish(const Program& program, typename Program::graph_type& g, replica_exchange& exchange,
                                  std::span<Published> published, phase_times& times) {
  {
    scoped_phase timed(times, phase::exchange);
    exchange.broadcast_all_to_mirrors(g.vertex_data());
  }
  if constexpr (publishes<Program>) {
    scoped_phase timed(times, phase::apply);
    transform_vertices(g, [&](const typename Program::vertex_type& v) { published[v.local()] = program.publish(v); });
    exchange.broadcast_all_to_mirrors(published);
  }
}

}  // namespace gasworks
