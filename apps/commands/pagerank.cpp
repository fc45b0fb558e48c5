// gasworks pagerank: reads a graph, ranks its vertices, writes id<TAB>rank.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <numeric>
#include <optional>

#include <tbb/global_control.h>

#include "apps/commands/commands.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/cli/run_observer.hpp"
#include "engine/comm/collective_error.hpp"
#include "engine/core/error.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "engine/ingress/gather_at_root.hpp"
#include "engine/io/atomic_output_file.hpp"
#include "engine/io/write_number.hpp"
#include "toolkits/pagerank/pagerank.hpp"

namespace gasworks::commands {
namespace {

using io::write_number;

using graph_type = pagerank::program::graph_type;

constexpr const char* description =
    "Ranks the vertices of a directed graph by PageRank, as networkx defines it:\n"
    "  rank(v) = (1-d)/n + d * (sum over edges u->v of rank(u)/outdeg(u) + D/n)\n"
    "with damping d and D the rank held by dangling vertices (no out-edges),\n"
    "spread uniformly so that ranks sum to 1. Ranks start at 1/n.\n"
    "\n"
    "Modes:\n"
    "  --iterations N   exactly N supersteps over all vertices\n"
    "  --tol X          (default) all vertices each superstep until the L1 change\n"
    "                   of the whole rank vector is below X (default 1e-9)\n"
    "  --dynamic        only vertices whose rank moved by more than --tol signal\n"
    "                   their out-neighbours (PowerGraph's dynamic PageRank)\n"
    "\n"
    "Dynamic PageRank also runs on the asynchronous engine (--engine async, which\n"
    "implies --dynamic): a signalled vertex runs as soon as the scheduler picks\n"
    "it, and signals carry the rank change as priority (--scheduler priority\n"
    "runs the largest changes first). Dynamic mode computes unnormalised ranks\n"
    "with uniform teleport and no dangling term, and normalises them at the end:\n"
    "by linearity this is the same vector, with no global sum between updates.\n"
    "\n"
    "Output (--out): one line 'id<TAB>rank' per vertex, ascending id, written to\n"
    "a temporary file and renamed, so a failed run never leaves a partial file.";

using ranked_vertex = vertex_value<double>;

// Every vertex's rank, ascending id (at rank 0; empty elsewhere).
std::vector<ranked_vertex> collect_ranks(const graph_type& g) {
  return gather_at_root(g, [](const auto& v) { return v.data().rank; });
}

void write_ranks(const std::filesystem::path& path, const std::vector<ranked_vertex>& ranks) {
  io::atomic_output_file file(path);
  auto& out = file.stream();
  for (const auto& [id, rank] : ranks) {
    out << id << '\t';
    write_number(out, rank);
    out << '\n';
  }
  file.commit();
}

void print_top(std::ostream& out, std::vector<ranked_vertex> ranks, std::size_t k) {
  k = std::min(k, ranks.size());
  std::partial_sort(ranks.begin(), ranks.begin() + static_cast<std::ptrdiff_t>(k), ranks.end(),
                    [](const ranked_vertex& a, const ranked_vertex& b) {
                      return a.value != b.value ? a.value > b.value : a.id < b.id;
                    });
  out << "top " << k << " vertices by rank:\n";
  char line[96];
  std::snprintf(line, sizeof line, "  %4s  %12s  %s\n", "#", "vertex", "rank");
  out << line;
  for (std::size_t i = 0; i < k; ++i) {
    std::snprintf(line, sizeof line, "  %4zu  %12llu  %.6e\n", i + 1, static_cast<unsigned long long>(ranks[i].id),
                  ranks[i].value);
    out << line;
  }
}

std::string describe(const run_summary& s, pagerank::mode mode) {
  switch (s.reason) {
    case termination::stopped: return "converged (L1 change below --tol)";
    case termination::converged: return mode == pagerank::mode::dynamic ? "converged (no vertex left active)" : "converged";
    case termination::max_iterations: return mode == pagerank::mode::fixed ? "done" : "stopped at --max-iterations";
    case termination::timeout: return "stopped at --timeout";
    case termination::max_updates: return "stopped at --max-updates";
  }
  return "";
}

// What the flags ask for.
struct pagerank_request {
  pagerank::options opts;
  std::uint64_t top = 10;
  cli::run_settings settings;
  cli::graph_input input;
  std::optional<std::filesystem::path> out_path;
  cli::checkpoint_request checkpoints;
};

// Parses the flags; nullopt after --help.
std::optional<pagerank_request> parse_request(const command_ranks& ranks, int argc, const char* const* argv) {
  namespace po = boost::program_options;
  cli::command_line cmd("pagerank", "--graph FILE [options]", description);
  cmd.add()
      ("iterations", po::value<std::string>()->value_name("N"), "run exactly N supersteps (fixed mode)")
      ("tol", po::value<std::string>()->value_name("X"), "convergence tolerance (default 1e-9)")
      ("dynamic", "dynamic mode: only changed vertices signal their neighbours")
      ("damping", po::value<std::string>()->value_name("D")->default_value("0.85"), "damping factor in [0, 1]")
      ("out,o", po::value<std::string>()->value_name("FILE"), "write 'id<TAB>rank' lines here")
      ("top", po::value<std::string>()->value_name("K")->default_value("10"), "print the K highest-ranked vertices (0: none)");
  cmd.add_graph_flags();
  cmd.add_engine_flags();
  cmd.add_run_flags();
  cmd.add_checkpoint_flags("supersteps (--engine async: progress reports, one per as many updates as vertices)");
  cmd.set_speaks(ranks->rank() == 0);
  if (!cmd.parse(argc, argv)) return std::nullopt;

  pagerank_request r;
  auto& opts = r.opts;
  opts.damping = *cmd.number<double>("damping", 0.0, 1.0);
  const auto iterations = cmd.number<std::uint64_t>("iterations", 1, std::numeric_limits<std::uint64_t>::max());
  const auto tol = cmd.number<double>("tol", 0.0, 1.0);
  if (iterations && (tol || cmd.has("dynamic")))
    throw usage_error("--iterations runs a fixed number of supersteps; it cannot be combined with --tol or --dynamic");
  const cli::engine_choice engine = cmd.engine(ranks->size());
  if (engine.asynchronous && iterations)
    throw usage_error("--engine async runs dynamic PageRank; it cannot be combined with --iterations");
  opts.run_mode = iterations                                        ? pagerank::mode::fixed
                  : cmd.has("dynamic") || engine.asynchronous ? pagerank::mode::dynamic
                                                                    : pagerank::mode::converge;
  if (engine.asynchronous) opts.asynchronous = engine.async;
  if (iterations) opts.iterations = *iterations;
  if (tol) opts.tolerance = *tol;
  r.top = *cmd.number<std::uint64_t>("top", 0, std::numeric_limits<std::uint64_t>::max());
  r.settings = cli::settings_for_rank(cmd.run(), ranks->rank());
  if (r.settings.max_iterations) {
    if (iterations) throw usage_error("--max-iterations does not apply with --iterations");
    if (engine.asynchronous) throw usage_error("--max-iterations counts supersteps; the asynchronous engine takes --max-updates");
    opts.max_iterations = *r.settings.max_iterations;
  }
  opts.timeout_seconds = r.settings.timeout_seconds;
  r.input = cmd.graph();
  if (cmd.has("out")) r.out_path = cmd.text("out");
  r.checkpoints = cmd.checkpoints({r.input.path}, {"out", "top"});
  if (engine.asynchronous) r.checkpoints.step_name = "progress report";
  return r;
}

}  // namespace

int pagerank(const command_ranks& ranks, int argc, const char* const* argv) {
  // Every rank parses the same flags; a bad one stops all of them alike.
  const auto request = run_collectively(*ranks, [&] { return parse_request(ranks, argc, argv); });
  if (!request) return 0;
  const auto& [parsed_opts, top, settings, input, out_path, checkpoint_flags] = *request;
  pagerank::options opts = parsed_opts;

  std::optional<tbb::global_control> thread_limit;
  if (settings.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, settings.threads);

  ingress_options ingress;
  ingress.policy = input.policy;
  ingress.method = input.partition;
  ingress_report partition;
  auto g = load_graph<pagerank::vertex_state>(ranks, input.path, input.format, ingress, &partition);
  if (!settings.quiet) {
    std::printf("graph: %s (%s), %llu vertices, %llu edges, read in %.2f s\n", input.path.c_str(),
                std::string(io::to_string(input.format)).c_str(), static_cast<unsigned long long>(g.num_vertices()),
                static_cast<unsigned long long>(g.num_edges()), partition.seconds);
    if (partition.ranks > 1) {
      std::printf("partition: %s\n", partition.describe().c_str());
      std::printf("ingress steps: %s\n", partition.describe_steps().c_str());
    }
    std::fflush(stdout);
  }

  const auto checkpoints = run_collectively(
      *ranks, [&] { return cli::open_checkpoints(*ranks, checkpoint_flags, settings.threads, settings.quiet); });
  opts.checkpoints = checkpoints.get();

  cli::run_observer observer(settings, "pagerank", {"l1_change"});
  observer.record(partition);
  if (opts.asynchronous) observer.count_updates();
  const auto summary = pagerank::run(g, opts, std::ref(observer));
  observer.finish();
  const auto result = collect_ranks(g);
  if (out_path && ranks->rank() == 0) write_ranks(*out_path, result);

  if (!settings.quiet && opts.asynchronous) {
    const auto& async = *opts.asynchronous;
    // Several ranks run colour phases, whatever the scheduler.
    const std::string order = ranks->size() > 1 ? std::to_string(summary.supersteps) + " rounds of colour phases"
                                                : std::string(to_string(async.scheduler.kind)) + " scheduler";
    std::printf("pagerank: %s after %llu vertex updates (%.0f per second), %.3f s; asynchronous engine, %s, %s consistency\n",
                describe(summary, opts.run_mode).c_str(), static_cast<unsigned long long>(summary.updates),
                summary.seconds > 0 ? static_cast<double>(summary.updates) / summary.seconds : 0.0, summary.seconds,
                order.c_str(), std::string(to_string(async.options.consistency)).c_str());
  } else if (!settings.quiet) {
    std::printf("pagerank: %s after %llu supersteps, %llu vertex updates, %.3f s (gather %.3f, apply %.3f, scatter %.3f, exchange %.3f)\n",
                describe(summary, opts.run_mode).c_str(), static_cast<unsigned long long>(summary.supersteps),
                static_cast<unsigned long long>(summary.updates), summary.seconds, summary.times[phase::gather],
                summary.times[phase::apply], summary.times[phase::scatter], summary.times[phase::exchange]);
  }
  if (!settings.quiet) {
    if (top > 0) print_top(std::cout, result, static_cast<std::size_t>(top));
    if (out_path) std::cout << "wrote " << g.num_vertices() << " ranks to " << out_path->string() << '\n';
    if (settings.stats_path) std::cout << "wrote per-superstep statistics to " << settings.stats_path->string() << '\n';
  }
  return 0;
}

}  // namespace gasworks::commands
