// gasworks lasso: sparse linear regression (the Lasso) by parallel coordinate
// descent, with the schedule that decides which coefficients move together;
// one lambda or a warm-started regularisation path; coefficients,
// predictions for test data, and the path's table as result files.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "apps/commands/commands.hpp"
#include "engine/cli/checkpoint_flags.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/cli/run_observer.hpp"
#include "engine/comm/collective_error.hpp"
#include "engine/core/error.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/io/atomic_output_file.hpp"
#include "toolkits/lasso/feature_scaling.hpp"
#include "toolkits/lasso/lasso_predictions.hpp"
#include "toolkits/lasso/lasso_problem.hpp"
#include "toolkits/lasso/lasso_solver.hpp"
#include "toolkits/lasso/regression_file.hpp"

namespace gasworks::commands {
namespace {

constexpr const char* description =
    "Fits a sparse linear model by the Lasso, as scikit-learn states it:\n"
    "  minimise (1/2n) ||y - X beta - b||^2 + lambda ||beta||_1\n"
    "with the intercept b fitted and not penalised (--intercept off: b = 0).\n"
    "Features and samples are the two sides of a bipartite graph whose edges hold\n"
    "the nonzero x_ij; each coordinate update gathers x_j^T r over its samples and\n"
    "soft-thresholds, and several run at once, chosen by the schedule:\n"
    "  cyclic   features in order, P at a time\n"
    "  shotgun  P features drawn uniformly at random (Bradley et al. 2011)\n"
    "  strads   features drawn by priority (Lee et al., NIPS 2014): a share eta of\n"
    "           the draws uniformly, the rest with probability proportional to\n"
    "           step^2 ||x_j - mean_j||^2 / ||y - mean y||^2, the step a feature took\n"
    "           when it last ran, or would take now as measured by each duality-gap\n"
    "           pass. Drawn features are thinned so that no two in a round\n"
    "           correlate by rho or more and every row of the round's correlation\n"
    "           matrix sums to less than 1 in absolute value, so that a round's\n"
    "           simultaneous steps can never increase the objective.\n"
    "Defaults (strads, P 16, rho 0.5, eta 0.02) were measured on the leukemia data\n"
    "(72 x 7129): see bench/lasso_bench.cpp and the README.\n"
    "\n"
    "lambda: --lambda L, or --lambda-ratio R (lambda = R lambda_max, lambda_max =\n"
    "||X_c^T y_c||_inf / n being the smallest lambda whose solution is all zeros),\n"
    "or --path N: N values on a geometric grid from lambda_max down to\n"
    "--lambda-min-ratio lambda_max, each solve starting from the last.\n"
    "Stops when the duality gap (scikit-learn's) is at most tol ||y - mean y||^2 / n.\n"
    "\n"
    "Input: libsvm ('target index:value ...', 1-based; --zero-based), CSV (a header\n"
    "line; the target is --target-column or the last column), or a Matrix Market\n"
    "design (rows samples, columns features) with --target FILE; by file name\n"
    "(.libsvm .svm .txt, .csv, .mtx, each maybe .gz) or --format.\n"
    "\n"
    "Output (each written to a temporary file and renamed):\n"
    "  PREFIX.coef         'intercept VALUE', then 'INDEX VALUE' per nonzero\n"
    "                      coefficient (libsvm: the file's index; CSV: the feature\n"
    "                      column's place among the features, from 1; mtx: column)\n"
    "  PREFIX.path         --path: lambda, nonzeros, objective, gap, rounds, updates,\n"
    "                      seconds per point\n"
    "  PREFIX.predictions  --test: one prediction per test sample, in file order\n"
    "A round is one set of coordinates run together.";

struct lasso_request {
  std::filesystem::path data;
  std::optional<std::filesystem::path> test;
  std::optional<std::filesystem::path> test_target;
  std::optional<std::filesystem::path> out;
  lasso::regression_read_options read;
  std::optional<double> lambda;
  std::optional<double> lambda_ratio;
  unsigned path = 0;
  double lambda_min_ratio = 0.01;
  bool intercept = true;
  bool standardize = false;
  lasso::lasso_settings settings;
  partition::method partition = partition::default_method;
  cli::run_settings run;
  cli::checkpoint_request checkpoints;
};

bool on_off(const cli::command_line& cmd, const std::string& flag) {
  const std::string value = cmd.text(flag);
  if (value != "on" && value != "off") throw usage_error("--" + flag + " expects on or off, got '" + value + "'");
  return value == "on";
}

std::optional<lasso_request> parse_request(const command_ranks& ranks, int argc, const char* const* argv) {
  namespace po = boost::program_options;
  cli::command_line cmd("lasso", "--data FILE (--lambda L | --lambda-ratio R | --path N) [options]", description);
  cmd.add()
      ("data", po::value<std::string>()->value_name("FILE"), "training data (required)")
      ("test", po::value<std::string>()->value_name("FILE"), "test data, same format: predictions, RMSE and R^2")
      ("format", po::value<std::string>()->value_name("libsvm|csv|mtx"), "input format (default: by file name)")
      ("zero-based", "libsvm: feature indices count from 0")
      ("target-column", po::value<std::string>()->value_name("NAME"), "csv: the target's column (default: the last)")
      ("target", po::value<std::string>()->value_name("FILE"), "mtx: the target vector (training)")
      ("test-target", po::value<std::string>()->value_name("FILE"), "mtx: the test data's target vector")
      ("lambda", po::value<std::string>()->value_name("L"), "the penalty lambda")
      ("lambda-ratio", po::value<std::string>()->value_name("R"), "lambda = R lambda_max")
      ("path", po::value<std::string>()->value_name("N"), "solve N lambdas from lambda_max down, warm-started")
      ("lambda-min-ratio", po::value<std::string>()->value_name("r")->default_value("0.01"), "the path's last lambda / lambda_max")
      ("schedule", po::value<std::string>()->value_name("cyclic|shotgun|strads")->default_value("strads"), "which coordinates run together")
      ("parallel", po::value<std::string>()->value_name("P")->default_value("16"), "coordinates per round at most")
      ("rho", po::value<std::string>()->value_name("X")->default_value("0.5"), "strads: largest correlation within a round, in (0, 1]")
      ("eta", po::value<std::string>()->value_name("X")->default_value("0.02"), "strads: the share of features drawn uniformly, in (0, 1]")
      ("tol", po::value<std::string>()->value_name("T")->default_value("1e-6"), "duality gap target, relative to ||y - mean y||^2 / n")
      ("max-rounds", po::value<std::string>()->value_name("N")->default_value("1000000"), "rounds per lambda at most")
      ("intercept", po::value<std::string>()->value_name("on|off")->default_value("on"), "fit an unpenalised intercept")
      ("standardize", po::value<std::string>()->value_name("on|off")->default_value("off"),
       "scale features to unit variance (coefficients are reported in the data's units)")
      ("seed", po::value<std::string>()->value_name("S")->default_value("1"), "seed of the shotgun and strads draws")
      ("out,o", po::value<std::string>()->value_name("PREFIX"), "write PREFIX.coef (and .path, .predictions)");
  cmd.add_partition_flag();
  cmd.add_run_flags();
  cmd.add_checkpoint_flags("epochs (an epoch runs about one update per feature, a sixteenth of that under strads)");
  cmd.set_speaks(ranks->rank() == 0);
  if (!cmd.parse(argc, argv)) return std::nullopt;

  lasso_request r;
  if (!cmd.has("data")) throw usage_error("--data FILE is required");
  r.data = cmd.text("data");
  if (cmd.has("test")) r.test = cmd.text("test");
  if (cmd.has("out")) r.out = cmd.text("out");
  if (cmd.has("format")) {
    const std::string f = cmd.text("format");
    if (f == "libsvm") r.read.format = lasso::regression_format::libsvm;
    else if (f == "csv") r.read.format = lasso::regression_format::csv;
    else if (f == "mtx") r.read.format = lasso::regression_format::mtx;
    else throw usage_error("--format expects libsvm, csv or mtx, got '" + f + "'");
  }
  r.read.zero_based = cmd.has("zero-based");
  if (cmd.has("target-column")) r.read.target_column = cmd.text("target-column");
  if (cmd.has("target")) r.read.target_file = cmd.text("target");

  const int choices = static_cast<int>(cmd.has("lambda")) + cmd.has("lambda-ratio") + cmd.has("path");
  if (choices != 1) throw usage_error("give exactly one of --lambda L, --lambda-ratio R and --path N");
  constexpr double huge = 1e300;
  if (cmd.has("lambda")) {
    r.lambda = *cmd.number<double>("lambda", -huge, huge);
    if (!(*r.lambda > 0)) throw usage_error("--lambda must be positive, got '" + cmd.text("lambda") + "'");
  }
  if (cmd.has("lambda-ratio")) {
    r.lambda_ratio = *cmd.number<double>("lambda-ratio", -huge, huge);
    if (!(*r.lambda_ratio > 0)) throw usage_error("--lambda-ratio must be positive, got '" + cmd.text("lambda-ratio") + "'");
  }
  if (cmd.has("path")) r.path = static_cast<unsigned>(*cmd.number<std::uint64_t>("path", 2, 100000));
  r.lambda_min_ratio = *cmd.number<double>("lambda-min-ratio", 1e-12, 1.0);
  if (!(r.lambda_min_ratio < 1)) throw usage_error("--lambda-min-ratio must lie in (0, 1)");

  const std::string schedule = cmd.text("schedule");
  if (schedule == "cyclic") r.settings.schedule = set_selection::cyclic;
  else if (schedule == "shotgun") r.settings.schedule = set_selection::uniform;
  else if (schedule == "strads") r.settings.schedule = set_selection::priority;
  else throw usage_error("--schedule expects cyclic, shotgun or strads, got '" + schedule + "'");
  r.settings.parallel = static_cast<std::uint32_t>(*cmd.number<std::uint64_t>("parallel", 1, 1u << 20));
  r.settings.rho = *cmd.number<double>("rho", -huge, huge);
  if (!(r.settings.rho > 0 && r.settings.rho <= 1)) throw usage_error("--rho must lie in (0, 1], got '" + cmd.text("rho") + "'");
  r.settings.eta = *cmd.number<double>("eta", -huge, huge);
  if (!(r.settings.eta > 0 && r.settings.eta <= 1)) throw usage_error("--eta must lie in (0, 1], got '" + cmd.text("eta") + "'");
  r.settings.tol = *cmd.number<double>("tol", -huge, huge);
  if (!(r.settings.tol > 0)) throw usage_error("--tol must be positive, got '" + cmd.text("tol") + "'");
  r.settings.max_rounds = *cmd.number<std::uint64_t>("max-rounds", 1, std::uint64_t{1} << 62);
  r.settings.seed = *cmd.number<std::uint64_t>("seed", 0, std::numeric_limits<std::uint64_t>::max());
  r.intercept = on_off(cmd, "intercept");
  r.standardize = on_off(cmd, "standardize");
  r.partition = cmd.partition_method();
  r.run = cli::settings_for_rank(cmd.run(), ranks->rank());
  if (r.run.max_iterations) throw usage_error("--max-iterations does not apply: give --max-rounds");
  if (r.run.timeout_seconds) throw usage_error("--timeout does not apply to lasso: give --max-rounds");
  if (cmd.has("test-target")) {
    if (!r.test) throw usage_error("--test-target needs --test");
    r.test_target = cmd.text("test-target");
  }
  std::vector<std::filesystem::path> inputs{r.data};
  if (!r.read.target_file.empty()) inputs.push_back(r.read.target_file);
  r.checkpoints = cmd.checkpoints(inputs, {"out", "test", "test-target"});
  r.checkpoints.step_name = "epoch";
  return r;
}

// The index a file gives feature `column` of `d`.
std::uint64_t file_index(const lasso::regression_data& d, std::uint64_t column, bool zero_based) {
  return d.feature_index[column] + (zero_based ? 0 : 1);
}

void write_coefficients(const std::filesystem::path& file, const lasso::regression_data& d, const lasso::lasso_fit& fit,
                        bool zero_based) {
  io::atomic_output_file out(file);
  out.stream().precision(17);
  out.stream() << "intercept " << fit.intercept << '\n';
  for (std::uint64_t j = 0; j < d.features; ++j)
    if (fit.beta[j] != 0) out.stream() << file_index(d, j, zero_based) << ' ' << fit.beta[j] << '\n';
  out.commit();
}

}  // namespace

int lasso(const command_ranks& ranks, int argc, const char* const* argv) {
  auto request = run_collectively(*ranks, [&] { return parse_request(ranks, argc, argv); });
  if (!request) return 0;
  lasso_request& r = *request;
  std::optional<tbb::global_control> thread_limit;
  if (r.run.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, r.run.threads);
  const bool speaks = ranks->rank() == 0 && !r.run.quiet;

  // Every rank reads the data: the dependency rule and the measures read columns.
  const stopwatch reading;
  lasso::regression_data data = run_collectively(*ranks, [&] { return lasso::read_regression(r.data, r.read); });
  std::optional<lasso::regression_data> test;
  run_collectively(*ranks, [&] {
    if (!r.test || ranks->rank() != 0) return;
    lasso::regression_read_options read = r.read;
    read.target_file = r.test_target ? *r.test_target : std::filesystem::path{};
    test = lasso::read_regression(*r.test, read);
  });
  const bool zero_based = r.read.zero_based && lasso::regression_format_of(r.data) != lasso::regression_format::mtx;
  std::vector<double> scales;
  if (r.standardize) scales = lasso::standardize(data, r.intercept);
  const lasso::lasso_problem problem(data, r.intercept);
  const double lambda_max = problem.lambda_max();
  if (speaks) {
    std::printf("data: %s, %llu samples, %llu features (%llu with entries), %llu nonzeros; read in %.2f s\n", r.data.c_str(),
                static_cast<unsigned long long>(data.samples), static_cast<unsigned long long>(data.declared_features),
                static_cast<unsigned long long>(data.features), static_cast<unsigned long long>(data.entries()), reading.seconds());
    std::printf("lambda_max %.6g%s\n", lambda_max, r.standardize ? " (standardized features)" : "");
    std::fflush(stdout);
  }

  std::vector<double> lambdas;
  if (r.path) {
    for (unsigned k = 0; k < r.path; ++k)
      lambdas.push_back(lambda_max * std::pow(r.lambda_min_ratio, static_cast<double>(k) / static_cast<double>(r.path - 1)));
  } else {
    lambdas.push_back(r.lambda ? *r.lambda : *r.lambda_ratio * lambda_max);
  }
  if (lambda_max == 0 && !r.lambda) throw usage_error("lambda_max is 0 (the target is constant or uncorrelated with every feature): give --lambda");

  ingress_options placement;
  placement.method = r.partition;
  lasso::lasso_solver solver(ranks, problem, r.settings, placement);
  cli::run_observer observer(r.run, "lasso", {"objective", "gap", "nonzeros"});
  observer.count_updates();
  std::uint64_t epoch = 0, reported_updates = 0;
  double solving = 0;  // the lambda of the solve reported last
  const auto observe = [&](const lasso::lasso_progress& p) {
    if (p.lambda != solving) reported_updates = 0;  // a new solve counts its updates from 0
    solving = p.lambda;
    superstep_report report;
    report.superstep = epoch++;
    report.active = p.updates - reported_updates;
    reported_updates = p.updates;
    report.elapsed = p.seconds;
    report.metrics = {{"lambda", p.lambda}, {"objective", p.measures.objective}, {"nonzeros", static_cast<double>(p.measures.nonzeros)}};
    if (!std::isnan(p.measures.gap)) report.metrics.push_back({"gap", p.measures.gap});
    observer(report);
  };

  const auto checkpoints =
      run_collectively(*ranks, [&] { return cli::open_checkpoints(*ranks, r.checkpoints, r.run.threads, r.run.quiet); });
  std::vector<lasso::lasso_fit> fits = solver.solve_path(lambdas, observe, checkpoints.get());
  observer.finish();
  lasso::lasso_fit& fit = fits.back();
  // Every rank measured the same objective, so every rank stops alike.
  if (fit.diverged) {
    if (ranks->rank() == 0)
      std::fprintf(stderr,
                   "error: the solve diverged at lambda %.6g after %llu rounds (objective %.3g): rounds of %u correlated "
                   "features overshoot together; lower --parallel or use --schedule strads. Nothing was written.\n",
                   fit.lambda, static_cast<unsigned long long>(fit.rounds), fit.objective, r.settings.parallel);
    return 1;
  }
  if (r.standardize)
    for (std::uint64_t j = 0; j < data.features; ++j) fit.beta[j] /= scales[j];

  if (ranks->rank() != 0) return 0;
  std::vector<double> predictions;
  lasso::prediction_errors errors;
  if (test) {
    predictions = lasso::predict(data, fit.beta, fit.intercept, *test);
    errors = lasso::measure_predictions(predictions, test->target);
  }
  if (r.out) {
    write_coefficients(std::filesystem::path(r.out->string() + ".coef"), data, fit, zero_based);
    if (r.path) {
      io::atomic_output_file out(std::filesystem::path(r.out->string() + ".path"));
      out.stream() << "lambda\tnonzeros\tobjective\tgap\trounds\tupdates\tseconds\n";
      out.stream().precision(10);
      for (const auto& f : fits)
        out.stream() << f.lambda << '\t' << f.nonzeros << '\t' << f.objective << '\t' << f.gap << '\t' << f.rounds << '\t'
                     << f.updates << '\t' << f.seconds << '\n';
      out.commit();
    }
    if (test) {
      io::atomic_output_file out(std::filesystem::path(r.out->string() + ".predictions"));
      out.stream().precision(17);
      for (double y : predictions) out.stream() << y << '\n';
      out.commit();
    }
  }
  if (!r.run.quiet) {
    const char* schedule = r.settings.schedule == set_selection::cyclic ? "cyclic" : r.settings.schedule == set_selection::uniform ? "shotgun" : "strads";
    double seconds = 0;
    std::uint64_t updates = 0, rounds = 0;
    bool converged = true;
    for (const auto& f : fits) {
      seconds += f.seconds;
      updates += f.updates;
      rounds += f.rounds;
      converged = converged && f.converged;
    }
    std::printf("lasso: %s schedule, P %u%s: %s after %llu rounds, %llu coordinate updates (%.3g per second), %.3f s\n", schedule,
                r.settings.parallel, r.settings.schedule == set_selection::priority ? (", rho " + std::to_string(r.settings.rho).substr(0, 4)).c_str() : "",
                converged ? "converged" : "NOT converged (--max-rounds reached)", static_cast<unsigned long long>(rounds),
                static_cast<unsigned long long>(updates), seconds > 0 ? static_cast<double>(updates) / seconds : 0.0, seconds);
    if (r.path) std::printf("path: %u lambdas from %.6g to %.6g\n", r.path, lambdas.front(), lambdas.back());
    std::printf("lambda %.6g (%.4g lambda_max): objective %.10g, duality gap %.3g (target %.3g), %llu nonzero coefficients, intercept %.6g\n",
                fit.lambda, lambda_max > 0 ? fit.lambda / lambda_max : 0.0, fit.objective, fit.gap,
                r.settings.tol * problem.target_scale(), static_cast<unsigned long long>(fit.nonzeros), fit.intercept);
    if (fit.lambda >= lambda_max)
      std::printf("(lambda >= lambda_max: every coefficient is zero, the model predicts the %s)\n",
                  r.intercept ? "target's mean" : "value 0");
    if (test)
      std::printf("test %s: %llu samples, RMSE %.6g, R^2 %.6f\n", r.test->c_str(), static_cast<unsigned long long>(test->samples),
                  errors.rmse, errors.r2);
    if (r.out) {
      std::printf("wrote %s.coef", r.out->c_str());
      if (r.path) std::printf(", %s.path", r.out->c_str());
      if (test) std::printf(", %s.predictions", r.out->c_str());
      std::printf("\n");
    }
    if (r.run.stats_path) std::printf("wrote per-epoch statistics to %s\n", r.run.stats_path->c_str());
  }
  // Not converging is a result, not an error: the summary says so.
  return 0;
}

}  // namespace gasworks::commands
