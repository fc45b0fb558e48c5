// gasworks-bench-async: dynamic PageRank on the synchronous engine against
// the asynchronous one (fifo and priority schedulers, edge consistency), and
// the asynchronous engine's consistency overhead (edge against vertex
// consistency), on one graph, in one run.
//
// Each trial runs every configuration once, in turn, so machine noise falls
// on all of them alike; the summary gives medians of time and updates, and
// the L1 distance of each result to the exact ranks (power iteration to an
// L1 change below 1e-14).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "bench/bench_support.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/generators/kronecker.hpp"
#include "engine/graph/build_from_edge_list.hpp"
#include "engine/graph/graph_builder.hpp"
#include "engine/io/read_edge_list.hpp"
#include "toolkits/pagerank/pagerank.hpp"

namespace {

using namespace gasworks;
using pagerank_graph = pagerank::program::graph_type;

constexpr const char* description =
    "Dynamic PageRank: synchronous engine against the asynchronous engine (fifo\n"
    "and priority schedulers under edge consistency, and fifo under vertex\n"
    "consistency for the cost of edge consistency), on the same graph.";

struct bench_options {
  std::string graph;
  unsigned scale = 0;
  double tolerance = 0;
  unsigned trials = 0;
  std::optional<unsigned> threads;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("graph", po::value<std::string>()->value_name("kron|FILE")->default_value("kron"),
       "Kronecker graph (Graph500 parameters, symmetrized) or an edge-list file, read as directed")
      ("scale", po::value<std::string>()->value_name("S")->default_value("20"), "2^S vertices for kron, 1..31")
      ("tol", po::value<std::string>()->value_name("X")->default_value("1e-9"), "dynamic PageRank tolerance per vertex, 0..1")
      ("trials", po::value<std::string>()->value_name("T")->default_value("3"), "trials, 1..1000")
      ("threads", po::value<std::string>()->value_name("N"), "worker threads, 1..1024 (default: all cores)");
}

bench_options read_flags(const cli::command_line& cmd) {
  bench_options o;
  o.graph = cmd.text("graph");
  o.scale = *cmd.number<unsigned>("scale", 1, 31);
  o.tolerance = *cmd.number<double>("tol", 0.0, 1.0);
  o.trials = *cmd.number<unsigned>("trials", 1, 1000);
  o.threads = cmd.number<unsigned>("threads", 1, 1024);
  return o;
}

pagerank_graph load(const bench_options& o) {
  if (o.graph == "kron") {
    generators::kronecker_params p;
    p.scale = o.scale;
    const generators::kronecker_generator generator(p);
    graph_builder<> builder = graph_builder<>::dense(generator.vertex_count(), ingress_policy{.symmetrize = true});
    builder.reserve_edges(generator.edge_count());
    generators::for_each_edge(generator, [&](std::uint32_t s, std::uint32_t t) { builder.add_edge(s, t); });
    return std::move(builder).build<pagerank::vertex_state>();
  }
  return build_graph<pagerank::vertex_state>(io::read_edge_list(o.graph, io::guess_graph_format(o.graph)));
}

struct configuration {
  std::string name;
  std::optional<async_choice> async;  // none: the synchronous engine
};

std::vector<double> ranks_of(const pagerank_graph& g) {
  std::vector<double> r(g.num_local_vertices());
  for (local_id v = 0; v < g.num_local_vertices(); ++v) r[v] = g.vertex_data(v).rank;
  return r;
}

int run(const bench_options& o) {
  std::optional<tbb::global_control> limit;
  if (o.threads) limit.emplace(tbb::global_control::max_allowed_parallelism, *o.threads);
  pagerank_graph g = load(o);
  std::printf("graph: %s, %llu vertices, %llu edges; tolerance %g; %d threads\n", o.graph.c_str(),
              static_cast<unsigned long long>(g.num_vertices()), static_cast<unsigned long long>(g.num_edges()),
              o.tolerance, static_cast<int>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)));

  pagerank::options exact_opts;
  exact_opts.tolerance = 1e-14;
  exact_opts.max_iterations = 10000;
  pagerank::run(g, exact_opts);
  const std::vector<double> exact = ranks_of(g);

  const std::vector<configuration> configurations = {
      {"sync", std::nullopt},
      {"async fifo edge", async_choice{.options = {.consistency = consistency_model::edge}, .scheduler = {.kind = scheduler_kind::fifo}}},
      {"async priority edge", async_choice{.options = {.consistency = consistency_model::edge}, .scheduler = {.kind = scheduler_kind::priority}}},
      {"async fifo vertex", async_choice{.options = {.consistency = consistency_model::vertex}, .scheduler = {.kind = scheduler_kind::fifo}}},
  };
  std::vector<std::vector<double>> seconds(configurations.size()), updates(configurations.size());
  std::vector<double> l1(configurations.size());
  for (unsigned trial = 0; trial < o.trials; ++trial) {
    for (std::size_t c = 0; c < configurations.size(); ++c) {
      pagerank::options opts;
      opts.run_mode = pagerank::mode::dynamic;
      opts.tolerance = o.tolerance;
      opts.max_iterations = 100000;
      opts.asynchronous = configurations[c].async;
      const run_summary s = pagerank::run(g, opts);
      const auto r = ranks_of(g);
      double distance = 0;
      for (std::size_t v = 0; v < r.size(); ++v) distance += std::abs(r[v] - exact[v]);
      seconds[c].push_back(s.seconds);
      updates[c].push_back(static_cast<double>(s.updates));
      l1[c] = std::max(l1[c], distance);
      std::printf("trial %u  %-20s %12llu updates  %8.3f s  L1 to exact %.3g\n", trial + 1, configurations[c].name.c_str(),
                  static_cast<unsigned long long>(s.updates), s.seconds, distance);
      std::fflush(stdout);
    }
  }
  std::printf("\nmedians over %u trials:\n", o.trials);
  std::printf("  %-20s %12s %10s %14s %10s %12s\n", "configuration", "updates", "seconds", "updates/s", "vs sync", "worst L1");
  const double sync_seconds = bench::median(seconds[0]);
  for (std::size_t c = 0; c < configurations.size(); ++c) {
    const double t = bench::median(seconds[c]), u = bench::median(updates[c]);
    std::printf("  %-20s %12.0f %10.3f %14.3g %9.2fx %12.3g\n", configurations[c].name.c_str(), u, t, t > 0 ? u / t : 0.0,
                sync_seconds > 0 ? t / sync_seconds : 0.0, l1[c]);
  }
  const double edge = bench::median(seconds[1]), vertex = bench::median(seconds[3]);
  std::printf("edge consistency overhead (async fifo, edge / vertex consistency): %.2fx\n", vertex > 0 ? edge / vertex : 0.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  gasworks::cli::command_line cmd("gasworks-bench-async", "[flags]", description);
  declare_flags(cmd);
  return gasworks::bench::main_in_process(argc, argv, cmd, read_flags, run);
}
