// PageRank on a generated graph, on the ranks of an mpiexec job (or one
// process): the cost of going multi-rank. Run it once as one process and
// once under mpiexec with the same total thread count (bench/ranks_vs_threads.sh
// does both, alternating) and compare the times per superstep.
//
// Each rank generates its own share of the edges (the generators are pure
// functions of the edge index), so the graph is the same for every rank
// count; it is then placed by the chosen partitioner and built as shards.
#include <algorithm>
#include <cstring>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "bench/bench_support.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/generators/kronecker.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "toolkits/pagerank/pagerank.hpp"

namespace {

using namespace gasworks;
using bench::median;

constexpr const char* description =
    "PageRank (fixed supersteps) on a seeded Kronecker graph, symmetrized, on every\n"
    "rank; run it as one process or under mpiexec -n N.";

struct bench_options {
  generators::kronecker_params graph;
  std::uint64_t iterations = 0;
  std::uint64_t trials = 0;
  std::optional<unsigned> threads;
  partition::method method = partition::default_method;
  ingress_policy::vertex_order order = ingress_policy::vertex_order::by_degree;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("scale", po::value<std::string>()->value_name("S")->default_value("20"), "2^S vertices, 1..32")
      ("edge-factor", po::value<std::string>()->value_name("F")->default_value("16"), "F * 2^S generated edges, 1..1024")
      ("seed", po::value<std::string>()->value_name("N")->default_value("1"), "generator seed")
      ("iterations", po::value<std::string>()->value_name("N")->default_value("20"), "supersteps per trial, 1..100000")
      ("trials", po::value<std::string>()->value_name("N")->default_value("3"), "trials, 1..1000; the median is reported")
      ("threads", po::value<std::string>()->value_name("N"), "worker threads per rank, 1..1024 (default: all cores)")
      ("partition", po::value<std::string>()->value_name("M")->default_value(std::string(partition::name(partition::default_method))),
       "how edges are spread over the ranks: random|grid|oblivious|hdrf|metis")
      ("vertex-order", po::value<std::string>()->value_name("degree|id")->default_value("degree"),
       "how each shard numbers its vertices");
}

bench_options read_flags(const cli::command_line& cmd) {
  bench_options o;
  o.graph.scale = *cmd.number<unsigned>("scale", 1, 32);
  o.graph.edge_factor = *cmd.number<std::uint64_t>("edge-factor", 1, 1024);
  o.graph.seed = *cmd.number<std::uint64_t>("seed", 0, std::numeric_limits<std::uint64_t>::max());
  o.iterations = *cmd.number<std::uint64_t>("iterations", 1, 100000);
  o.trials = *cmd.number<std::uint64_t>("trials", 1, 1000);
  o.threads = cmd.number<unsigned>("threads", 1, 1024);
  o.method = cmd.partition_method();
  o.order = bench::read_vertex_order(cmd);
  return o;
}

int run_bench(const bench_options& o, const std::shared_ptr<communicator>& ranks) {
  std::optional<tbb::global_control> thread_limit;
  if (o.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, *o.threads);
  const auto threads = static_cast<unsigned>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  const bool speaks = ranks->rank() == 0;

  // This rank's share of the generated edges.
  const generators::kronecker_generator generator(o.graph);
  const std::uint64_t m = generator.edge_count();
  const auto r = static_cast<std::uint64_t>(ranks->rank()), n = static_cast<std::uint64_t>(ranks->size());
  const std::uint64_t first = m / n * r + std::min(r, m % n), last = m / n * (r + 1) + std::min(r + 1, m % n);
  std::vector<generators::generated_edge> generated(last - first);
  generators::generate_edges(generator, first, std::span<generators::generated_edge>(generated));
  std::vector<routed_edge<empty>> edges(generated.size());
  for (std::size_t i = 0; i < generated.size(); ++i) edges[i] = {generated[i].source, generated[i].target, {}};
  std::vector<generators::generated_edge>().swap(generated);

  ingress_options ingress;
  ingress.policy.symmetrize = true;
  ingress.method = o.method;
  ingress.policy.order = o.order;
  ingress_report report;
  auto g = build_shard<pagerank::vertex_state>(ranks, std::move(edges), {}, ingress, &report);
  if (speaks) {
    std::printf("kron scale %u: %llu vertices, %llu edges; %d rank%s x %u thread%s\n", o.graph.scale,
                static_cast<unsigned long long>(g.num_vertices()), static_cast<unsigned long long>(g.num_edges()),
                ranks->size(), ranks->size() == 1 ? "" : "s", threads, threads == 1 ? "" : "s");
    std::printf("ingress: %s\n", report.describe().c_str());
    if (!report.steps.empty()) std::printf("ingress steps: %s\n", report.describe_steps().c_str());
  }

  pagerank::options opts;
  opts.run_mode = pagerank::mode::fixed;
  opts.iterations = o.iterations;
  std::vector<double> per_superstep_ms;
  double bytes_per_superstep = 0;
  for (std::uint64_t t = 0; t < o.trials; ++t) {
    double bytes = 0;
    const auto summary = pagerank::run(g, opts, [&](const superstep_report& s) {
      for (const auto& [name, value] : s.metrics)
        if (name == "bytes_sent_per_rank") bytes += value;
    });
    const double seconds = ranks->all_reduce_max(summary.seconds);
    per_superstep_ms.push_back(1e3 * seconds / static_cast<double>(summary.supersteps));
    bytes_per_superstep = bytes / static_cast<double>(summary.supersteps);
    // Every rank's phases, printed by rank 0 (waiting for a slower rank shows as exchange).
    std::vector<std::byte> mine(sizeof summary.times.seconds);
    std::memcpy(mine.data(), summary.times.seconds.data(), mine.size());
    const auto phases = ranks->all_gather(mine);
    if (speaks) {
      std::printf("trial %llu: %.1f ms per superstep\n", static_cast<unsigned long long>(t + 1), per_superstep_ms.back());
      for (std::size_t rank = 0; rank < phases.size(); ++rank) {
        decltype(summary.times.seconds) rank_seconds;
        std::memcpy(rank_seconds.data(), phases[rank].data(), sizeof rank_seconds);
        std::printf("  rank %zu ms per superstep:", rank);
        for (std::size_t p = 0; p < phase_names.size(); ++p)
          std::printf(" %s %.1f", phase_names[p].data(), 1e3 * rank_seconds[p] / static_cast<double>(summary.supersteps));
        std::printf("\n");
      }
    }
  }
  if (speaks) {
    std::printf("median: %.1f ms per superstep; %.1f MB sent per superstep per rank\n", median(per_superstep_ms),
                bytes_per_superstep / 1e6);
    std::printf("{\"ranks\":%d,\"threads\":%u,\"scale\":%u,\"partition\":\"%s\",\"replication_factor\":%.4f,"
                "\"median_ms_per_superstep\":%.3f,\"bytes_per_superstep_per_rank\":%.0f}\n",
                ranks->size(), threads, o.graph.scale, std::string(partition::name(o.method)).c_str(),
                report.replication_factor, median(per_superstep_ms), bytes_per_superstep);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  gasworks::cli::command_line cmd("gasworks-bench-ranks", "[options]", description);
  declare_flags(cmd);
  return gasworks::bench::main_on_ranks(argc, argv, cmd, read_flags, run_bench);
}
