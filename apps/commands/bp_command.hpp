#pragma once
// What the commands that run belief propagation (bp, denoise) share: the
// flags of a run (task, schedule, damping, tolerance, limits, log domain),
// the run itself watched by the progress line and --stats, and its summary.
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "engine/cli/command_line.hpp"
#include "engine/cli/run_observer.hpp"
#include "engine/core/error.hpp"
#include "engine/ingress/ingress_report.hpp"
#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_settings.hpp"

namespace gasworks::commands {

// `defaults` gives the shown defaults of tolerance and iterations.
inline void add_bp_flags(cli::command_line& cmd, const bp::bp_settings& defaults) {
  namespace po = boost::program_options;
  char tolerance[32];
  std::snprintf(tolerance, sizeof tolerance, "%g", defaults.tolerance);
  cmd.add()
      ("task", po::value<std::string>()->value_name("mar|map")->default_value("mar"), "marginals (sum-product) or MAP labels (max-product)")
      ("schedule", po::value<std::string>()->value_name("sync|residual|sweep")->default_value("sync"), "order of message updates")
      ("damping", po::value<std::string>()->value_name("D")->default_value("0"), "in [0, 1): weight of the old message")
      ("tol", po::value<std::string>()->value_name("T")->default_value(tolerance), "converged when no message entry changes by more")
      ("iterations", po::value<std::string>()->value_name("N")->default_value(std::to_string(defaults.max_iterations)),
       "at most N flooding iterations; the asynchronous schedules get the same work, N x (variables + factors) vertex "
       "updates")
      ("max-updates", po::value<std::string>()->value_name("N"), "asynchronous schedules: at most N vertex updates instead")
      ("log-domain", po::value<std::string>()->value_name("on|off")->default_value("off"), "products as sums of logarithms");
}

// The settings the flags of add_bp_flags and the run flags give.
inline bp::bp_settings read_bp_flags(const cli::command_line& cmd, const cli::run_settings& run) {
  bp::bp_settings s;
  s.task = bp::parse_task(cmd.text("task"));
  s.schedule = bp::parse_schedule(cmd.text("schedule"));
  s.damping = *cmd.number<double>("damping", 0.0, 0.999999);
  s.tolerance = *cmd.number<double>("tol", 0.0, 1.0);
  s.max_iterations = *cmd.number<std::uint64_t>("iterations", 1, std::numeric_limits<std::uint64_t>::max() / (1ull << 32));
  if (cmd.has("max-updates")) {
    if (s.schedule == bp::bp_schedule::sync) throw usage_error("--max-updates applies to the residual and sweep schedules: give --iterations");
    if (cmd.given("iterations")) throw usage_error("give --iterations or --max-updates, not both");
    s.max_updates = *cmd.number<std::uint64_t>("max-updates", 1, std::numeric_limits<std::uint64_t>::max());
  }
  const std::string log_domain = cmd.text("log-domain");
  if (log_domain != "on" && log_domain != "off") throw usage_error("--log-domain expects on or off, got '" + log_domain + "'");
  s.log_domain = log_domain == "on";
  if (run.max_iterations) throw usage_error("--max-iterations does not apply: give --iterations");
  s.timeout_seconds = run.timeout_seconds;
  return s;
}

// What the checkpoint flags ask for, in the engine's steps: with the sync
// schedule, supersteps (an iteration is a variable step and a factor step);
// with the asynchronous ones, progress reports (one per as many updates as
// there are vertices: an iteration's worth).
inline cli::checkpoint_request read_bp_checkpoint_flags(const cli::command_line& cmd, const bp::bp_settings& s,
                                                        std::vector<std::filesystem::path> inputs,
                                                        const std::vector<std::string>& output_flags) {
  cli::checkpoint_request r = cmd.checkpoints(std::move(inputs), output_flags);
  if (s.schedule == bp::bp_schedule::sync) {
    if (r.when.steps) *r.when.steps *= 2;
  } else {
    r.step_name = "progress report";
  }
  return r;
}

// run_bp with the progress line and --stats of command `label`.
inline bp::bp_result run_bp_observed(const char* label, const cli::run_settings& run, const ingress_report& ingress,
                                     bp::factor_graph& g, const std::shared_ptr<const bp::factor_model>& model,
                                     const bp::evidence& observed, const bp::bp_settings& s) {
  cli::run_observer observer(run, label, {"iteration", "residual"});
  if (s.schedule != bp::bp_schedule::sync) observer.count_updates();
  observer.record(ingress);
  bp::bp_result result = bp::run_bp(g, model, observed, s, [&](const superstep_report& report) { observer(report); });
  const bool asynchronous = s.schedule != bp::bp_schedule::sync;
  observer.summary({{"converged", result.converged ? 1.0 : 0.0},
                    {asynchronous ? "vertex_updates" : "iterations",
                     static_cast<double>(asynchronous ? result.run.updates : result.iterations)},
                    {"messages", static_cast<double>(result.message_updates)},
                    {"residual", result.residual},
                    {"log_z", result.log_partition},
                    {"seconds", result.run.seconds}});
  observer.finish();
  return result;
}

inline void print_bp_run(const char* command, const bp::bp_settings& s, const bp::bp_result& result) {
  const bool asynchronous = s.schedule != bp::bp_schedule::sync;
  const double seconds = result.run.seconds;
  std::printf("%s: %s, %s schedule%s: %s after %llu %s, residual %.3g (tol %.3g), %.3f s\n", command,
              s.task == bp::bp_task::map ? "max-product" : "sum-product", std::string(to_string(s.schedule)).c_str(),
              s.damping > 0 ? (", damping " + std::to_string(s.damping)).c_str() : "",
              result.converged ? "converged" : (result.run.reason == termination::timeout ? "stopped at --timeout" : "NOT converged"),
              static_cast<unsigned long long>(asynchronous ? result.run.updates : result.iterations),
              asynchronous ? "vertex updates" : "iterations", result.residual, s.tolerance, seconds);
  std::printf("messages computed: %llu (%.3g per second)\n", static_cast<unsigned long long>(result.message_updates),
              seconds > 0 ? static_cast<double>(result.message_updates) / seconds : 0.0);
}

}  // namespace gasworks::commands
