// gasworks-bench-pagerank: the engine's PageRank against a hand-written CSR
// pull kernel on the same graph, in the same run.
//
// Builds (or reads) one graph, then for each trial runs the engine's
// PageRank (fixed number of iterations) and the kernel on the same in-edge
// arrays, and reports time per iteration, the engine/kernel ratio, memory
// per edge and the largest rank difference between the two (which must stay
// below 1e-9, or the program exits with 1).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include "bench/bench_support.hpp"
#include "bench/csr_pull_pagerank.hpp"
#include "bench/memory_usage.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/core/error.hpp"
#include "engine/core/large_vector.hpp"
#include "engine/core/mix_hash.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/generators/kronecker.hpp"
#include "engine/generators/uniform_random.hpp"
#include "engine/graph/build_from_edge_list.hpp"
#include "engine/graph/graph_builder.hpp"
#include "engine/io/read_edge_list.hpp"
#include "toolkits/pagerank/pagerank.hpp"

namespace {

using namespace gasworks;
using bench::median;
using pagerank_graph = pagerank::program::graph_type;

constexpr double rank_tolerance = 1e-9;

constexpr const char* description =
    "Runs the engine's PageRank and a hand-written CSR pull kernel on the same\n"
    "graph and compares time per iteration, memory and ranks.\n"
    "\n"
    "Prints one line per trial, summaries, and a final JSON line with all figures.\n"
    "The first trial is also reported apart from the others (steady state), since\n"
    "it pays for first touches of memory and cold caches.\n"
    "Exit status: 0 ok, 1 ranks differ by 1e-9 or more (or a run failed), 2 bad flags.";

struct bench_options {
  std::string graph;
  unsigned scale = 0;
  std::uint64_t edge_factor = 0;
  std::uint64_t seed = 0;
  bool directed = false;
  ingress_policy::vertex_order order = ingress_policy::vertex_order::by_degree;
  std::uint64_t iterations = 0;
  unsigned trials = 0;
  std::optional<unsigned> threads;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("graph", po::value<std::string>()->value_name("kron|uniform|FILE")->default_value("kron"),
       "Kronecker (Graph500 a=.57 b=.19 c=.19), uniform random, or an edge-list file "
       "(format from its extension: .mtx .csv .adj .tsv, else snap)")
      ("scale", po::value<std::string>()->value_name("S")->default_value("20"), "2^S vertices for generated graphs, 1..31")
      ("edge-factor", po::value<std::string>()->value_name("K")->default_value("16"), "K * 2^S generated edges, 1..1000000")
      ("seed", po::value<std::string>()->value_name("N")->default_value("1"), "generator seed")
      ("directed", "keep a FILE's edges one-way (generated graphs are always symmetrized, as in Graph500)")
      ("vertex-order", po::value<std::string>()->value_name("degree|id")->default_value("degree"),
       "how ingress numbers the vertices; the kernel reads the same numbering")
      ("iterations", po::value<std::string>()->value_name("N")->default_value("20"), "PageRank iterations per trial, 1..1000000")
      ("trials", po::value<std::string>()->value_name("T")->default_value("5"), "trials, 1..1000")
      ("threads", po::value<std::string>()->value_name("N"), "worker threads, 1..1024 (default: all cores)");
}

bench_options read_flags(const cli::command_line& cmd) {
  bench_options o;
  o.graph = cmd.text("graph");
  if (o.graph.empty()) throw usage_error("--graph needs a value");
  o.scale = *cmd.number<unsigned>("scale", 1, 31);
  o.edge_factor = *cmd.number<std::uint64_t>("edge-factor", 1, 1'000'000);
  o.seed = *cmd.number<std::uint64_t>("seed", 0, std::numeric_limits<std::uint64_t>::max());
  o.directed = cmd.has("directed");
  o.order = bench::read_vertex_order(cmd);
  o.iterations = *cmd.number<std::uint64_t>("iterations", 1, 1'000'000);
  o.trials = *cmd.number<unsigned>("trials", 1, 1000);
  o.threads = cmd.number<unsigned>("threads", 1, 1024);
  return o;
}

// Medians over the trials after the first; the only trial when there is one.
double steady_median(const std::vector<double>& per_trial) {
  if (per_trial.size() < 2) return median(per_trial);
  return median(std::vector<double>(per_trial.begin() + 1, per_trial.end()));
}

double per_edge(std::uint64_t bytes, std::uint64_t edges) { return edges ? static_cast<double>(bytes) / static_cast<double>(edges) : 0.0; }

struct ingress_report {
  double generate_seconds = 0;      // generating the edges alone (generated graphs)
  std::uint64_t edge_checksum = 0;  // order-independent hash of the generated edges
  double read_seconds = 0;          // reading the file (FILE graphs)
  double ingress_seconds = 0;       // generating or reading, and building the graph
  std::uint64_t peak_rss = 0;       // peak resident bytes during ingress
  bool peak_reset = false;          // false: the peak is the whole process's
};

// Generated graphs stream into the builder a block at a time, so ingress holds
// the builder's edge keys and the finished arrays, never a second edge list.
template <class Generator>
pagerank_graph build_generated(const Generator& generator, ingress_policy::vertex_order order, ingress_report& report) {
  {
    // Generation throughput on its own, without storing anything.
    const stopwatch watch;
    std::uint64_t checksum = 0;
    generators::for_each_edge(generator, [&](std::uint32_t s, std::uint32_t t) {
      checksum += splitmix_finaliser(std::uint64_t{s} << 32 | t);
    });
    report.generate_seconds = watch.seconds();
    report.edge_checksum = checksum;
  }
  report.peak_reset = bench::reset_peak_resident();
  const stopwatch watch;
  graph_builder<> builder = graph_builder<>::dense(generator.vertex_count(), ingress_policy{.symmetrize = true, .order = order});
  builder.reserve_edges(generator.edge_count());
  generators::for_each_edge(generator, [&](std::uint32_t s, std::uint32_t t) { builder.add_edge(s, t); });
  pagerank_graph g = std::move(builder).build<pagerank::vertex_state>();
  report.ingress_seconds = watch.seconds();
  report.peak_rss = bench::peak_resident_bytes().value_or(0);
  return g;
}

pagerank_graph build_from_file(const std::filesystem::path& file, bool directed, ingress_policy::vertex_order order,
                               ingress_report& report) {
  report.peak_reset = bench::reset_peak_resident();
  const stopwatch watch;
  pagerank_graph g = [&] {
    const io::edge_list edges = io::read_edge_list(file, io::guess_graph_format(file));
    report.read_seconds = watch.seconds();
    return build_graph<pagerank::vertex_state>(edges, ingress_policy{.symmetrize = !directed, .order = order});
  }();
  report.ingress_seconds = watch.seconds();
  report.peak_rss = bench::peak_resident_bytes().value_or(0);
  return g;
}

// The kernel's copy of the topology's in-edge arrays, read through its
// accessors, in the same huge-page-backed storage the topology uses.
struct kernel_arrays {
  large_vector<std::uint64_t> offsets;
  large_vector<std::uint32_t> sources;
  large_vector<std::uint32_t> out_degree;

  explicit kernel_arrays(const topology& s)
      : offsets(std::size_t{s.num_local_vertices()} + 1), sources(s.num_local_edges()), out_degree(s.num_local_vertices()) {
    const local_id n = s.num_local_vertices();
    tbb::parallel_for(local_id{0}, n, [&](local_id v) {
      offsets[v] = s.in_begin(v);
      out_degree[v] = s.out_degree(v);
      for (edge_index p = s.in_begin(v); p != s.in_end(v); ++p) sources[p] = s.in_source(p);
    });
    offsets[n] = n ? s.in_end(n - 1) : 0;
  }

  bench::in_edge_arrays view() const { return {offsets, sources, out_degree}; }
  std::size_t bytes() const {
    return offsets.capacity() * sizeof(std::uint64_t) + sources.capacity() * sizeof(std::uint32_t) +
           out_degree.capacity() * sizeof(std::uint32_t);
  }
};

double max_rank_difference(const pagerank_graph& g, std::span<const double> kernel_ranks) {
  double worst = 0;
  for (local_id v = 0; v < g.num_local_vertices(); ++v) worst = std::max(worst, std::abs(g.vertex_data(v).rank - kernel_ranks[v]));
  return worst;
}

// One JSON object on one line, built field by field.
class json_line {
 public:
  json_line& field(std::string_view key, double value) { return raw(key, number(value)); }
  json_line& field(std::string_view key, std::uint64_t value) { return raw(key, std::to_string(value)); }
  json_line& field(std::string_view key, bool value) { return raw(key, value ? "true" : "false"); }
  json_line& field(std::string_view key, std::string_view value) { return raw(key, quoted(value)); }
  // Without this, text given as a character array would pick the bool overload.
  json_line& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
  json_line& field(std::string_view key, const std::vector<double>& values) {
    std::string list = "[";
    for (std::size_t i = 0; i < values.size(); ++i) list += (i ? "," : "") + number(values[i]);
    return raw(key, list + "]");
  }
  std::string str() const { return text_ + "}"; }

 private:
  json_line& raw(std::string_view key, const std::string& value) {
    text_ += (text_.size() > 1 ? "," : "") + quoted(key) + ":" + value;
    return *this;
  }
  static std::string number(double value) {
    if (!std::isfinite(value)) return "null";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
  }
  static std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
      if (static_cast<unsigned char>(c) < 0x20) continue;
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }
  std::string text_ = "{";
};

int run_bench(const bench_options& o) {
  std::optional<tbb::global_control> thread_limit;
  if (o.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, *o.threads);
  const auto threads = static_cast<unsigned>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));

  // Ingress.
  ingress_report ingress;
  const bool generated = o.graph == "kron" || o.graph == "uniform";
  pagerank_graph g = [&] {
    if (o.graph == "kron") {
      generators::kronecker_params p;
      p.scale = o.scale;
      p.edge_factor = o.edge_factor;
      p.seed = o.seed;
      return build_generated(generators::kronecker_generator(p), o.order, ingress);
    }
    if (o.graph == "uniform") {
      const auto p = generators::uniform_random_params::from_scale(o.scale, o.edge_factor, o.seed);
      return build_generated(generators::uniform_random_generator(p), o.order, ingress);
    }
    return build_from_file(o.graph, o.directed, o.order, ingress);
  }();
  const std::uint64_t n = g.num_vertices(), m = g.num_edges();
  const std::uint64_t graph_rss = bench::resident_bytes().value_or(0);

  std::printf("graph %s", o.graph.c_str());
  if (generated)
    std::printf(" scale %u edge-factor %llu seed %llu", o.scale, static_cast<unsigned long long>(o.edge_factor),
                static_cast<unsigned long long>(o.seed));
  const char* order_name = o.order == ingress_policy::vertex_order::by_degree ? "degree" : "id";
  std::printf(" (%s, vertex order %s)\n", generated || !o.directed ? "symmetrized" : "directed", order_name);
  std::printf("vertices %llu  edges %llu  threads %u\n", static_cast<unsigned long long>(n), static_cast<unsigned long long>(m), threads);
  char edge_checksum_text[17];
  std::snprintf(edge_checksum_text, sizeof edge_checksum_text, "%016llx", static_cast<unsigned long long>(ingress.edge_checksum));
  if (generated) std::printf("generation alone      %.3f s (edge checksum %s)\n", ingress.generate_seconds, edge_checksum_text);
  else std::printf("file read             %.3f s\n", ingress.read_seconds);
  std::printf("ingress               %.3f s (%s and graph build)\n", ingress.ingress_seconds, generated ? "generation" : "read");
  std::printf("ingress peak RSS      %.2f bytes/edge (%.1f MiB%s)\n", per_edge(ingress.peak_rss, m),
              static_cast<double>(ingress.peak_rss) / (1 << 20), ingress.peak_reset ? "" : ", peak not resettable: whole process");
  std::printf("graph                 %.2f bytes/edge (topology + vertex data), process RSS %.2f bytes/edge\n",
              per_edge(g.memory_bytes(), m), per_edge(graph_rss, m));

  // The kernel reads its own copy of the in-edge arrays, made once.
  const kernel_arrays arrays(g.structure());
  bench::csr_pull_pagerank kernel(arrays.view(), pagerank::options{}.damping);
  const std::uint64_t kernel_private_bytes = arrays.bytes() + kernel.buffer_bytes();

  pagerank::options engine_options;
  engine_options.run_mode = pagerank::mode::fixed;
  engine_options.iterations = o.iterations;

  std::vector<double> engine_ms, engine_call_ms, kernel_ms;
  phase_times engine_phases;
  std::uint64_t engine_peak = 0, kernel_peak = 0;
  double worst_difference = 0;
  const double iterations = static_cast<double>(o.iterations);

  for (unsigned trial = 1; trial <= o.trials; ++trial) {
    bench::reset_peak_resident();
    const stopwatch call;
    const run_summary summary = pagerank::run(g, engine_options);
    engine_call_ms.push_back(call.seconds() * 1e3 / iterations);
    engine_peak = std::max(engine_peak, bench::peak_resident_bytes().value_or(0));
    if (summary.supersteps != o.iterations) throw std::runtime_error("engine ran " + std::to_string(summary.supersteps) + " supersteps");
    engine_ms.push_back(summary.seconds * 1e3 / iterations);
    engine_phases += summary.times;

    // Timed like the engine's run loop: the iterations, not the setting of the start ranks.
    bench::reset_peak_resident();
    kernel.reset();
    const stopwatch watch;
    kernel.iterate(o.iterations);
    kernel_ms.push_back(watch.seconds() * 1e3 / iterations);
    kernel_peak = std::max(kernel_peak, bench::peak_resident_bytes().value_or(0));

    const double difference = max_rank_difference(g, kernel.ranks());
    worst_difference = std::max(worst_difference, difference);
    std::printf("trial %u  engine %.2f ms/iter (whole call %.2f)  kernel %.2f ms/iter  ratio %.2f  max|diff| %.2e\n", trial,
                engine_ms.back(), engine_call_ms.back(), kernel_ms.back(), engine_ms.back() / kernel_ms.back(), difference);
  }

  const double engine_median = median(engine_ms), kernel_median = median(kernel_ms);
  const double engine_steady = steady_median(engine_ms), kernel_steady = steady_median(kernel_ms);
  const double ratio = engine_median / kernel_median, steady_ratio = engine_steady / kernel_steady;
  // The headline ratio is the median of per-trial ratios: each trial runs both
  // back to back, so it withstands changes of the machine's speed (neighbours
  // on a shared host) that a ratio of medians taken apart does not.
  std::vector<double> trial_ratios;
  for (std::size_t t = 0; t < engine_ms.size(); ++t) trial_ratios.push_back(engine_ms[t] / kernel_ms[t]);
  const double paired_ratio = median(trial_ratios);
  // What each side needs resident while iterating: the engine's peak less the
  // kernel's buffers (alive but idle then); the kernel's arrays and buffers.
  const std::uint64_t engine_resident = engine_peak > kernel_private_bytes ? engine_peak - kernel_private_bytes : engine_peak;
  const double engine_iterations = iterations * o.trials;
  auto phase_ms = [&](phase p) { return engine_phases[p] * 1e3 / engine_iterations; };

  std::printf("first trial           engine %.2f  kernel %.2f ms/iter\n", engine_ms.front(), kernel_ms.front());
  std::printf("steady median         engine %.2f  kernel %.2f ms/iter  ratio of medians %.2f (trials 2..%u)\n", engine_steady,
              kernel_steady, steady_ratio, o.trials);
  std::printf("median                engine %.2f  kernel %.2f ms/iter  ratio of medians %.2f\n", engine_median, kernel_median, ratio);
  std::printf("engine/kernel ratio   %.2f (median of per-trial ratios)\n", paired_ratio);
  std::printf("engine phases        ");
  for (std::size_t p = 0; p < phase_names.size(); ++p)
    std::printf(" %s %.2f", std::string(phase_names[p]).c_str(), phase_ms(static_cast<phase>(p)));
  std::printf(" ms/iter\n");
  std::printf("resident iterating    engine %.2f bytes/edge (process peak %.2f)  kernel-private %.2f bytes/edge\n",
              per_edge(engine_resident, m), per_edge(std::max(engine_peak, kernel_peak), m), per_edge(kernel_private_bytes, m));
  std::printf("max |rank difference| %.3e (limit %.0e)\n", worst_difference, rank_tolerance);

  json_line json;
  json.field("graph", o.graph).field("symmetrized", generated || !o.directed).field("vertex_order", std::string(order_name));
  if (generated) {
    json.field("scale", std::uint64_t{o.scale}).field("edge_factor", o.edge_factor).field("seed", o.seed);
    json.field("edge_checksum", edge_checksum_text).field("generate_seconds", ingress.generate_seconds);
  } else {
    json.field("read_seconds", ingress.read_seconds);
  }
  json.field("vertices", n).field("edges", m).field("threads", std::uint64_t{threads});
  json.field("iterations", o.iterations).field("trials", std::uint64_t{o.trials});
  json.field("ingress_seconds", ingress.ingress_seconds).field("ingress_peak_rss_bytes", ingress.peak_rss);
  json.field("ingress_peak_rss_bytes_per_edge", per_edge(ingress.peak_rss, m)).field("ingress_peak_reset", ingress.peak_reset);
  json.field("graph_rss_bytes_per_edge", per_edge(graph_rss, m)).field("graph_structure_bytes_per_edge", per_edge(g.memory_bytes(), m));
  json.field("engine_ms_per_iteration", engine_ms).field("engine_call_ms_per_iteration", engine_call_ms);
  json.field("kernel_ms_per_iteration", kernel_ms);
  json.field("engine_median_ms", engine_median).field("kernel_median_ms", kernel_median);
  json.field("ratio", paired_ratio).field("ratio_of_medians", ratio);
  json.field("engine_first_ms", engine_ms.front()).field("kernel_first_ms", kernel_ms.front());
  json.field("engine_steady_median_ms", engine_steady).field("kernel_steady_median_ms", kernel_steady);
  json.field("steady_ratio_of_medians", steady_ratio);
  for (std::size_t p = 0; p < phase_names.size(); ++p)
    json.field("engine_" + std::string(phase_names[p]) + "_ms", phase_ms(static_cast<phase>(p)));
  json.field("engine_resident_bytes_per_edge", per_edge(engine_resident, m));
  json.field("process_peak_iterating_bytes_per_edge", per_edge(std::max(engine_peak, kernel_peak), m));
  json.field("kernel_private_bytes_per_edge", per_edge(kernel_private_bytes, m));
  json.field("max_rank_difference", worst_difference).field("ranks_match", worst_difference < rank_tolerance);
  std::printf("%s\n", json.str().c_str());

  if (!(worst_difference < rank_tolerance)) {
    std::fprintf(stderr, "error: engine and kernel ranks differ by %.3e (limit %.0e)\n", worst_difference, rank_tolerance);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  gasworks::cli::command_line cmd("gasworks-bench-pagerank", "[flags]", description);
  declare_flags(cmd);
  return gasworks::bench::main_in_process(argc, argv, cmd, read_flags, run_bench);
}
