#pragma once
// Connected components by label propagation, edges taken as undirected:
// every vertex ends with the smallest id of its component. A vertex gathers
// the smallest label over all its edges, keeps it (or its own id) when
// smaller than its label, and when its label drops signals its neighbours
// to look again. Start it by signalling every vertex.
#include <algorithm>
#include <limits>

#include "engine/core/types.hpp"
#include "engine/gas/vertex_program.hpp"

namespace gasworks::testing {

inline constexpr vertex_id no_label = std::numeric_limits<vertex_id>::max();

struct component_label {
  vertex_id label = no_label;
  bool dropped = false;  // the last apply lowered the label
};

// "+=" keeps the minimum; the default value (no_label) is its identity.
struct smallest_label {
  vertex_id value = no_label;
  smallest_label& operator+=(const smallest_label& other) {
    value = std::min(value, other.value);
    return *this;
  }
};

struct min_label_program : program_types<component_label> {
  using gather_type = smallest_label;

  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::all; }
  template <class C> smallest_label gather(const C&, const vertex_type& v, const edge_type& e) const {
    // A self-loop offers the vertex's own label, which changes nothing.
    const auto other = e.source().local() == v.local() ? e.target() : e.source();
    return {other.data().label};
  }
  template <class C> void apply(const C&, vertex_type& v, const smallest_label& best) const {
    auto& d = v.data();
    const vertex_id candidate = std::min(best.value, v.id());
    d.dropped = candidate < d.label;
    if (d.dropped) d.label = candidate;
  }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type& v) const {
    return v.data().dropped ? edge_dir::all : edge_dir::none;
  }
  template <class C> void scatter(const C& ctx, const vertex_type& v, edge_type& e) const {
    ctx.signal(e.source().local() == v.local() ? e.target() : e.source());
  }
};

static_assert(vertex_program<min_label_program>);

}  // namespace gasworks::testing
