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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tbb/global_control.h>

#include "engine/cli/number_parsing.hpp"
#include "bench/bench_support.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "engine/generators/kronecker.hpp"
#include "toolkits/pagerank/pagerank.hpp"

namespace {

using namespace gasworks;
using bench::median;

constexpr std::string_view usage_text =
    "Usage: [mpiexec -n N] gasworks-bench-ranks [options]\n"
    "PageRank (fixed supersteps) on a seeded Kronecker graph, symmetrized, on every rank.\n"
    "  --scale S          2^S vertices [20]\n"
    "  --edge-factor F    F * 2^S generated edges [16]\n"
    "  --seed N           generator seed [1]\n"
    "  --iterations N     supersteps per trial [20]\n"
    "  --trials N         trials; the median is reported [3]\n"
    "  --threads N        worker threads per rank [all cores]\n"
    "  --partition M      random|grid|oblivious|hdrf|metis [hdrf]\n"
    "  --vertex-order O   degree|id: how each shard numbers its vertices [degree]\n";

struct bench_options {
  generators::kronecker_params graph;
  std::uint64_t iterations = 20;
  std::uint64_t trials = 3;
  std::optional<unsigned> threads;
  partition::method method = partition::default_method;
  ingress_policy::vertex_order order = ingress_policy::vertex_order::by_degree;
};

bench_options parse_flags(int argc, char** argv) {
  bench_options o;
  o.graph.scale = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (name == "--help" || name == "-h") throw usage_error("");
    if (i + 1 >= argc) throw usage_error(std::string(name) + " needs a value");
    const std::string_view value = argv[++i];
    if (name == "--scale") o.graph.scale = cli::parse_number<unsigned>(name, value, 1, 32);
    else if (name == "--edge-factor") o.graph.edge_factor = cli::parse_number<std::uint64_t>(name, value, 1, 1024);
    else if (name == "--seed") o.graph.seed = cli::parse_number<std::uint64_t>(name, value);
    else if (name == "--iterations") o.iterations = cli::parse_number<std::uint64_t>(name, value, 1, 100000);
    else if (name == "--trials") o.trials = cli::parse_number<std::uint64_t>(name, value, 1, 1000);
    else if (name == "--threads") o.threads = cli::parse_number<unsigned>(name, value, 1, 1024);
    else if (name == "--partition") o.method = partition::parse_method(value);
    else if (name == "--vertex-order") {
      const auto order = parse_vertex_order(value);
      if (!order) throw usage_error("--vertex-order expects degree or id, got '" + std::string(value) + "'");
      o.order = *order;
    }
    else throw usage_error("unknown flag " + std::string(name));
  }
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

int main(int argc, char** argv) { return gasworks::bench::main_on_ranks(argc, argv, usage_text, parse_flags, run_bench); }
