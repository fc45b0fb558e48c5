// Proof that the ThreadSanitizer build sees races in vertex programs:
//
//   gasworks-test-race-canary racy|atomic
//
// Both run one synchronous superstep and one asynchronous run over a ring of
// vertices, on every worker thread, with an apply that counts the vertices it
// ran in one counter shared by all of them. `racy` counts in a plain integer
// (a data race: ThreadSanitizer must report it), `atomic` in an atomic one
// (nothing to report: oneTBB's own hand-over of tasks to workers must not
// look like a race). scripts/tsan.sh runs both beside the engine's tests.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "engine/async_engine.hpp"
#include "engine/graph/graph_builder.hpp"
#include "engine/sync/sync_engine.hpp"

namespace {

using namespace gasworks;

template <class Counter>
struct counting_program : program_types<std::uint64_t> {
  using gather_type = std::uint64_t;
  Counter* applies = nullptr;

  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::in; }
  template <class C> std::uint64_t gather(const C&, const vertex_type&, const edge_type&) const { return 1; }
  template <class C> void apply(const C&, vertex_type& v, std::uint64_t in_edges) const {
    v.data() = in_edges;
    ++*applies;
  }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> void scatter(const C&, const vertex_type&, edge_type&) const {}
};

template <class Counter>
std::uint64_t run_both_engines() {
  constexpr vertex_id n = 20'000;
  graph_builder<empty> b;
  for (vertex_id v = 0; v < n; ++v) b.add_edge(v, (v + 1) % n);
  auto g = std::move(b).build<std::uint64_t>();
  Counter applies{0};
  counting_program<Counter> program;
  program.applies = &applies;

  sync_engine<counting_program<Counter>> sync(g, program);
  sync.signal_all();
  sync.run();
  async_engine<counting_program<Counter>> async(g, program);
  async.signal_all();
  async.run();
  return applies;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view mode = argc > 1 ? argv[1] : "";
  if (mode != "racy" && mode != "atomic") {
    std::fprintf(stderr, "usage: gasworks-test-race-canary racy|atomic\n");
    return 2;
  }
  const std::uint64_t applies =
      mode == "racy" ? run_both_engines<std::uint64_t>() : run_both_engines<std::atomic<std::uint64_t>>();
  std::printf("%llu applies counted\n", static_cast<unsigned long long>(applies));
  return 0;
}
