// gasworks-bench-partition: every vertex-cut method on one graph, for
// several part counts, as `gasworks partition --all` reports them.
//
// Generated graphs (Kronecker, uniform) need no file, so the methods can be
// compared on graphs larger than the shared data sets; files are read as the
// partition command reads them.
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_support.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/cli/number_parsing.hpp"
#include "engine/core/error.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/generators/kronecker.hpp"
#include "engine/generators/uniform_random.hpp"
#include "engine/io/read_edge_list.hpp"
#include "partition/edge_stream.hpp"
#include "partition/simulate.hpp"

namespace {

using namespace gasworks;

constexpr const char* description =
    "Places a graph's edges with every partitioning method for each part count\n"
    "and prints replication factor, edge and vertex balance and placement time\n"
    "(one process imitating N ranks, as 'gasworks partition' does).\n"
    "\n"
    "Edges keep their generation or file order; self-loops are kept and repeated\n"
    "edges dropped, as the graph builder does by default.\n"
    "Exit status: 0 ok, 1 a run failed, 2 bad flags.";

struct bench_options {
  std::string graph;
  unsigned scale = 0;
  std::uint64_t edge_factor = 0;
  std::uint64_t seed = 0;
  std::vector<partition::part_id> parts;
  bool symmetrize = false;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("graph", po::value<std::string>()->value_name("kron|uniform|FILE")->default_value("kron"),
       "Kronecker (Graph500 a=.57 b=.19 c=.19), uniform random, or an edge-list file "
       "(format from its extension: .mtx .csv .adj .tsv, else snap)")
      ("scale", po::value<std::string>()->value_name("S")->default_value("16"), "2^S vertices for generated graphs, 1..31")
      ("edge-factor", po::value<std::string>()->value_name("K")->default_value("16"), "K * 2^S generated edges, 1..1000000")
      ("seed", po::value<std::string>()->value_name("N")->default_value("1"), "generator seed")
      ("parts", po::value<std::string>()->value_name("N,N,...")->default_value("2,4,8,16"), "part counts, each 1..1024")
      ("symmetrize", "add the reverse of every edge");
}

bench_options read_flags(const cli::command_line& cmd) {
  bench_options o;
  o.graph = cmd.text("graph");
  if (o.graph.empty()) throw usage_error("--graph needs a value");
  o.scale = *cmd.number<unsigned>("scale", 1, 31);
  o.edge_factor = *cmd.number<std::uint64_t>("edge-factor", 1, 1'000'000);
  o.seed = *cmd.number<std::uint64_t>("seed", 0, std::numeric_limits<std::uint64_t>::max());
  o.parts = cli::parse_number_list<partition::part_id>("parts", cmd.text("parts"), 1, 1024);
  o.symmetrize = cmd.has("symmetrize");
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
  isolated = list.declared_vertices();
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
  gasworks::cli::command_line cmd("gasworks-bench-partition", "[flags]", description);
  declare_flags(cmd);
  return gasworks::bench::main_in_process(argc, argv, cmd, read_flags, run_bench);
}
