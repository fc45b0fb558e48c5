// gasworks-bench-partition: every vertex-cut method on one graph, for
// several part counts, as `gasworks partition --all` reports them.
//
// Generated graphs (Kronecker, uniform) need no file, so the methods can be
// compared on graphs larger than the shared data sets; files are read as the
// partition command reads them.
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cli/number_parsing.hpp"
#include "engine/core/error.hpp"
#include "engine/generators/kronecker.hpp"
#include "engine/generators/uniform_random.hpp"
#include "engine/io/read_edge_list.hpp"
#include "engine/core/phase_timer.hpp"
#include "partition/edge_stream.hpp"
#include "partition/simulate.hpp"

namespace {

using namespace gasworks;

constexpr std::string_view usage_text = R"(usage: gasworks-bench-partition [flags]

Places a graph's edges with every partitioning method for each part count
and prints replication factor, edge and vertex balance and placement time
(one process imitating N ranks, as 'gasworks partition' does).

  --graph kron|uniform|FILE  Kronecker (Graph500 a=.57 b=.19 c=.19), uniform
                             random, or an edge-list file (format from its
                             extension: .mtx .csv .adj .tsv, else snap) [kron]
  --scale S                  2^S vertices for generated graphs, 1..31 [16]
  --edge-factor K            K * 2^S generated edges, 1..1000000 [16]
  --seed N                   generator seed [1]
  --parts N,N,...            part counts, each 1..1024 [2,4,8,16]
  --symmetrize               add the reverse of every edge
  --help                     this text

Edges keep their generation or file order; self-loops are kept and repeated
edges dropped, as the graph builder does by default.
Exit status: 0 ok, 1 a run failed, 2 bad flags.
)";

struct bench_options {
  std::string graph = "kron";
  unsigned scale = 16;
  std::uint64_t edge_factor = 16;
  std::uint64_t seed = 1;
  std::vector<partition::part_id> parts = {2, 4, 8, 16};
  bool symmetrize = false;
};

class help_requested {};

std::vector<partition::part_id> parse_part_list(std::string_view text) {
  std::vector<partition::part_id> parts;
  while (true) {
    const auto comma = text.find(',');
    parts.push_back(cli::parse_number<unsigned>("parts", text.substr(0, comma), 1, 1024));
    if (comma == std::string_view::npos) return parts;
    text.remove_prefix(comma + 1);
  }
}

bench_options parse_flags(int argc, char** argv) {
  bench_options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") throw help_requested{};
    if (flag == "--symmetrize") {
      o.symmetrize = true;
      continue;
    }
    const bool valued = flag == "--graph" || flag == "--scale" || flag == "--edge-factor" || flag == "--seed" || flag == "--parts";
    if (!valued) throw usage_error("unknown argument '" + std::string(flag) + "'");
    if (i + 1 >= argc) throw usage_error(std::string(flag) + " needs a value");
    const std::string_view name = flag.substr(2), value = argv[++i];
    if (name == "graph") {
      if (value.empty()) throw usage_error("--graph needs a value");
      o.graph = value;
    } else if (name == "scale") {
      o.scale = cli::parse_number<unsigned>(name, value, 1, 31);
    } else if (name == "edge-factor") {
      o.edge_factor = cli::parse_number<std::uint64_t>(name, value, 1, 1'000'000);
    } else if (name == "seed") {
      o.seed = cli::parse_number<std::uint64_t>(name, value);
    } else {
      o.parts = parse_part_list(value);
    }
  }
  return o;
}

template <class Generator>
std::vector<partition::edge> generate(const Generator& generator) {
  std::vector<partition::edge> edges;
  edges.reserve(generator.edge_count());
  generators::for_each_edge(generator, [&](std::uint32_t s, std::uint32_t t) { edges.push_back({s, t}); });
  return edges;
}

std::vector<partition::edge> load(const bench_options& o, std::vector<vertex_id>& isolated) {
  ingress_policy policy;
  policy.symmetrize = o.symmetrize;
  if (o.graph == "kron") {
    generators::kronecker_params p;
    p.scale = o.scale;
    p.edge_factor = o.edge_factor;
    p.seed = o.seed;
    return partition::apply_ingress_policy(generate(generators::kronecker_generator(p)), policy);
  }
  if (o.graph == "uniform") {
    const auto p = generators::uniform_random_params::from_scale(o.scale, o.edge_factor, o.seed);
    return partition::apply_ingress_policy(generate(generators::uniform_random_generator(p)), policy);
  }
  io::edge_list list = io::read_edge_list(o.graph, io::guess_graph_format(o.graph));
  isolated = std::move(list.vertices);
  return partition::edge_stream(list, policy);
}

int run_bench(const bench_options& o) {
  const stopwatch load_clock;
  std::vector<vertex_id> isolated;
  const std::vector<partition::edge> edges = load(o, isolated);
  std::printf("graph %s", o.graph.c_str());
  if (o.graph == "kron" || o.graph == "uniform")
    std::printf(" scale %u edge-factor %llu seed %llu", o.scale, static_cast<unsigned long long>(o.edge_factor),
                static_cast<unsigned long long>(o.seed));
  std::printf("%s: %llu edges, loaded in %.2f s\n", o.symmetrize ? " (symmetrized)" : "",
              static_cast<unsigned long long>(edges.size()), load_clock.seconds());
  std::printf("%-10s %5s %9s %11s %13s %15s %9s\n", "method", "parts", "vertices", "replication", "edge balance",
              "vertex balance", "seconds");
  for (partition::part_id parts : o.parts) {
    for (partition::method m : partition::all_methods) {
      const partition::partition_quality q = partition::simulate(m, parts, edges, isolated);
      std::printf("%-10s %5u %9llu %11.3f %13.3f %15.3f %9.3f\n", std::string(partition::name(m)).c_str(), parts,
                  static_cast<unsigned long long>(q.vertices), q.replication_factor, q.edge_balance, q.vertex_balance, q.seconds);
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bench_options options;
  try {
    options = parse_flags(argc, argv);
  } catch (const help_requested&) {
    std::fputs(usage_text.data(), stdout);
    return 0;
  } catch (const gasworks::usage_error& e) {
    std::fprintf(stderr, "error: %s\n\n%s", e.what(), usage_text.data());
    return 2;
  }
  try {
    return run_bench(options);
  } catch (const gasworks::usage_error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
