#pragma once
// The vertex-program contract (gather -> apply -> scatter).
//
// A program is a type with
//   vertex_data, edge_data        what vertices and edges carry (edge_data may be gasworks::empty)
//   gather_type                   combined with +=; gather_type{} must be its identity
//   message_type (optional)       carried by signals, combined with += when several reach a vertex;
//                                 message_type{} must be the identity of +=
// and the const member functions, each taking the engine's context first:
//   gather_edges(ctx, vertex) -> edge_dir
//   gather(ctx, vertex, edge) -> gather_type        for each chosen edge, any thread, any rank
//     or, instead of gather,
//   gather_into(ctx, vertex, edge, gather_type& total)   adds the edge's term into total in place:
//                                                   for gather types that own memory (a k x k
//                                                   matrix), so that no value is built per edge.
//                                                   total starts as gather_type{} for each vertex
//                                                   on each rank; the engine visits the vertex's
//                                                   edges on a rank in a fixed order
//     or
//   gather_local(ctx, vertex, edges) -> gather_type  the range form: the vertex's chosen edges
//                                                   held on this rank at once (local_edges.hpp),
//                                                   for a program that keeps state across them
//   apply(ctx, vertex, total)                       changes vertex data; once per vertex, at the master.
//                                                   It may return a value (trivially copyable,
//                                                   combined with +=, value{} the identity): the
//                                                   synchronous engine sums it over the
//                                                   superstep's applies on every rank, and
//                                                   end_superstep reads the sum with
//                                                   view.applied_sum(), sparing a pass over the
//                                                   vertices (PageRank's total change)
//   scatter_edges(ctx, vertex) -> edge_dir
//   scatter(ctx, vertex, edge)                      may change edge data and signal neighbours
//     or
//   scatter_local(ctx, vertex, edges)               the range form, as for gather
//   init(ctx, vertex, message)  (optional)          before gather, at the master, with the combined
//                                                   message (message_type{} when the vertex was
//                                                   signalled without one); may change vertex data
// A scatter signals with ctx.signal(v) or ctx.signal(v, message), either
// optionally with a gasworks::priority{p} (signal_priority.hpp): the
// asynchronous engine's priority scheduler runs the largest first, the
// synchronous engine ignores it.
// Vertex data change only in init and apply; mirrors receive the master's
// data before the next phase reads it.
// Optional publication: a program may declare
//   published_type, publish(vertex) -> published_type
// Each vertex then publishes a value for its neighbours after every apply
// (and once at the start of a run); gathers and scatters read it with
// ctx.published(neighbour). The engine keeps published values in one
// contiguous array, so a gather that needs only this value reads a few bytes
// per edge instead of the neighbour's whole vertex data (the layout of
// hand-tuned pull kernels: PageRank publishes rank / out-degree). publish()
// must depend only on the vertex (its data and degrees): mirrors call it on
// the data they receive instead of receiving its result.
// A publishing program whose gather reads its neighbours only through
// ctx.published() (never their vertex data) may declare
//   static constexpr bool gathers_published_only = true;
// The synchronous engine may then gather and apply each vertex in one pass
// (one rank, every vertex active): gathers read the values published in the
// last superstep from one array while applies publish into another.
// Optional non-const hooks run once per superstep on every rank, between
// supersteps, with a view of the whole graph (global reductions, signal_all,
// stop, metrics):
//   begin_superstep(view), end_superstep(view)
// The phased engine has instead, once per phase on every rank,
//   end_phase(sum)       sum: what the phase's applies returned, summed over every rank
//
// Deriving from program_types<VertexData, EdgeData> supplies the type names;
// gasworks::empty serves as gather_type for programs that gather nothing.
#include <concepts>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "engine/core/types.hpp"
#include "engine/gas/local_edges.hpp"
#include "engine/gas/signal_priority.hpp"
#include "engine/graph/graph.hpp"
#include "engine/graph/handles.hpp"

namespace gasworks {

template <class VertexData, class EdgeData = empty>
struct program_types {
  using vertex_data = VertexData;
  using edge_data = EdgeData;
  using graph_type = graph<VertexData, EdgeData>;
  using vertex_type = vertex<graph_type>;
  using edge_type = edge<graph_type>;
};

template <class P>
concept has_message_type = requires { typename P::message_type; };

template <class P>
struct message_of { using type = empty; };
template <has_message_type P>
struct message_of<P> { using type = typename P::message_type; };
template <class P>
using message_t = typename message_of<P>::type;

template <class P>
concept publishes = requires(const P& p, const typename P::vertex_type& v) {
  typename P::published_type;
  { p.publish(v) } -> std::convertible_to<typename P::published_type>;
};

// A publishing program whose gather reads neighbours through ctx.published() only.
template <class P>
concept reads_only_published = publishes<P> && requires {
  { P::gathers_published_only } -> std::convertible_to<bool>;
} && P::gathers_published_only;

template <class P>
struct published_of { using type = empty; };
template <publishes P>
struct published_of<P> { using type = typename P::published_type; };
template <class P>
using published_t = typename published_of<P>::type;

// What every engine's context offers a program. Used to check programs
// against the contract; engines pass their own context type.
template <class P>
struct context_archetype {
  using graph_type = typename P::graph_type;
  template <bool W> void signal(const basic_vertex<graph_type, W>&) const;
  template <bool W> void signal(const basic_vertex<graph_type, W>&, const message_t<P>&) const;
  template <bool W> void signal(const basic_vertex<graph_type, W>&, priority) const;
  template <bool W> void signal(const basic_vertex<graph_type, W>&, const message_t<P>&, priority) const;
  template <bool W> const published_t<P>& published(const basic_vertex<graph_type, W>&) const;
  std::uint64_t iteration() const;
  std::uint64_t num_vertices() const;
  std::uint64_t num_edges() const;
  int rank() const;
  int num_ranks() const;
  void stop() const;
};

// Stands for an engine's view between supersteps, to ask whether a program
// has superstep hooks (they take the view as a template parameter).
struct superstep_view_archetype {};

// Programs with begin_superstep or end_superstep hooks need supersteps,
// which only the synchronous engine has.
template <class P>
concept has_superstep_hooks = requires(P& p, superstep_view_archetype& view) { p.begin_superstep(view); } ||
                              requires(P& p, superstep_view_archetype& view) { p.end_superstep(view); };

// The contract, in parts, so that a compiler error names the part that is missing.
template <class P>
concept declares_gas_types = requires {
  typename P::vertex_data;
  typename P::edge_data;
  typename P::gather_type;
  typename P::graph_type;
  typename P::vertex_type;
  typename P::edge_type;
};

template <class T>
concept combinable = std::default_initializable<T> && std::copyable<T> && requires(T& a, const T& b) { a += b; };

template <class P, class Ctx = context_archetype<P>>
concept gathers_by_value = requires(const P& p, const Ctx& ctx, const typename P::vertex_type& v, const typename P::edge_type& e) {
  { p.gather(ctx, v, e) } -> std::convertible_to<typename P::gather_type>;
};

template <class P, class Ctx = context_archetype<P>>
concept gathers_in_place = requires(const P& p, const Ctx& ctx, const typename P::vertex_type& v,
                                    const typename P::edge_type& e, typename P::gather_type& total) {
  p.gather_into(ctx, v, e, total);
};

template <class P, class Ctx = context_archetype<P>>
concept gathers_range = requires(const P& p, const Ctx& ctx, const typename P::vertex_type& v,
                                 const local_edges<typename P::graph_type>& edges) {
  { p.gather_local(ctx, v, edges) } -> std::convertible_to<typename P::gather_type>;
};

template <class P, class Ctx = context_archetype<P>>
concept has_gather = requires(const P& p, const Ctx& ctx, const typename P::vertex_type& v) {
  { p.gather_edges(ctx, v) } -> std::same_as<edge_dir>;
} && (gathers_by_value<P, Ctx> || gathers_in_place<P, Ctx> || gathers_range<P, Ctx>);

template <class P, class Ctx = context_archetype<P>>
concept has_apply = requires(const P& p, const Ctx& ctx, typename P::vertex_type& v, const typename P::gather_type& total) {
  p.apply(ctx, v, total);
};

template <class P, class Ctx = context_archetype<P>>
concept scatters_range = requires(const P& p, const Ctx& ctx, const typename P::vertex_type& v,
                                  const local_edges<typename P::graph_type>& edges) {
  p.scatter_local(ctx, v, edges);
};

template <class P, class Ctx = context_archetype<P>>
concept has_scatter = requires(const P& p, const Ctx& ctx, const typename P::vertex_type& v, typename P::edge_type& e) {
  { p.scatter_edges(ctx, v) } -> std::same_as<edge_dir>;
} && (requires(const P& p, const Ctx& ctx, const typename P::vertex_type& v, typename P::edge_type& e) { p.scatter(ctx, v, e); } ||
      scatters_range<P, Ctx>);

template <class P, class Ctx = context_archetype<P>>
concept has_init = has_message_type<P> && requires(const P& p, const Ctx& ctx, typename P::vertex_type& v, const typename P::message_type& m) {
  p.init(ctx, v, m);
};

// What apply returns, void for most programs.
template <class P, class Ctx>
using apply_result_t = decltype(std::declval<const P&>().apply(std::declval<const Ctx&>(), std::declval<typename P::vertex_type&>(),
                                                              std::declval<const typename P::gather_type&>()));

// A program whose apply returns a value to be summed over the superstep.
template <class P, class Ctx>
concept sums_applies = !std::is_void_v<apply_result_t<P, Ctx>> && combinable<apply_result_t<P, Ctx>>;

template <class P>
concept vertex_program = declares_gas_types<P> && combinable<typename P::gather_type> &&
                         (!has_message_type<P> || combinable<message_t<P>>) && has_gather<P> && has_apply<P> &&
                         has_scatter<P>;

}  // namespace gasworks
