#pragma once
// A program that records the order in which vertices run: on its first run,
// vertex `raiser` signals its out-neighbours with priority `raised`. The
// schedulers' tests read the order back.
#include <cstdint>
#include <vector>

#include "engine/gas/vertex_program.hpp"

namespace gasworks::testing {

struct order_log : program_types<std::uint32_t> {
  using gather_type = empty;
  std::vector<vertex_id>* log = nullptr;
  vertex_id raiser = 0;
  double raised = 0;
  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> empty gather(const C&, const vertex_type&, const edge_type&) const { return {}; }
  template <class C> void apply(const C&, vertex_type& v, empty) const {
    log->push_back(v.id());
    ++v.data();
  }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type& v) const {
    return v.id() == raiser && v.data() == 1 ? edge_dir::out : edge_dir::none;
  }
  template <class C> void scatter(const C& ctx, const vertex_type&, edge_type& e) const {
    ctx.signal(e.target(), priority{raised});
  }
};

}  // namespace gasworks::testing
