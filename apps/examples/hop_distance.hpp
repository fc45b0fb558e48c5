#pragma once
// Example of a user-written vertex program: the number of hops from a source
// vertex to every vertex (breadth-first search), in pull style.
//
// A vertex gathers the smallest hop count among its in-neighbours, keeps it
// if that is shorter than what it has, and if it improved, signals its
// out-neighbours to look again. Signalling the source's out-neighbours starts
// the search; the engine stops when no vertex improves.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "engine/gas/vertex_program.hpp"

namespace hops {

inline constexpr std::uint32_t unreached = std::numeric_limits<std::uint32_t>::max();

struct vertex_state {
  std::uint32_t hops = unreached;
  bool improved = false;
};

// Gathered values combine with +=; here "+=" keeps the minimum, and the
// default value (unreached) is its identity.
struct fewest_hops {
  std::uint32_t value = unreached;
  fewest_hops& operator+=(const fewest_hops& other) {
    value = std::min(value, other.value);
    return *this;
  }
};

struct program : gasworks::program_types<vertex_state> {
  using gather_type = fewest_hops;

  template <class Ctx>
  gasworks::edge_dir gather_edges(const Ctx&, const vertex_type&) const {
    return gasworks::edge_dir::in;
  }
  template <class Ctx>
  fewest_hops gather(const Ctx&, const vertex_type&, const edge_type& e) const {
    const std::uint32_t h = e.source().data().hops;
    return {h == unreached ? unreached : h + 1};
  }
  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, const fewest_hops& best) const {
    auto& d = v.data();
    d.improved = best.value < d.hops;
    if (d.improved) d.hops = best.value;
  }
  template <class Ctx>
  gasworks::edge_dir scatter_edges(const Ctx&, const vertex_type& v) const {
    return v.data().improved ? gasworks::edge_dir::out : gasworks::edge_dir::none;
  }
  template <class Ctx>
  void scatter(const Ctx& ctx, const vertex_type&, edge_type& e) const {
    ctx.signal(e.target());
  }
};

static_assert(gasworks::vertex_program<program>);

}  // namespace hops
