// Belief propagation on the UAI 2014 marginal-inference models (Grids,
// ObjectDetection, Segmentation), each with its evidence clamped, for every
// schedule and damping: converged or not, messages computed, seconds and
// messages per second, and the error against the exact marginals (.MAR).
// Then a summary per family, and the messages per second of each schedule
// on a large model of each family at several thread counts, measured in the
// same run. Runs on the ranks of an mpiexec job too (rank 0 prints).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <tbb/global_control.h>

#include "bench/bench_support.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/cli/number_parsing.hpp"
#include "engine/cli/stats_json.hpp"
#include "engine/comm/collective_error.hpp"
#include "engine/core/error.hpp"
#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_settings.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/bp/marginal_errors.hpp"

#ifndef GASWORKS_UAI2014_MODELS
#define GASWORKS_UAI2014_MODELS "../shared/datasets/factor-graphs/uai2014"
#endif

namespace {

using namespace gasworks;
namespace fs = std::filesystem;
using bench::median;

constexpr const char* description =
    "Belief propagation on a folder of UAI models (X.uai, its evidence X.uai.evid,\n"
    "clamped, and exact marginals X.uai.MAR), for every schedule and damping:\n"
    "converged or not, messages computed, median seconds, messages per second, and\n"
    "the Hellinger and absolute errors over the unobserved variables; a summary per\n"
    "family (the name before its last '_'); then messages per second of each\n"
    "schedule at each thread count on the largest model of each family (variables\n"
    "x factors). Run it as one process or under mpiexec -n N.";

// libDAI's BP on the same models, measured on this machine class (evidence
// clamped, tol 1e-9, at most 10,000 iterations); only Grids was measured.
constexpr const char* libdai_reference =
    "libDAI BP for comparison (measured separately on this machine class; evidence clamped, tol 1e-9,\n"
    "at most 10,000 iterations), Grids only: BP rarely converges -- parallel updates, damped or not,\n"
    "never converged on Grids_11-17; residual (SEQMAX) converged on 4 of them; mean Hellinger error\n"
    "0.12-0.57; 2-27 s per model.";

struct bench_options {
  fs::path models;
  std::string only;
  std::vector<bp::bp_schedule> schedules;
  std::vector<double> dampings;
  double tolerance = 0;
  std::uint64_t iterations = 0;
  unsigned repeats = 0;
  std::vector<unsigned> threads;
  bool table = true;
  bool throughput = true;
  std::optional<fs::path> json;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("models", po::value<std::string>()->value_name("DIR")->default_value(GASWORKS_UAI2014_MODELS), "folder of X.uai, X.uai.evid, X.uai.MAR")
      ("only", po::value<std::string>()->value_name("TEXT")->default_value(""), "only the models whose name contains TEXT")
      ("schedules", po::value<std::string>()->value_name("S,S,..")->default_value("sync,residual,sweep"), "sync|residual|sweep")
      ("dampings", po::value<std::string>()->value_name("D,D,..")->default_value("0,0.5"), "each in [0, 1)")
      ("tol", po::value<std::string>()->value_name("T")->default_value("1e-9"), "converged when no message entry changes by more")
      ("iterations", po::value<std::string>()->value_name("N")->default_value("10000"),
       "at most N flooding iterations (asynchronous schedules: N updates per vertex)")
      ("repeats", po::value<std::string>()->value_name("N")->default_value("3"), "runs of each, 1..1000; median seconds")
      ("threads", po::value<std::string>()->value_name("T,T,..")->default_value("1,2"),
       "threads per rank of the throughput part; the table runs on the largest")
      ("sections", po::value<std::string>()->value_name("table,throughput")->default_value("table,throughput"),
       "which parts to run")
      ("json", po::value<std::string>()->value_name("FILE"), "also write every figure here, one JSON object per line");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) items.push_back(item);
  return items;
}

bench_options read_flags(const cli::command_line& cmd) {
  bench_options o;
  o.models = cmd.text("models");
  o.only = cmd.text("only");
  for (const auto& name : split_list(cmd.text("schedules"))) o.schedules.push_back(bp::parse_schedule(name));
  if (o.schedules.empty()) throw usage_error("--schedules expects sync, residual or sweep, comma-separated");
  o.dampings = cli::parse_number_list<double>("dampings", cmd.text("dampings"), 0.0, 0.999999);
  o.tolerance = *cmd.number<double>("tol", 0.0, 1.0);
  // As bp's own flag: the asynchronous budget multiplies it by the vertex count.
  o.iterations = *cmd.number<std::uint64_t>("iterations", 1, std::numeric_limits<std::uint64_t>::max() / (1ull << 32));
  o.repeats = *cmd.number<unsigned>("repeats", 1, 1000);
  o.threads = cli::parse_number_list<unsigned>("threads", cmd.text("threads"), 1, 1024);
  o.table = o.throughput = false;
  for (const auto& section : split_list(cmd.text("sections"))) {
    if (section == "table") o.table = true;
    else if (section == "throughput") o.throughput = true;
    else throw usage_error("--sections expects table and/or throughput, got '" + section + "'");
  }
  if (!o.table && !o.throughput) throw usage_error("--sections expects table and/or throughput");
  if (cmd.has("json")) o.json = cmd.text("json");
  return o;
}

// ---------------------------------------------------------------- models

struct model_entry {
  std::string name;    // the file name without .uai
  std::string family;  // the name before its last '_'
  fs::path file;
  std::shared_ptr<const bp::factor_model> model;
  bp::evidence observed;
  bp::marginals exact;  // at rank 0
  std::uint64_t table_entries = 0;

  // The size that picks a family's model for the throughput part.
  std::uint64_t size() const { return static_cast<std::uint64_t>(model->variables()) * model->factors.size(); }
};

// The .uai files of `dir` whose name contains `only`, by family then name
// (shorter names first, so that _9 comes before _11).
std::vector<model_entry> find_models(const fs::path& dir, const std::string& only) {
  if (!fs::is_directory(dir)) throw input_error(dir, 0, "not a folder (give --models DIR)");
  std::vector<model_entry> found;
  for (const auto& item : fs::directory_iterator(dir)) {
    const fs::path& file = item.path();
    if (file.extension() != ".uai") continue;
    model_entry m;
    m.name = file.stem().string();
    if (m.name.find(only) == std::string::npos) continue;
    m.family = m.name.substr(0, m.name.rfind('_'));
    m.file = file;
    found.push_back(std::move(m));
  }
  std::sort(found.begin(), found.end(), [](const model_entry& a, const model_entry& b) {
    return std::tuple(a.family, a.name.size(), a.name) < std::tuple(b.family, b.name.size(), b.name);
  });
  if (found.empty()) throw usage_error("no .uai model in " + dir.string() + (only.empty() ? "" : " whose name contains '" + only + "'"));
  return found;
}

// Every rank reads the model and its evidence; rank 0 also the exact marginals.
void read_model(model_entry& m, int rank) {
  m.model = std::make_shared<const bp::factor_model>(bp::read_uai(m.file));
  const fs::path evidence_file = m.file.string() + ".evid";
  if (fs::exists(evidence_file)) m.observed = bp::read_evidence(evidence_file, *m.model);
  for (const auto& f : m.model->factors) m.table_entries += f.table.size();
  const fs::path marginals_file = m.file.string() + ".MAR";
  if (!fs::exists(marginals_file)) throw input_error(marginals_file, 0, "missing: the exact marginals to measure against");
  if (rank == 0) m.exact = bp::read_marginals(marginals_file, *m.model);
}

// ---------------------------------------------------------------- runs

bp::bp_settings settings_for(const bench_options& o, bp::bp_schedule schedule, double damping) {
  bp::bp_settings s;
  s.schedule = schedule;
  s.damping = damping;
  s.tolerance = o.tolerance;
  s.max_iterations = o.iterations;  // the asynchronous budget follows from it, as in bp's own command
  return s;
}

// A fresh graph for every run: the vertices keep their update counts (and
// messages) from the run before.
bp::bp_result run_once(const std::shared_ptr<communicator>& ranks, const model_entry& m, const bp::bp_settings& s) {
  auto g = bp::load_factor_graph(ranks, *m.model);
  return bp::run_bp(g, m.model, m.observed, s);
}

double messages_per_second(const bp::bp_result& r) {
  return r.run.seconds > 0 ? static_cast<double>(r.message_updates) / r.run.seconds : 0.0;
}

// One model, schedule and damping over the repeats: the first run's
// result (its counts and beliefs), the medians of seconds and rates.
struct measurement {
  bp::bp_result first;
  double seconds = 0;
  double rate = 0;
};

measurement measure(const std::shared_ptr<communicator>& ranks, const model_entry& m, const bp::bp_settings& s, unsigned repeats) {
  measurement out;
  std::vector<double> seconds, rates;
  for (unsigned r = 0; r < repeats; ++r) {
    bp::bp_result result = run_once(ranks, m, s);
    seconds.push_back(result.run.seconds);
    rates.push_back(messages_per_second(result));
    if (r == 0) out.first = std::move(result);
  }
  out.seconds = median(seconds);
  out.rate = median(rates);
  return out;
}

double largest_difference(const bp::marginals& a, const bp::marginals& b) {
  double worst = 0;
  for (std::size_t v = 0; v < a.size(); ++v)
    for (std::size_t x = 0; x < a[v].size(); ++x) worst = std::max(worst, std::abs(a[v][x] - b[v][x]));
  return worst;
}

// One JSON object on one line, field by field.
class json_line {
 public:
  explicit json_line(std::string_view kind) {
    text_ << "{\"kind\":";
    detail::write_json_string(text_, kind);
  }
  json_line& field(std::string_view key, double value) {
    name(key);
    detail::write_json_number(text_, value);
    return *this;
  }
  json_line& field(std::string_view key, std::uint64_t value) {
    name(key);
    text_ << value;
    return *this;
  }
  json_line& field(std::string_view key, bool value) {
    name(key);
    text_ << (value ? "true" : "false");
    return *this;
  }
  json_line& field(std::string_view key, std::string_view value) {
    name(key);
    detail::write_json_string(text_, value);
    return *this;
  }
  // Without this, text given as a character array would pick the bool overload.
  json_line& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
  std::string str() const { return text_.str() + "}\n"; }

 private:
  void name(std::string_view key) {
    text_ << ',';
    detail::write_json_string(text_, key);
    text_ << ':';
  }
  std::ostringstream text_;
};

// The --json file at rank 0, opened before the runs so that a bad path
// fails at once; each line is flushed, so a long run leaves what it measured.
class json_output {
 public:
  json_output(const std::optional<fs::path>& file, bool speaks) : file_(file.value_or(fs::path())) {
    if (!file || !speaks) return;
    out_.open(*file);
    if (!out_) throw input_error(*file, 0, "cannot write the --json file");
  }
  void write(const json_line& line) {
    if (!out_.is_open()) return;
    out_ << line.str() << std::flush;
    if (!out_) throw input_error(file_, 0, "writing the --json file failed");
  }

 private:
  fs::path file_;
  std::ofstream out_;
};

std::string schedule_name(bp::bp_schedule s) { return std::string(bp::to_string(s)); }

// ---------------------------------------------------------------- the table

struct table_row {
  std::string family;
  bp::bp_schedule schedule = bp::bp_schedule::sync;
  double damping = 0;
  bool converged = false;
  double seconds = 0;
  bp::marginal_errors errors;
};

void print_table_header(const std::string& family) {
  std::printf("\n== %s\n", family.c_str());
  std::printf("%-20s %-8s %5s %4s %11s %9s %10s %9s %9s %9s %9s %9s\n", "model", "schedule", "damp", "conv", "messages", "seconds",
              "msgs/s", "residual", "H mean", "H max", "abs max", "vs 1st fp");
}

// Every model, schedule and damping on the largest thread count; a row per
// run as it ends. "vs 1st fp": the largest belief difference from the
// model's first converged run, so that two schedules reaching different
// fixed points show.
std::vector<table_row> run_table(const bench_options& o, const std::shared_ptr<communicator>& ranks, const std::vector<model_entry>& models,
                                 json_output& json) {
  const bool speaks = ranks->rank() == 0;
  const unsigned threads = *std::max_element(o.threads.begin(), o.threads.end());
  const tbb::global_control thread_limit(tbb::global_control::max_allowed_parallelism, threads);
  if (speaks)
    std::printf("Accuracy and speed: %d rank(s) x %u thread(s), tol %g, at most %llu iterations (asynchronous: as many updates per vertex),\n"
                "median seconds of %u repeat(s); errors against the exact marginals over the unobserved variables\n",
                ranks->size(), threads, o.tolerance, static_cast<unsigned long long>(o.iterations), o.repeats);
  std::vector<table_row> rows;
  std::string family;
  for (const model_entry& m : models) {
    if (speaks && m.family != family) print_table_header(m.family);
    family = m.family;
    std::optional<bp::marginals> first_fixed_point;
    for (const bp::bp_schedule schedule : o.schedules)
      for (const double damping : o.dampings) {
        const measurement run = measure(ranks, m, settings_for(o, schedule, damping), o.repeats);
        if (!speaks) continue;
        const bp::bp_result& r = run.first;
        table_row row{m.family, schedule, damping, r.converged, run.seconds, bp::compare_marginals(r.beliefs, m.exact, m.observed)};
        std::string versus_first = "-";
        if (r.converged) {
          if (first_fixed_point) {
            char text[32];
            std::snprintf(text, sizeof text, "%.2g", largest_difference(r.beliefs, *first_fixed_point));
            versus_first = text;
          } else {
            first_fixed_point = r.beliefs;
          }
        }
        std::printf("%-20s %-8s %5g %4s %11.4g %9.3f %10.3g %9.2g %9.4f %9.4f %9.4f %9s\n", m.name.c_str(), schedule_name(schedule).c_str(),
                    damping, r.converged ? "yes" : "no", static_cast<double>(r.message_updates), run.seconds, run.rate, r.residual,
                    row.errors.mean_hellinger, row.errors.max_hellinger, row.errors.max_absolute, versus_first.c_str());
        std::fflush(stdout);
        json.write(json_line("run")
                       .field("model", m.name)
                       .field("family", m.family)
                       .field("schedule", schedule_name(schedule))
                       .field("damping", damping)
                       .field("ranks", static_cast<std::uint64_t>(ranks->size()))
                       .field("threads", static_cast<std::uint64_t>(threads))
                       .field("converged", r.converged)
                       .field("iterations", r.iterations)
                       .field("vertex_updates", r.run.updates)
                       .field("message_updates", r.message_updates)
                       .field("residual", r.residual)
                       .field("seconds", run.seconds)
                       .field("messages_per_second", run.rate)
                       .field("mean_hellinger", row.errors.mean_hellinger)
                       .field("max_hellinger", row.errors.max_hellinger)
                       .field("max_absolute", row.errors.max_absolute)
                       .field("log_partition", r.log_partition));
        rows.push_back(row);
      }
  }
  return rows;
}

// Per family and schedule/damping: models converged, the mean of the
// models' mean Hellinger errors and of their seconds; then each family's
// best schedule by that mean.
void print_summary(const bench_options& o, const std::vector<table_row>& rows, json_output& json) {
  struct tally {
    std::uint64_t models = 0, converged = 0;
    double hellinger = 0, seconds = 0;
  };
  std::map<std::tuple<std::string, bp::bp_schedule, double>, tally> by_setting;
  std::vector<std::string> families;
  for (const auto& row : rows) {
    if (std::find(families.begin(), families.end(), row.family) == families.end()) families.push_back(row.family);
    tally& t = by_setting[{row.family, row.schedule, row.damping}];
    ++t.models;
    t.converged += row.converged ? 1 : 0;
    t.hellinger += row.errors.mean_hellinger;
    t.seconds += row.seconds;
  }
  std::printf("\n== Summary by family\n%-16s %-8s %5s %10s %12s %12s\n", "family", "schedule", "damp", "converged", "mean H mean",
              "mean seconds");
  for (const auto& family : families) {
    std::string best;
    double best_hellinger = std::numeric_limits<double>::infinity();
    for (const bp::bp_schedule schedule : o.schedules)
      for (const double damping : o.dampings) {
        const tally& t = by_setting[{family, schedule, damping}];
        const double mean_hellinger = t.hellinger / static_cast<double>(t.models);
        const double mean_seconds = t.seconds / static_cast<double>(t.models);
        std::printf("%-16s %-8s %5g %6llu/%-3llu %12.4f %12.3f\n", family.c_str(), schedule_name(schedule).c_str(), damping,
                    static_cast<unsigned long long>(t.converged), static_cast<unsigned long long>(t.models), mean_hellinger, mean_seconds);
        json.write(json_line("family")
                       .field("family", family)
                       .field("schedule", schedule_name(schedule))
                       .field("damping", damping)
                       .field("models", t.models)
                       .field("converged", t.converged)
                       .field("mean_of_mean_hellinger", mean_hellinger)
                       .field("mean_seconds", mean_seconds));
        if (mean_hellinger < best_hellinger) {
          best_hellinger = mean_hellinger;
          char text[64];
          std::snprintf(text, sizeof text, "%s, damping %g", schedule_name(schedule).c_str(), damping);
          best = text;
        }
      }
    std::printf("%-16s best: %s, mean H mean %.4f\n", family.c_str(), best.c_str(), best_hellinger);
  }
  std::printf("\n%s\n", libdai_reference);
  std::fflush(stdout);
}

// ---------------------------------------------------------------- throughput

// Each family's largest model by variables x factors (then by table
// entries; the first by name among equals).
std::vector<const model_entry*> largest_of_each_family(const std::vector<model_entry>& models) {
  std::vector<const model_entry*> chosen;
  for (const model_entry& m : models) {
    if (chosen.empty() || chosen.back()->family != m.family) {
      chosen.push_back(&m);
      continue;
    }
    const model_entry& best = *chosen.back();
    if (std::pair(m.size(), m.table_entries) > std::pair(best.size(), best.table_entries)) chosen.back() = &m;
  }
  return chosen;
}

// Messages per second of every schedule and damping at each thread count;
// each repeat runs every thread count in turn, so that all see the same
// machine state, and the ratio is of medians from this one run.
void run_throughput(const bench_options& o, const std::shared_ptr<communicator>& ranks, const std::vector<model_entry>& models,
                    json_output& json) {
  const bool speaks = ranks->rank() == 0;
  if (speaks) {
    std::printf("\n== Throughput: messages per second per thread count, median of %u repeat(s), %d rank(s)", o.repeats, ranks->size());
    if (o.threads.size() > 1) std::printf("; ratio %u threads / %u thread(s)", o.threads.back(), o.threads.front());
    std::printf("\n%-20s %-8s %5s %-9s %11s", "model", "schedule", "damp", "conv", "messages");
    for (const unsigned t : o.threads) std::printf(" %9u thr", t);
    if (o.threads.size() > 1) std::printf(" %7s", "ratio");
    std::printf("\n");
  }
  for (const model_entry* m : largest_of_each_family(models)) {
    if (speaks)
      std::printf("%s (%zu variables, %zu factors, %llu table entries)\n", m->name.c_str(), m->model->variables(), m->model->factors.size(),
                  static_cast<unsigned long long>(m->table_entries));
    for (const bp::bp_schedule schedule : o.schedules)
      for (const double damping : o.dampings) {
        const bp::bp_settings s = settings_for(o, schedule, damping);
        std::vector<std::vector<double>> rates(o.threads.size());
        std::vector<bp::bp_result> firsts(o.threads.size());
        for (unsigned r = 0; r < o.repeats; ++r)
          for (std::size_t i = 0; i < o.threads.size(); ++i) {
            const tbb::global_control thread_limit(tbb::global_control::max_allowed_parallelism, o.threads[i]);
            bp::bp_result result = run_once(ranks, *m, s);
            rates[i].push_back(messages_per_second(result));
            if (r == 0) firsts[i] = std::move(result);
          }
        if (!speaks) continue;
        // Converged at each thread count (the asynchronous schedules' order, and so their work, depends on it).
        std::string converged;
        for (const auto& f : firsts) converged += f.converged ? 'y' : 'n';
        std::printf("%-20s %-8s %5g %-9s %11.4g", "", schedule_name(schedule).c_str(), damping, converged.c_str(),
                    static_cast<double>(firsts.front().message_updates));
        std::vector<double> medians;
        for (const auto& per_thread : rates) medians.push_back(median(per_thread));
        for (const double rate : medians) std::printf(" %13.3g", rate);
        const double ratio = medians.front() > 0 ? medians.back() / medians.front() : 0.0;
        if (o.threads.size() > 1) std::printf(" %7.2f", ratio);
        std::printf("\n");
        std::fflush(stdout);
        for (std::size_t i = 0; i < o.threads.size(); ++i)
          json.write(json_line("throughput")
                         .field("model", m->name)
                         .field("family", m->family)
                         .field("schedule", schedule_name(schedule))
                         .field("damping", damping)
                         .field("ranks", static_cast<std::uint64_t>(ranks->size()))
                         .field("threads", static_cast<std::uint64_t>(o.threads[i]))
                         .field("converged", firsts[i].converged)
                         .field("message_updates", firsts[i].message_updates)
                         .field("messages_per_second", medians[i])
                         .field("ratio_to_first_thread_count", medians.front() > 0 ? medians[i] / medians.front() : 0.0));
      }
  }
}

int run_bench(const bench_options& o, const std::shared_ptr<communicator>& ranks) {
  const bool speaks = ranks->rank() == 0;
  const auto json = run_collectively(*ranks, [&] { return std::make_shared<json_output>(o.json, speaks); });
  std::vector<model_entry> models = run_collectively(*ranks, [&] { return find_models(o.models, o.only); });
  for (model_entry& m : models) run_collectively(*ranks, [&] { read_model(m, ranks->rank()); });
  if (speaks) {
    std::printf("%zu models from %s:", models.size(), o.models.c_str());
    for (const auto& m : models) std::printf(" %s", m.name.c_str());
    std::printf("\n");
  }
  if (o.table) {
    const std::vector<table_row> rows = run_table(o, ranks, models, *json);
    if (speaks) print_summary(o, rows, *json);
  }
  if (o.throughput) run_throughput(o, ranks, models, *json);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  gasworks::cli::command_line cmd("gasworks-bench-bp", "[options]", description);
  declare_flags(cmd);
  return gasworks::bench::main_on_ranks(argc, argv, cmd, read_flags, run_bench);
}
