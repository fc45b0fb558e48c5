#pragma once
// Results to one place: the value of every vertex, taken at its master and
// collected at rank 0 in ascending id, for writing result files.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "engine/comm/communicator.hpp"
#include "engine/comm/wire.hpp"
#include "engine/core/types.hpp"
#include "engine/graph/handles.hpp"

namespace gasworks {

template <class T>
struct vertex_value {
  vertex_id id;
  T value;
};

// At rank 0: (id, map(vertex)) for every vertex of the graph, ascending id.
// Elsewhere: empty. map takes a read-only vertex handle.
template <class Graph, class Map>
auto gather_at_root(const Graph& g, Map&& map) {
  using vertex_view = basic_vertex<const Graph, false>;
  using value_type = std::decay_t<std::invoke_result_t<Map&, const vertex_view&>>;
  static_assert(wire_encodable<value_type>, "gathered values must be trivially copyable or provide write_to/read_from");
  using entry = vertex_value<value_type>;
  const auto& s = g.structure();
  std::vector<entry> mine;
  for (local_id k = 0; k < s.num_local_vertices(); ++k) {
    const local_id v = s.in_external_id_order(k);
    if (s.is_master(v)) mine.push_back({s.global_id(v), map(vertex_view(g, v))});
  }
  if (s.num_ranks() == 1) return mine;

  communicator& ranks = *s.ranks();
  std::vector<std::vector<std::byte>> out(static_cast<std::size_t>(ranks.size()));
  wire_writer w(out[0]);
  for (const auto& [id, value] : mine) {
    w.put(id);
    encode(w, value);
  }
  const auto in = ranks.all_to_all(out);
  std::vector<entry> all;
  if (ranks.rank() != 0) return all;
  for (const auto& bytes : in) {
    wire_reader r(bytes);
    while (!r.done()) {
      entry& e = all.emplace_back();
      e.id = r.get<vertex_id>();
      decode(r, e.value);
    }
  }
  std::sort(all.begin(), all.end(), [](const entry& x, const entry& y) { return x.id < y.id; });
  return all;
}

}  // namespace gasworks
