#include "engine/cli/command_line.hpp"

#include <algorithm>
#include <iostream>
#include <limits>
#include <thread>

#include "engine/cli/number_parsing.hpp"
#include "engine/core/error.hpp"

namespace po = boost::program_options;

namespace gasworks::cli {

command_line::command_line(std::string command, std::string synopsis, std::string description)
    : command_(std::move(command)),
      synopsis_(std::move(synopsis)),
      description_(std::move(description)),
      own_("Options"),
      run_flags_("Run options"),
      graph_flags_("Graph input"),
      engine_flags_("Engine"),
      checkpoint_flags_("Checkpoints") {
  own_.add_options()("help,h", "show this help and exit");
}

po::options_description_easy_init command_line::add() { return own_.add_options(); }

void command_line::add_run_flags() {
  has_run_flags_ = true;
  run_flags_.add_options()
      ("threads", po::value<std::string>()->value_name("N"), "worker threads (default: all cores)")
      ("max-iterations", po::value<std::string>()->value_name("N"), "stop after N supersteps")
      ("timeout", po::value<std::string>()->value_name("SECONDS"), "stop after this many seconds (checked between supersteps)")
      ("stats", po::value<std::string>()->value_name("FILE"), "write one JSON line per superstep (active vertices, seconds per phase, metrics); with --engine async, per progress report (updates since the last)")
      ("progress", "show the progress line even when stderr is not a terminal")
      ("quiet,q", "print nothing but errors");
}

void command_line::add_checkpoint_flags(const std::string& steps) {
  has_checkpoint_flags_ = true;
  checkpoint_flags_.add_options()
      ("checkpoint", po::value<std::string>()->value_name("DIR"),
       "save checkpoints into DIR (created if needed); the newest complete one is\n"
       "kept, earlier ones are deleted once a newer one is complete on every rank")
      ("checkpoint-every", po::value<std::string>()->value_name("N"), ("checkpoint after every N " + steps + " (default 1)").c_str())
      ("checkpoint-interval", po::value<std::string>()->value_name("SECONDS"),
       ("checkpoint after the first of the " + steps + " that ends once SECONDS have passed since the last").c_str())
      ("resume", po::value<std::string>()->value_name("DIR"),
       "continue from DIR's newest complete checkpoint (damaged ones are skipped);\n"
       "the input files and the flags that shape results must be those it was\n"
       "made with, and so must the rank count. Give --checkpoint DIR too to go on\n"
       "saving");
}

checkpoint_request command_line::checkpoints(std::vector<std::filesystem::path> inputs,
                                             const std::vector<std::string>& output_flags) const {
  checkpoint_request r;
  if (!has_checkpoint_flags_) return r;
  if (has("checkpoint")) r.save_directory = text("checkpoint");
  if (has("resume")) r.resume_directory = text("resume");
  r.when.steps = number<std::uint64_t>("checkpoint-every", 1, std::numeric_limits<std::uint64_t>::max());
  r.when.seconds = number<double>("checkpoint-interval", 0.0, 1e9);
  if (r.when.steps && r.when.seconds) throw usage_error("--checkpoint-every and --checkpoint-interval exclude each other");
  if ((r.when.steps || r.when.seconds) && !r.save_directory)
    throw usage_error("--checkpoint-every and --checkpoint-interval need --checkpoint DIR");
  r.command = command_;
  r.inputs = std::move(inputs);
  // Limits may change: a run stopped by one goes on under another.
  static const std::vector<std::string> run_control{
      "help",       "threads",          "timeout",             "max-iterations", "max-updates", "stats", "progress", "quiet",
      "checkpoint", "checkpoint-every", "checkpoint-interval", "resume"};
  for (const auto& [flag, value] : values_) {  // a map: in flag order
    if (std::find(run_control.begin(), run_control.end(), flag) != run_control.end()) continue;
    if (std::find(output_flags.begin(), output_flags.end(), flag) != output_flags.end()) continue;
    const auto* as_text = boost::any_cast<std::string>(&value.value());
    // Inputs are known by their content, not by where they are.
    if (as_text && std::find(r.inputs.begin(), r.inputs.end(), std::filesystem::path(*as_text)) != r.inputs.end()) continue;
    r.settings.push_back(flag + "=" + (as_text ? *as_text : std::string("set")));
  }
  return r;
}

void command_line::add_graph_flags() {
  has_graph_flags_ = true;
  graph_flags_.add_options()
      ("graph", po::value<std::string>()->value_name("FILE"), "input graph (plain or .gz)")
      ("format", po::value<std::string>()->value_name("F"),
       "snap | tsv | csv | adj | mtx (default: from the file name, else snap)\n"
       "  snap/tsv  'src dst [weight]' per line, '#' comments\n"
       "  csv       'src,dst[,weight]', optional header line\n"
       "  adj       'id n t1 .. tn' (n = 0: isolated vertex)\n"
       "  mtx       Matrix Market coordinate, 1-based ids")
      ("self-loops", po::value<std::string>()->value_name("keep|drop")->default_value("keep"), "what to do with edges v -> v")
      ("duplicates", po::value<std::string>()->value_name("drop|keep")->default_value("drop"),
       "repeated edges: drop keeps the first (a simple graph); keep reads a multigraph")
      ("symmetrize", "add the reverse of every edge (undirected input stored one way)")
      ("vertex-order", po::value<std::string>()->value_name("degree|id")->default_value("degree"),
       "how vertices are numbered in memory: degree puts the most\n"
       "connected first, which keeps them in cache (faster on skewed\n"
       "graphs); id follows the input's ids. Results are the same up to\n"
       "rounding");
  add_partition_flag(graph_flags_);
}

void command_line::add_partition_flag(po::options_description& group) {
  group.add_options()
      ("partition", po::value<std::string>()->value_name("M")->default_value(std::string(partition::name(partition::default_method))),
       "how edges are spread over the parts (the ranks under mpiexec;\n"
       "a single process keeps every edge)\n"
       "  random     hash of the edge\n"
       "  grid       2-D constrained: an edge goes to a rank in the row or\n"
       "             column of both endpoints' grid cells (r x c ranks)\n"
       "  oblivious  greedy: prefer ranks already holding an endpoint\n"
       "  hdrf       greedy, degree-aware: replicate high-degree vertices\n"
       "  metis      METIS k-way vertex partition (gathered at rank 0),\n"
       "             each edge with its lower-degree endpoint's part\n"
       "Try 'gasworks partition --all' to compare them on your graph.");
}

void command_line::add_partition_flag() { add_partition_flag(own_); }

void command_line::add_engine_flags() {
  has_engine_flags_ = true;
  engine_flags_.add_options()
      ("engine", po::value<std::string>()->value_name("sync|async")->default_value("sync"),
       "sync: bulk-synchronous supersteps, every signalled vertex runs in the next one;\n"
       "async: a vertex runs as soon as the scheduler picks it and reads its neighbours' newest data")
      ("scheduler", po::value<std::string>()->value_name("NAME")->default_value("fifo"),
       "async, one process: fifo (in signalling order), sweep (round-robin passes over the vertices), "
       "priority (largest signal priority first); under mpiexec the engine runs colour phases instead")
      ("sweep-order", po::value<std::string>()->value_name("id|random")->default_value("id"),
       "async sweep: pass over the vertices in id order or in one fixed random order")
      ("min-priority", po::value<std::string>()->value_name("P")->default_value("0"),
       "async priority: signals whose combined priority stays below P are dropped")
      ("consistency", po::value<std::string>()->value_name("MODEL")->default_value("edge"),
       "async: vertex (neighbours may run at once), edge (no two adjacent vertices at once), "
       "full (no two vertices within distance 2 at once); an update writes its own vertex and edges")
      ("max-updates", po::value<std::string>()->value_name("N"), "async: stop after N vertex updates");
}

engine_choice command_line::engine(int ranks) const {
  engine_choice e;
  const std::string name = text("engine");
  if (name != "sync" && name != "async") throw usage_error("--engine expects sync or async, got '" + name + "'");
  e.asynchronous = name == "async";
  e.async.scheduler.kind = parse_scheduler(text("scheduler"));
  e.async.options.consistency = parse_consistency(text("consistency"));
  const std::string order = text("sweep-order");
  if (order != "id" && order != "random") throw usage_error("--sweep-order expects id or random, got '" + order + "'");
  e.async.scheduler.sweep.order = order == "random" ? sweep_order::shuffled : sweep_order::by_id;
  e.async.scheduler.priority.min_priority = *number<double>("min-priority", 0.0, std::numeric_limits<double>::max());
  if (const auto n = number<std::uint64_t>("max-updates", 1, std::numeric_limits<std::uint64_t>::max()))
    e.async.options.max_updates = *n;
  if (!e.asynchronous)
    for (const char* flag : {"scheduler", "sweep-order", "min-priority", "consistency", "max-updates"})
      if (given(flag)) throw usage_error(std::string("--") + flag + " applies to --engine async only");
  if (e.asynchronous && ranks > 1)
    for (const char* flag : {"scheduler", "sweep-order", "min-priority"})
      if (given(flag))
        throw usage_error(std::string("--") + flag +
                          " applies to one process: under mpiexec the asynchronous engine runs colour phases, "
                          "each running the scheduled vertices of one colour class");
  return e;
}

partition::method command_line::partition_method() const { return partition::parse_method(text("partition")); }

bool command_line::parse(int argc, const char* const* argv) {
  po::options_description all;
  all.add(own_);
  if (has_graph_flags_) all.add(graph_flags_);
  if (has_engine_flags_) all.add(engine_flags_);
  if (has_run_flags_) all.add(run_flags_);
  if (has_checkpoint_flags_) all.add(checkpoint_flags_);
  // No command takes operands: a stray word (a file named without --graph,
  // say) is a usage error, not silently ignored.
  const po::positional_options_description no_operands;
  try {
    po::command_line_parser parser(argc, argv);
    parser.options(all);
    parser.positional(no_operands);
    po::store(parser.run(), values_);
    po::notify(values_);
  } catch (const po::error& e) {
    throw usage_error(e.what());
  }
  if (values_.count("help")) {
    if (speaks_) print_help(std::cout);
    return false;
  }
  if (has_graph_flags_ && !values_.count("graph")) throw usage_error("--graph FILE is required");
  return true;
}

std::string command_line::text(const std::string& flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::string() : it->second.as<std::string>();
}

template <class T>
std::optional<T> command_line::number(const std::string& flag, T min, T max) const {
  if (!has(flag)) return std::nullopt;
  return parse_number<T>(flag, text(flag), min, max);
}

template std::optional<unsigned> command_line::number(const std::string&, unsigned, unsigned) const;
template std::optional<std::uint64_t> command_line::number(const std::string&, std::uint64_t, std::uint64_t) const;
template std::optional<double> command_line::number(const std::string&, double, double) const;

run_settings settings_for_rank(run_settings settings, int rank) {
  if (rank != 0) {
    settings.quiet = true;
    settings.progress = false;
    settings.stats_path.reset();
  }
  return settings;
}

run_settings command_line::run() const {
  run_settings s;
  s.threads = number<unsigned>("threads", 1, 4096).value_or(0);
  s.max_iterations = number<std::uint64_t>("max-iterations", 1, std::numeric_limits<std::uint64_t>::max());
  s.timeout_seconds = number<double>("timeout", 0.0, 1e9);
  s.quiet = has("quiet");
  s.progress = has("progress");
  if (has("stats")) s.stats_path = text("stats");
  return s;
}

graph_input command_line::graph() const {
  graph_input g;
  g.path = text("graph");
  if (has("format")) {
    auto f = io::parse_graph_format(text("format"));
    if (!f) throw usage_error("--format expects snap, tsv, csv, adj or mtx, got '" + text("format") + "'");
    g.format = *f;
  } else {
    g.format = io::guess_graph_format(g.path);
  }
  auto loops = parse_self_loops(text("self-loops"));
  if (!loops) throw usage_error("--self-loops expects keep or drop, got '" + text("self-loops") + "'");
  auto dups = parse_duplicates(text("duplicates"));
  if (!dups) throw usage_error("--duplicates expects drop or keep, got '" + text("duplicates") + "'");
  g.policy.loops = *loops;
  g.policy.parallel_edges = *dups;
  g.partition = partition_method();
  g.policy.symmetrize = has("symmetrize");
  auto order = parse_vertex_order(text("vertex-order"));
  if (!order) throw usage_error("--vertex-order expects degree or id, got '" + text("vertex-order") + "'");
  g.policy.order = *order;
  return g;
}

void command_line::print_help(std::ostream& out) const {
  out << (standalone_ ? "Usage: " : "Usage: gasworks ") << command_ << ' ' << synopsis_ << "\n\n" << description_ << "\n\n" << own_;
  if (has_graph_flags_) out << '\n' << graph_flags_;
  if (has_engine_flags_) out << '\n' << engine_flags_;
  if (has_run_flags_) out << '\n' << run_flags_;
  if (has_checkpoint_flags_) out << '\n' << checkpoint_flags_;
}

}  // namespace gasworks::cli
