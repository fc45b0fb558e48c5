// The Lasso's schedules against each other and against a hand-written serial
// coordinate descent: for one data set and lambda (a fraction of lambda_max),
// every schedule (cyclic, shotgun, strads) at every set size P solves to the
// same duality gap; the table gives coordinate updates, seconds (median of
// the trials) and updates per second, and the ratio of updates to cyclic
// P = 1. With --path N, the same for a whole warm-started path of N values
// of lambda down to --min-ratio. Runs on the ranks of an mpiexec job too
// (rank 0 prints). --data synthetic generates correlated blocks (seeded).
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "bench/bench_support.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/cli/number_parsing.hpp"
#include "engine/core/error.hpp"
#include "toolkits/lasso/lasso_problem.hpp"
#include "toolkits/lasso/lasso_reference.hpp"
#include "toolkits/lasso/lasso_solver.hpp"
#include "toolkits/lasso/regression_file.hpp"
#include "toolkits/lasso/synthetic_regression.hpp"

namespace {

using namespace gasworks;
using bench::median;

constexpr const char* description =
    "Lasso by coordinate descent on the phased engine: cyclic, shotgun and strads\n"
    "schedules at several set sizes P, each solved to the same duality gap, against\n"
    "a hand-written serial cyclic coordinate descent (dense centred columns).\n"
    "--data synthetic generates a sparse design with correlated blocks of features.";

struct bench_options {
  std::string data;
  double ratio = 0.01;
  unsigned path = 0;
  double min_ratio = 0.01;
  double tol = 1e-6;
  std::vector<std::uint32_t> parallel{1, 2, 8, 32};
  std::vector<std::string> schedules{"cyclic", "shotgun", "strads"};
  unsigned trials = 3;
  unsigned threads = 0;
  double rho = 0.5;
  double eta = 0.02;
  bool reference = true;
  lasso::synthetic_design synthetic;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("data", po::value<std::string>()->value_name("FILE|synthetic"), "libsvm data, or 'synthetic' (required)")
      ("ratio", po::value<std::string>()->default_value("0.01"), "lambda = ratio * lambda_max")
      ("path", po::value<std::string>()->value_name("N"), "solve a path of N lambdas from lambda_max down to --min-ratio")
      ("min-ratio", po::value<std::string>()->default_value("0.01"), "the path's last lambda / lambda_max")
      ("tol", po::value<std::string>()->default_value("1e-6"), "duality gap target, relative to ||y - mean||^2 / n")
      ("parallel", po::value<std::string>()->default_value("1,2,8,32"), "set sizes P to measure")
      ("schedules", po::value<std::string>()->default_value("cyclic,shotgun,strads"), "schedules to measure")
      ("rho", po::value<std::string>()->default_value("0.5"), "strads: correlation bound")
      ("eta", po::value<std::string>()->default_value("0.02"), "strads: share of uniform draws")
      ("trials", po::value<std::string>()->default_value("3"), "runs per cell (median time)")
      ("threads", po::value<std::string>(), "worker threads (default: all cores)")
      ("no-reference", "skip the serial reference")
      ("samples", po::value<std::string>()->default_value("100000"), "synthetic: samples")
      ("features", po::value<std::string>()->default_value("50000"), "synthetic: features")
      ("per-sample", po::value<std::string>()->default_value("50"), "synthetic: nonzeros per sample")
      ("block", po::value<std::string>()->default_value("10"), "synthetic: features per correlated block")
      ("correlation", po::value<std::string>()->default_value("0.9"), "synthetic: correlation within a block");
}

bench_options read_flags(const cli::command_line& cmd) {
  bench_options o;
  if (!cmd.has("data")) throw usage_error("--data FILE|synthetic is required");
  o.data = cmd.text("data");
  o.ratio = *cmd.number<double>("ratio", 1e-9, 1.0);
  if (cmd.has("path")) o.path = static_cast<unsigned>(*cmd.number<std::uint64_t>("path", 2, 10000));
  o.min_ratio = *cmd.number<double>("min-ratio", 1e-9, 1.0);
  o.tol = *cmd.number<double>("tol", 1e-15, 1.0);
  o.parallel = cli::parse_number_list<std::uint32_t>("parallel", cmd.text("parallel"), 1, 1u << 20);
  o.schedules.clear();
  std::stringstream in(cmd.text("schedules"));
  for (std::string item; std::getline(in, item, ',');) o.schedules.push_back(item);
  o.rho = *cmd.number<double>("rho", 1e-9, 1.0);
  o.eta = *cmd.number<double>("eta", 1e-12, 1.0);
  o.trials = static_cast<unsigned>(*cmd.number<std::uint64_t>("trials", 1, 1000));
  if (cmd.has("threads")) o.threads = static_cast<unsigned>(*cmd.number<std::uint64_t>("threads", 1, 1024));
  o.reference = !cmd.has("no-reference");
  o.synthetic.samples = *cmd.number<std::uint64_t>("samples", 2, 1ull << 32);
  o.synthetic.features = *cmd.number<std::uint64_t>("features", 1, 1ull << 32);
  o.synthetic.per_sample = *cmd.number<std::uint64_t>("per-sample", 1, 1ull << 20);
  o.synthetic.block = *cmd.number<std::uint64_t>("block", 1, 1ull << 20);
  o.synthetic.correlation = *cmd.number<double>("correlation", 0.0, 0.999);
  return o;
}

set_selection selection_of(const std::string& name) {
  if (name == "cyclic") return set_selection::cyclic;
  if (name == "shotgun") return set_selection::uniform;
  if (name == "strads") return set_selection::priority;
  throw usage_error("unknown schedule '" + name + "' (expected cyclic, shotgun or strads)");
}

// The lambdas of a solve: one, or a geometric path from lambda_max down.
std::vector<double> lambdas_of(const bench_options& o, double lambda_max) {
  if (o.path == 0) return {o.ratio * lambda_max};
  std::vector<double> lambdas;
  for (unsigned k = 0; k < o.path; ++k)
    lambdas.push_back(lambda_max * std::pow(o.min_ratio, static_cast<double>(k) / static_cast<double>(o.path - 1)));
  return lambdas;
}

struct cell {
  std::uint64_t updates = 0;
  std::uint64_t rounds = 0;
  double seconds = 0;
  double objective = 0;  // at the last lambda
  bool converged = true;
  bool diverged = false;
};

int run_bench(const bench_options& o, const std::shared_ptr<communicator>& ranks) {
  const bool speaks = ranks->rank() == 0;
  std::optional<tbb::global_control> thread_limit;
  if (o.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, o.threads);
  const auto data = o.data == "synthetic" ? lasso::generate_regression(o.synthetic) : lasso::read_libsvm(o.data);
  const lasso::lasso_problem problem(data);
  const double lambda_max = problem.lambda_max();
  const std::vector<double> lambdas = lambdas_of(o, lambda_max);
  if (speaks) {
    std::printf("data: %s, %llu samples x %llu features, %llu nonzeros; lambda_max %.6g\n", o.data.c_str(),
                static_cast<unsigned long long>(data.samples), static_cast<unsigned long long>(data.features),
                static_cast<unsigned long long>(data.entries()), lambda_max);
    if (o.path) std::printf("path: %u lambdas from lambda_max to %.3g lambda_max, warm starts\n", o.path, o.min_ratio);
    else std::printf("lambda = %.3g lambda_max = %.6g\n", o.ratio, lambdas.front());
    std::printf("gap target %.3g * ||y - mean||^2 / n; %d rank(s), %zu threads; median of %u trials\n", o.tol, ranks->size(),
                tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism), o.trials);
  }

  double reference_seconds = 0;
  std::uint64_t reference_updates = 0;
  if (o.reference && speaks) {
    std::vector<double> times;
    for (unsigned t = 0; t < o.trials; ++t) {
      const auto start = std::chrono::steady_clock::now();
      std::vector<double> beta;
      reference_updates = 0;
      for (double lambda : lambdas) {
        auto r = lasso::reference::cyclic_descent(problem, lambda, o.tol, 1'000'000, beta);
        reference_updates += r.updates;
        beta = std::move(r.beta);
      }
      times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    reference_seconds = median(times);
    std::printf("serial reference (cyclic, dense columns, 1 thread): %llu updates, %.3f s\n",
                static_cast<unsigned long long>(reference_updates), reference_seconds);
  }
  if (speaks) {
    std::printf("\n%-8s %5s %12s %9s %10s %12s %10s %9s %s\n", "schedule", "P", "updates", "mean set", "seconds", "updates/s",
                "vs cyclic1", "converged", "objective");
    std::fflush(stdout);
  }
  double cyclic_one = 0;
  for (const std::string& name : o.schedules) {
    for (const std::uint32_t p : o.parallel) {
      lasso::lasso_settings s;
      s.schedule = selection_of(name);
      s.parallel = p;
      s.tol = o.tol;
      s.rho = o.rho;
      s.eta = o.eta;
      s.max_rounds = std::max<std::uint64_t>(1, 20'000'000 / p);
      std::vector<double> times;
      cell c;
      for (unsigned t = 0; t < o.trials; ++t) {
        lasso::lasso_solver solver(ranks, problem, s);
        c = {};
        const auto start = std::chrono::steady_clock::now();
        for (double lambda : lambdas) {
          const lasso::lasso_fit fit = solver.solve(lambda);
          c.updates += fit.updates;
          c.rounds += fit.rounds;
          c.objective = fit.objective;
          c.converged = c.converged && fit.converged;
          c.diverged = c.diverged || fit.diverged;
          if (fit.diverged) break;
        }
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
      c.seconds = median(times);
      if (name == "cyclic" && p == 1) cyclic_one = static_cast<double>(c.updates);
      if (!speaks) continue;
      std::printf("%-8s %5u %12llu %9.1f %10.3f %12.3g %10s %9s %.10g\n", name.c_str(), p, static_cast<unsigned long long>(c.updates),
                  c.rounds ? static_cast<double>(c.updates) / static_cast<double>(c.rounds) : 0.0, c.seconds, static_cast<double>(c.updates) / c.seconds,
                  cyclic_one > 0 ? (std::to_string(cyclic_one / static_cast<double>(c.updates)).substr(0, 5) + "x").c_str() : "-",
                  c.converged ? "yes" : (c.diverged ? "DIVERGED" : "NO"), c.objective);
      std::printf("{\"schedule\":\"%s\",\"parallel\":%u,\"ranks\":%d,\"rounds\":%llu,\"updates\":%llu,\"seconds\":%.5f,\"converged\":%s,"
                  "\"reference_seconds\":%.5f,\"reference_updates\":%llu}\n",
                  name.c_str(), p, ranks->size(), static_cast<unsigned long long>(c.rounds), static_cast<unsigned long long>(c.updates), c.seconds,
                  c.converged ? "true" : "false", reference_seconds, static_cast<unsigned long long>(reference_updates));
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  gasworks::cli::command_line cmd("gasworks-bench-lasso", "--data FILE|synthetic [options]", description);
  declare_flags(cmd);
  return gasworks::bench::main_on_ranks(argc, argv, cmd, read_flags, run_bench);
}
