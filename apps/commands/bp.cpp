// gasworks bp: marginals (or MAP labels) of a discrete graphical model by
// loopy belief propagation, with a choice of schedule; results in the UAI
// competition's format, and errors against reference marginals when given.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include <tbb/global_control.h>

#include "apps/commands/bp_command.hpp"
#include "apps/commands/commands.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/comm/collective_error.hpp"
#include "engine/core/error.hpp"
#include "engine/core/phase_timer.hpp"
#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_settings.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/bp/marginal_errors.hpp"
#include "toolkits/bp/uai_results.hpp"

namespace gasworks::commands {
namespace {

constexpr const char* description =
    "Runs loopy belief propagation on a discrete graphical model: sum-product for\n"
    "each variable's marginal distribution (--task mar), or max-product for the\n"
    "labels of a most probable assignment (--task map). Variables and factors are\n"
    "the vertices of a bipartite graph whose edges hold the two messages between\n"
    "a factor and a variable of its scope.\n"
    "\n"
    "Input: the UAI competition's format (MARKOV or BAYES; factors of any arity and\n"
    "cardinality; tables with the scope's last variable changing fastest) and its\n"
    "evidence file ('n  var value  var value ...'), or libDAI's .fg format (a file\n"
    "that does not start with MARKOV or BAYES). Observed variables are clamped.\n"
    "\n"
    "Schedules (--schedule):\n"
    "  sync      every message recomputed in each iteration (flooding), on the\n"
    "            synchronous engine; runs and results are the same on any number of\n"
    "            threads and ranks\n"
    "  residual  residual belief propagation on the asynchronous engine's priority\n"
    "            scheduler: the vertex whose incoming messages changed most since\n"
    "            it last ran goes first, and only changes above --tol schedule work\n"
    "  sweep     round-robin passes running the vertices with a change above --tol\n"
    "The asynchronous schedules end with one flooding iteration that measures the\n"
    "residual every message still has; 'converged' means it is below --tol.\n"
    "Under mpiexec they run in colour phases and reach the same fixed point.\n"
    "\n"
    "--damping D mixes each new factor message with the old one (new = (1 - D)\n"
    "computed + D old), which makes BP converge on more loopy models. --log-domain on\n"
    "multiplies messages and tables as sums of logarithms, at factors and at\n"
    "variables, for models whose products span more than a double's range (by\n"
    "default products are linear, rescaled when they grow small).\n"
    "\n"
    "Output (--out FILE, written to a temporary file and renamed): MAR then the\n"
    "number of variables and, per variable, its cardinality and marginal\n"
    "probabilities; or MAP then the number of variables and their labels.\n"
    "The summary gives messages computed, the last residual, converged or not,\n"
    "seconds and the Bethe estimate of log Z. With --reference X.MAR (exact\n"
    "marginals) it gives the mean and max Hellinger distance and the largest\n"
    "absolute error over the unobserved variables. On loopy models BP's fixed\n"
    "point itself differs from the exact marginals: that error is the algorithm's,\n"
    "and it is reported, not hidden.";

struct bp_request {
  std::filesystem::path model;
  std::optional<std::filesystem::path> evidence_file;
  std::optional<std::filesystem::path> reference;
  std::optional<std::filesystem::path> out;
  bp::bp_settings settings;
  partition::method partition = partition::default_method;
  cli::run_settings run;
  cli::checkpoint_request checkpoints;
};

std::optional<bp_request> parse_request(const command_ranks& ranks, int argc, const char* const* argv) {
  namespace po = boost::program_options;
  cli::command_line cmd("bp", "--model FILE [options]", description);
  cmd.add()
      ("model", po::value<std::string>()->value_name("FILE"), "the model: UAI (.uai) or libDAI (.fg) (required)")
      ("evidence", po::value<std::string>()->value_name("FILE"), "observed values, UAI evidence format")
      ("reference", po::value<std::string>()->value_name("FILE"), "exact marginals (UAI MAR format) to measure the result against")
      ("out,o", po::value<std::string>()->value_name("FILE"), "write the result here (UAI MAR or MAP format)");
  add_bp_flags(cmd, bp::bp_settings{});
  cmd.add_partition_flag();
  cmd.add_run_flags();
  cmd.add_checkpoint_flags("iterations (residual and sweep schedules: progress reports, an iteration's worth of updates each)");
  cmd.set_speaks(ranks->rank() == 0);
  if (!cmd.parse(argc, argv)) return std::nullopt;

  bp_request r;
  if (!cmd.has("model")) throw usage_error("--model FILE is required");
  r.model = cmd.text("model");
  if (cmd.has("evidence")) r.evidence_file = cmd.text("evidence");
  if (cmd.has("reference")) r.reference = cmd.text("reference");
  if (cmd.has("out")) r.out = cmd.text("out");
  r.partition = cmd.partition_method();
  r.run = cli::settings_for_rank(cmd.run(), ranks->rank());
  r.settings = read_bp_flags(cmd, r.run);
  std::vector<std::filesystem::path> inputs{r.model};
  if (r.evidence_file) inputs.push_back(*r.evidence_file);
  r.checkpoints = read_bp_checkpoint_flags(cmd, r.settings, inputs, {"out", "reference"});
  return r;
}

// UAI models start with their type; anything else is read as libDAI's format.
bp::factor_model read_model(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw input_error(file, 0, "cannot open the model file");
  std::string first;
  in >> first;
  return first == "MARKOV" || first == "BAYES" ? bp::read_uai(file) : bp::read_libdai(file);
}

}  // namespace

int bp(const command_ranks& ranks, int argc, const char* const* argv) {
  const auto request = run_collectively(*ranks, [&] { return parse_request(ranks, argc, argv); });
  if (!request) return 0;
  const bp_request& r = *request;
  std::optional<tbb::global_control> thread_limit;
  if (r.run.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, r.run.threads);

  // Every rank reads the (small) model; ingress hands each its share of the factors.
  const stopwatch reading;
  auto model = std::make_shared<const bp::factor_model>(run_collectively(*ranks, [&] { return read_model(r.model); }));
  const bp::evidence observed =
      run_collectively(*ranks, [&] { return r.evidence_file ? bp::read_evidence(*r.evidence_file, *model) : bp::evidence{}; });
  std::optional<bp::marginals> reference;
  run_collectively(*ranks, [&] {
    if (r.reference && ranks->rank() == 0) reference = bp::read_marginals(*r.reference, *model);
  });
  ingress_options placement;
  placement.method = r.partition;
  ingress_report ingress;
  auto g = bp::load_factor_graph(ranks, *model, placement, &ingress);
  if (!r.run.quiet) {
    std::size_t largest = 0;
    for (const auto& f : model->factors) largest = std::max(largest, f.scope.size());
    std::printf("model: %s, %s, %zu variables, %zu factors (arity up to %zu), %zu observed; read in %.2f s\n", r.model.c_str(),
                model->bayes ? "BAYES" : "MARKOV", model->variables(), model->factors.size(), largest, observed.size(),
                reading.seconds());
    if (ingress.ranks > 1) std::printf("partition: %s\n", ingress.describe().c_str());
    std::fflush(stdout);
  }

  const auto checkpoints =
      run_collectively(*ranks, [&] { return cli::open_checkpoints(*ranks, r.checkpoints, r.run.threads, r.run.quiet); });
  bp::bp_settings settings = r.settings;
  settings.checkpoints = checkpoints.get();
  const bp::bp_result result = run_bp_observed("bp", r.run, ingress, g, model, observed, settings);

  if (ranks->rank() != 0) return 0;
  if (r.out) {
    if (r.settings.task == bp::bp_task::map) bp::write_map(*r.out, result.labels);
    else bp::write_mar(*r.out, result.beliefs);
  }
  if (!r.run.quiet) {
    print_bp_run("bp", r.settings, result);
    if (r.settings.task == bp::bp_task::mar) std::printf("log Z (Bethe estimate): %.6f\n", result.log_partition);
    if (reference) {
      const auto e = bp::compare_marginals(result.beliefs, *reference, observed);
      std::printf("against %s (%llu unobserved variables): Hellinger mean %.3g, max %.3g; largest absolute error %.3g\n",
                  r.reference->c_str(), static_cast<unsigned long long>(e.variables), e.mean_hellinger, e.max_hellinger,
                  e.max_absolute);
      if (r.settings.task == bp::bp_task::map)
        std::printf("(the reference holds marginals; MAP runs compare their max-marginals, which differ by design)\n");
      else if (result.converged && e.max_hellinger > 1e-3)
        std::printf("(BP converged: this error is its fixed point's on a model with loops, not a lack of iterations)\n");
    }
    if (r.out) std::printf("wrote %s\n", r.out->c_str());
    if (r.run.stats_path) std::printf("wrote per-step statistics to %s\n", r.run.stats_path->c_str());
  }
  // Not converging is a result, not an error: the summary says so.
  return 0;
}

}  // namespace gasworks::commands
