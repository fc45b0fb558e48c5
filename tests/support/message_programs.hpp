#pragma once
// A vertex program that exercises messages: in the first superstep every
// vertex sends (its id, 1) to its out-neighbours; each receiver keeps the
// combined message, i.e. the sum and the number of its in-neighbours.
#include <cstdint>

#include "engine/gas/vertex_program.hpp"

namespace gasworks::testing {

struct id_sum_message {
  std::uint64_t sum = 0;
  std::uint64_t count = 0;
  id_sum_message& operator+=(const id_sum_message& o) {
    sum += o.sum;
    count += o.count;
    return *this;
  }
};

struct sum_of_in_neighbour_ids : program_types<id_sum_message> {
  using gather_type = empty;
  using message_type = id_sum_message;
  template <class C> void init(const C&, vertex_type& v, const message_type& m) const { v.data() = m; }
  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> empty gather(const C&, const vertex_type&, const edge_type&) const { return {}; }
  template <class C> void apply(const C&, vertex_type&, empty) const {}
  template <class C> edge_dir scatter_edges(const C& ctx, const vertex_type&) const {
    return ctx.iteration() == 0 ? edge_dir::out : edge_dir::none;
  }
  template <class C> void scatter(const C& ctx, const vertex_type& v, edge_type& e) const {
    ctx.signal(e.target(), id_sum_message{v.id(), 1});
  }
};

}  // namespace gasworks::testing
