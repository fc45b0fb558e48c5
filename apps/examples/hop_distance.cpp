// gasworks-example-hops: runs the hop_distance example program on a graph.
//   gasworks-example-hops GRAPH SOURCE_ID
// prints how many vertices lie at each distance from the source.
#include <charconv>
#include <cstdio>
#include <exception>
#include <map>
#include <string_view>

#include "apps/examples/hop_distance.hpp"
#include "engine/graph/build_from_edge_list.hpp"
#include "engine/io/read_edge_list.hpp"
#include "engine/sync/sync_engine.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s GRAPH SOURCE_ID\n", argv[0]);
    return 2;
  }
  gasworks::vertex_id source = 0;
  const std::string_view text = argv[2];
  if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), source); ec != std::errc{} || end != text.data() + text.size()) {
    std::fprintf(stderr, "SOURCE_ID must be a vertex id, got '%s'\n", argv[2]);
    return 2;
  }
  try {
    const auto file = gasworks::io::read_edge_list(argv[1], gasworks::io::guess_graph_format(argv[1]));
    auto graph = gasworks::build_graph<hops::vertex_state>(file);

    // The source is at distance 0; its out-neighbours are the first to look.
    const auto s = graph.structure().find(source);
    if (!s) throw std::runtime_error("vertex " + std::to_string(source) + " is not in the graph");
    graph.vertex_data(*s).hops = 0;
    gasworks::sync_engine<hops::program> engine(graph, hops::program{});
    for (auto e = graph.structure().out_begin(*s); e < graph.structure().out_end(*s); ++e)
      engine.signal(graph.structure().global_id(graph.structure().out_target(e)));
    const auto summary = engine.run();

    std::map<std::uint32_t, std::uint64_t> histogram;
    for (const auto& d : graph.vertex_data()) ++histogram[d.hops];
    std::printf("%llu supersteps, %llu updates\n", static_cast<unsigned long long>(summary.supersteps),
                static_cast<unsigned long long>(summary.updates));
    for (const auto& [hops, count] : histogram) {
      if (hops == hops::unreached) std::printf("unreached\t%llu\n", static_cast<unsigned long long>(count));
      else std::printf("%u\t%llu\n", hops, static_cast<unsigned long long>(count));
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
