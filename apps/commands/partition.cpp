// gasworks partition: how well each vertex-cut method splits a graph.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "apps/commands/commands.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/core/error.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/graph/vertex_numbering.hpp"
#include "engine/io/atomic_output_file.hpp"
#include "engine/io/read_edge_list.hpp"
#include "partition/edge_stream.hpp"
#include "partition/partitioner.hpp"
#include "partition/simulate.hpp"

namespace gasworks::commands {
namespace {

// Replica sets cost parts / 8 bytes per vertex and hdrf scores every part per
// edge; beyond this, a report would take long and say little.
constexpr unsigned max_parts = 1024;

using report_rows = std::vector<std::pair<partition::method, partition::partition_quality>>;

const std::string description = std::string(
    "Places the edges of a graph on N parts (ranks) with a vertex-cut method and\n"
    "reports how good the cut is, without running anything distributed: the edges\n"
    "are split into N contiguous chunks as N ranks reading byte ranges of the file\n"
    "would, each chunk placed by its own partitioner (metis places the whole graph\n"
    "at once). Edges are read under the same ingress policy as the graph builder\n"
    "(by default self-loops kept, repeated edges dropped).\n"
    "\n"
    "Methods:\n"
    "  random     hash of the edge\n"
    "  grid       2-D constrained: a vertex's edges stay in one row and column of\n"
    "             an r x c grid of parts (at most r + c - 1 replicas)\n"
    "  oblivious  PowerGraph's greedy: the least-loaded part already holding an\n"
    "             endpoint\n"
    "  hdrf       degree-aware greedy (Petroni et al. 2015): replicates the\n"
    "             higher-degree endpoint first\n"
    "  metis      METIS k-way vertex partition of the whole graph; each edge\n"
    "             goes with its lower-degree endpoint (the hub is replicated)\n"
    "--partition M reports on method M, --all on every method; without either the\n"
    "method is ") +
    std::string(partition::name(partition::default_method)) +
    ", the default of multi-rank runs: it streams (each rank places\n"
    "what it read), keeps parts balanced whatever the order of the edges, and\n"
    "replicates less than random placement (as much when N is prime).\n"
    "\n"
    "Figures:\n"
    "  replication     replicas / vertices (1 = no vertex replicated); a vertex\n"
    "                  has a replica on every part holding one of its edges\n"
    "  edge balance    max / mean edges per part (1 = perfectly even)\n"
    "  vertex balance  max / mean replicas per part\n"
    "  seconds         placement time (summed over the simulated ranks)\n"
    "\n"
    "--out writes the table as tab-separated values (with a header line) to a\n"
    "temporary file renamed into place.";

// Vertices with an edge, and declared ones without.
std::uint64_t count_vertices(const std::vector<partition::edge>& edges, const std::vector<vertex_id>& declared) {
  vertex_numbering seen;
  for (const auto& e : edges) {
    seen.number(e.source);
    seen.number(e.target);
  }
  for (vertex_id v : declared) seen.number(v);
  return seen.size();
}

void print_header(std::ostream& out) {
  char line[128];
  std::snprintf(line, sizeof line, "%-10s %11s %13s %15s %9s\n", "method", "replication", "edge balance", "vertex balance",
                "seconds");
  out << line;
}

void print_row(std::ostream& out, partition::method m, const partition::partition_quality& q) {
  char line[128];
  std::snprintf(line, sizeof line, "%-10s %11.3f %13.3f %15.3f %9.3f\n", std::string(partition::name(m)).c_str(),
                q.replication_factor, q.edge_balance, q.vertex_balance, q.seconds);
  out << line << std::flush;  // rows appear as methods finish: metis can take a while
}

void write_tsv(const std::filesystem::path& path, const report_rows& rows) {
  io::atomic_output_file file(path);
  auto& out = file.stream();
  out << "method\tparts\tvertices\tedges\treplicas\treplication_factor\tedge_balance\tvertex_balance\tseconds\n";
  char numbers[96];
  for (const auto& [m, q] : rows) {
    std::snprintf(numbers, sizeof numbers, "%.6f\t%.6f\t%.6f\t%.6f", q.replication_factor, q.edge_balance, q.vertex_balance,
                  q.seconds);
    out << partition::name(m) << '\t' << q.parts << '\t' << q.vertices << '\t' << q.edges << '\t' << q.replicas << '\t'
        << numbers << '\n';
  }
  file.commit();
}

}  // namespace

int partition(int argc, const char* const* argv) {
  namespace po = boost::program_options;
  cli::command_line cmd("partition", "--graph FILE --parts N [--partition M | --all] [options]", description);
  cmd.add()
      ("parts", po::value<std::string>()->value_name("N"), "number of parts (ranks), 1..1024; required")
      ("all", "compare every method")
      ("out,o", po::value<std::string>()->value_name("FILE"), "also write the table here as tab-separated values")
      ("quiet,q", "print nothing but errors");
  cmd.add_graph_flags();
  if (!cmd.parse(argc, argv)) return 0;

  const auto parts = cmd.number<unsigned>("parts", 1, max_parts);
  if (!parts) throw usage_error("--parts N is required");
  if (cmd.given("partition") && cmd.has("all")) throw usage_error("--partition names one method and --all compares them all: give one");
  const auto input = cmd.graph();  // --partition (with its default) is read here
  std::vector<partition::method> methods;
  if (cmd.has("all")) methods.assign(std::begin(partition::all_methods), std::end(partition::all_methods));
  else methods.push_back(input.partition);
  std::optional<std::filesystem::path> out_path;
  if (cmd.has("out")) out_path = cmd.text("out");
  const bool quiet = cmd.has("quiet");

  const stopwatch read_clock;
  const io::edge_list list = io::read_edge_list(input.path, input.format);
  const std::vector<partition::edge> edges = partition::edge_stream(list, input.policy);
  const std::vector<vertex_id> declared = list.declared_vertices();
  const double read_seconds = read_clock.seconds();

  if (!quiet) {
    std::printf("graph: %s (%s), %llu vertices, %llu edges, read in %.2f s\n", input.path.c_str(),
                std::string(io::to_string(input.format)).c_str(),
                static_cast<unsigned long long>(count_vertices(edges, declared)),
                static_cast<unsigned long long>(edges.size()), read_seconds);
    std::printf("%u parts, placed as %u ranks would (contiguous chunks of the edges; metis: the whole graph)\n\n", *parts, *parts);
    std::fflush(stdout);
    print_header(std::cout);
  }
  report_rows rows;
  for (partition::method m : methods) {
    rows.emplace_back(m, partition::simulate(m, *parts, edges, declared));
    if (!quiet) print_row(std::cout, m, rows.back().second);
  }
  if (out_path) write_tsv(*out_path, rows);
  if (out_path && !quiet) std::cout << "\nwrote the table to " << out_path->string() << '\n';
  return 0;
}

}  // namespace gasworks::commands
