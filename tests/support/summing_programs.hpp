#pragma once
// Vertex programs that exercise two optional parts of the contract:
//  - in_edge_tally: apply returns a value, and end_superstep records the
//    superstep's sum of those values (view.applied_sum());
//  - published_diffusion: a gather that reads only published values, which
//    the synchronous engine may run in one pass with apply.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/gas/vertex_program.hpp"

namespace gasworks::testing {

// What in_edge_tally's applies add up: vertices applied and their in-edges.
struct applied_tally {
  std::uint64_t vertices = 0;
  std::uint64_t in_edges = 0;
  applied_tally& operator+=(const applied_tally& o) noexcept {
    vertices += o.vertices;
    in_edges += o.in_edges;
    return *this;
  }
  bool operator==(const applied_tally&) const = default;
};

// Superstep 0 runs every vertex; superstep 1 the vertices with even ids.
// Each apply stores the vertex's in-edge count and returns {1, that count};
// `sums` receives every superstep's applied_sum().
struct in_edge_tally : program_types<std::uint64_t> {
  using gather_type = std::uint64_t;
  std::shared_ptr<std::vector<applied_tally>> sums = std::make_shared<std::vector<applied_tally>>();

  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::in; }
  template <class C> std::uint64_t gather(const C&, const vertex_type&, const edge_type&) const { return 1; }
  template <class C> applied_tally apply(const C&, vertex_type& v, std::uint64_t in_edges) const {
    v.data() = in_edges;
    return {1, in_edges};
  }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> void scatter(const C&, const vertex_type&, edge_type&) const {}
  template <class View> void end_superstep(View& view) {
    sums->push_back(view.applied_sum());
    if (view.iteration() == 0) view.signal_where([](const auto& v) { return v.id() % 2 == 0; });
  }
};

// x'(v) = x(v) / 2 + sum over in-edges u->v of x(u) / (outdeg(u) + 1), with
// x(u) / (outdeg(u) + 1) published. Every vertex runs in every superstep
// except those listed in `partial_supersteps`, where only vertices with odd
// ids run, so that runs switch between whole and partial frontiers.
// Declares gathers_published_only when Fused.
template <bool Fused>
struct published_diffusion : program_types<double> {
  using gather_type = double;
  using published_type = double;
  static constexpr bool gathers_published_only = Fused;
  std::vector<std::uint64_t> partial_supersteps;

  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::in; }
  template <class C> double gather(const C& ctx, const vertex_type&, const edge_type& e) const {
    return ctx.published(e.source());
  }
  double publish(const vertex_type& v) const { return v.data() / (v.num_out_edges() + 1.0); }
  template <class C> void apply(const C&, vertex_type& v, double total) const { v.data() = v.data() / 2 + total; }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> void scatter(const C&, const vertex_type&, edge_type&) const {}
  template <class View> void end_superstep(View& view) {
    const std::uint64_t next = view.iteration() + 1;
    if (std::find(partial_supersteps.begin(), partial_supersteps.end(), next) != partial_supersteps.end())
      view.signal_where([](const auto& v) { return v.id() % 2 == 1; });
    else
      view.signal_all();
  }
};

}  // namespace gasworks::testing
