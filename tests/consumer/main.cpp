// Counts in-degrees with a vertex program, using only the installed library.
#include <cstdio>

#include "engine/graph/graph_builder.hpp"
#include "engine/sync/sync_engine.hpp"

struct in_degree : gasworks::program_types<unsigned> {
  using gather_type = unsigned;
  template <class C> gasworks::edge_dir gather_edges(const C&, const vertex_type&) const { return gasworks::edge_dir::in; }
  template <class C> unsigned gather(const C&, const vertex_type&, const edge_type&) const { return 1; }
  template <class C> void apply(const C&, vertex_type& v, unsigned n) const { v.data() = n; }
  template <class C> gasworks::edge_dir scatter_edges(const C&, const vertex_type&) const { return gasworks::edge_dir::none; }
  template <class C> void scatter(const C&, const vertex_type&, edge_type&) const {}
};

int main() {
  gasworks::graph_builder<> builder;
  builder.add_edge(1, 2);
  builder.add_edge(3, 2);
  builder.add_edge(2, 1);
  auto g = std::move(builder).build<unsigned>();
  gasworks::sync_engine<in_degree> engine(g, {});
  engine.signal_all();
  engine.run();
  const unsigned expected[] = {1, 2, 0};
  for (gasworks::local_id v = 0; v < 3; ++v) {
    if (g.vertex_data(v) != expected[v]) {
      std::fprintf(stderr, "vertex %llu: in-degree %u, expected %u\n", static_cast<unsigned long long>(g.structure().global_id(v)),
                   g.vertex_data(v), expected[v]);
      return 1;
    }
  }
  std::puts("consumer ok");
  return 0;
}
