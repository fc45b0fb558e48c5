// ALS (or SGD) on a generated ratings set, on the ranks of an mpiexec job
// (or one process): seconds per iteration, and, on one process, the ratio
// to a hand-written ALS kernel (users and items in plain CSR arrays, the
// same Eigen rank-one updates and Cholesky solves, TBB over vertices).
//
// Each rank generates its own share of the ratings (the generator is a pure
// function of the rating's index), so the set is the same for every rank count.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Cholesky>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "bench/bench_support.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "toolkits/cf/als.hpp"
#include "toolkits/cf/sgd.hpp"
#include "toolkits/cf/synthetic_ratings.hpp"

namespace {

using namespace gasworks;
using bench::median;

constexpr const char* description =
    "Matrix factorization of seeded synthetic ratings, on every rank; run it as one\n"
    "process or under mpiexec -n N.";

struct bench_options {
  std::uint64_t ratings = 0;
  cf::synthetic_ratings generator;
  int rank = 0;
  std::uint64_t iterations = 0;
  std::uint64_t trials = 0;
  std::optional<unsigned> threads;
  partition::method method = partition::default_method;
  bool sgd = false;
  bool kernel = false;
  bool variational = false;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("ratings", po::value<std::string>()->value_name("M")->default_value("10000000"), "generated ratings, 1..2^40")
      ("users", po::value<std::string>()->value_name("U")->default_value("100000"), "users, 1..2^40")
      ("items", po::value<std::string>()->value_name("I")->default_value("20000"), "items, 1..2^40")
      ("rank", po::value<std::string>()->value_name("D")->default_value("20"), "latent factors, 1..1000")
      ("iterations", po::value<std::string>()->value_name("N")->default_value("3"), "iterations per trial, 1..100000")
      ("trials", po::value<std::string>()->value_name("N")->default_value("3"), "trials, 1..1000; the median is reported")
      ("threads", po::value<std::string>()->value_name("N"), "worker threads per rank, 1..1024 (default: all cores)")
      ("partition", po::value<std::string>()->value_name("M")->default_value(std::string(partition::name(partition::default_method))),
       "how ratings are spread over the ranks: random|grid|oblivious|hdrf|metis")
      ("algorithm", po::value<std::string>()->value_name("als|sgd")->default_value("als"), "factorization algorithm")
      ("kernel", po::value<std::string>()->value_name("on|off")->default_value("on"),
       "also time the hand-written ALS kernel (one process only)")
      ("variational", po::value<std::string>()->value_name("on|off")->default_value("off"),
       "ALS: variational Bayes, with biases and the toolkit's prior");
}

// The value of a flag that takes one of two words.
std::string read_word(const cli::command_line& cmd, const std::string& flag, const char* first, const char* second) {
  std::string value = cmd.text(flag);
  if (value != first && value != second)
    throw usage_error("--" + flag + " expects " + first + " or " + second + ", got '" + value + "'");
  return value;
}

bench_options read_flags(const cli::command_line& cmd) {
  constexpr std::uint64_t max_count = 1ULL << 40;
  bench_options o;
  o.ratings = *cmd.number<std::uint64_t>("ratings", 1, max_count);
  o.generator.users = *cmd.number<std::uint64_t>("users", 1, max_count);
  o.generator.items = *cmd.number<std::uint64_t>("items", 1, max_count);
  o.rank = static_cast<int>(*cmd.number<unsigned>("rank", 1, 1000));
  o.iterations = *cmd.number<std::uint64_t>("iterations", 1, 100000);
  o.trials = *cmd.number<std::uint64_t>("trials", 1, 1000);
  o.threads = cmd.number<unsigned>("threads", 1, 1024);
  o.method = cmd.partition_method();
  o.sgd = read_word(cmd, "algorithm", "als", "sgd") == "sgd";
  o.kernel = read_word(cmd, "kernel", "on", "off") == "on";
  o.variational = read_word(cmd, "variational", "on", "off") == "on";
  return o;
}

// The hand-written ALS kernel: one side's ratings as CSR (neighbour, value).
struct csr_side {
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> neighbours;
  std::vector<double> values;
};

csr_side build_side(const std::vector<cf::rating>& ratings, std::uint64_t count, bool by_user) {
  csr_side s;
  s.offsets.assign(count + 1, 0);
  for (const auto& r : ratings) ++s.offsets[(by_user ? r.user : r.item) + 1];
  for (std::uint64_t i = 0; i < count; ++i) s.offsets[i + 1] += s.offsets[i];
  std::vector<std::uint64_t> at(s.offsets.begin(), s.offsets.end() - 1);
  s.neighbours.resize(ratings.size());
  s.values.resize(ratings.size());
  for (const auto& r : ratings) {
    const std::uint64_t slot = at[by_user ? r.user : r.item]++;
    s.neighbours[slot] = static_cast<std::uint32_t>(by_user ? r.item : r.user);
    s.values[slot] = r.value;
  }
  return s;
}

// Solves every row of `solved` (D x n, column per vertex) against `fixed`.
void kernel_half_step(const csr_side& side, const Eigen::MatrixXd& fixed, Eigen::MatrixXd& solved, double lambda) {
  const Eigen::Index d = fixed.rows();
  tbb::parallel_for(std::uint64_t{0}, static_cast<std::uint64_t>(solved.cols()), [&](std::uint64_t v) {
    const std::uint64_t begin = side.offsets[v], end = side.offsets[v + 1];
    if (begin == end) return;
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(d, d);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(d);
    for (std::uint64_t e = begin; e < end; ++e) {
      const auto col = fixed.col(side.neighbours[e]);
      a.selfadjointView<Eigen::Lower>().rankUpdate(col);
      b.noalias() += side.values[e] * col;
    }
    a.diagonal().array() += lambda * static_cast<double>(end - begin);
    solved.col(static_cast<Eigen::Index>(v)) = Eigen::LLT<Eigen::MatrixXd, Eigen::Lower>(a).solve(b);
  });
}

int run_bench(const bench_options& o, const std::shared_ptr<communicator>& ranks) {
  std::optional<tbb::global_control> thread_limit;
  if (o.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, *o.threads);
  const auto threads = static_cast<unsigned>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  const bool speaks = ranks->rank() == 0;

  const std::uint64_t m = o.ratings;
  const auto r = static_cast<std::uint64_t>(ranks->rank()), n = static_cast<std::uint64_t>(ranks->size());
  const std::uint64_t first = m / n * r + std::min(r, m % n), last = m / n * (r + 1) + std::min(r + 1, m % n);
  std::vector<cf::rating> mine(last - first);
  tbb::parallel_for(first, last, [&](std::uint64_t k) { mine[k - first] = o.generator(k); });
  std::vector<routed_edge<cf::rating_edge>> edges(mine.size());
  for (std::size_t i = 0; i < mine.size(); ++i)
    edges[i] = {cf::user_vertex(mine[i].user), cf::item_vertex(mine[i].item), {mine[i].value, cf::rating_role::train}};

  ingress_options ingress;
  ingress.policy.parallel_edges = ingress_policy::duplicates::keep;
  ingress.method = o.method;
  ingress_report report;
  auto g = build_shard<cf::latent_vertex, cf::rating_edge>(ranks, std::move(edges), {}, ingress, &report);
  if (speaks) {
    std::printf("synthetic ratings: %llu ratings, %llu users and items with ratings; %d rank%s x %u thread%s; D = %d\n",
                static_cast<unsigned long long>(g.num_edges()), static_cast<unsigned long long>(g.num_vertices()),
                ranks->size(), ranks->size() == 1 ? "" : "s", threads, threads == 1 ? "" : "s", o.rank);
    if (ranks->size() > 1) std::printf("ingress: %s\n", report.describe().c_str());
  }

  std::vector<double> engine_seconds, kernel_seconds;
  double rmse = 0;
  for (std::uint64_t t = 0; t < o.trials; ++t) {
    cf::fit_result fit;
    if (o.sgd) {
      cf::sgd_options opts;
      opts.rank = o.rank;
      opts.iterations = o.iterations;
      fit = cf::run_sgd(g, opts);
    } else {
      cf::als_options opts;
      opts.rank = o.rank;
      opts.iterations = o.iterations;
      if (o.variational) {
        // gasworks als's defaults.
        opts.variational = opts.biased = true;
        opts.lambda = 0.02;
        opts.prior = 6;
        opts.bias_lambda = 3;
      }
      fit = cf::run_als(g, opts);
    }
    engine_seconds.push_back(ranks->all_reduce_max(fit.run.seconds) / static_cast<double>(o.iterations));
    rmse = fit.history.back().train_rmse;
    if (speaks)
      std::printf("trial %llu: engine %.3f s per iteration (train RMSE %.4f)\n", static_cast<unsigned long long>(t + 1),
                  engine_seconds.back(), rmse);
  }
  // The kernel is plain ALS: compared with the plain program only.
  const bool with_kernel = o.kernel && !o.sgd && !o.variational && ranks->size() == 1;
  if (with_kernel) {
    const csr_side by_user = build_side(mine, o.generator.users, true), by_item = build_side(mine, o.generator.items, false);
    for (std::uint64_t t = 0; t < o.trials; ++t) {
      Eigen::MatrixXd users(o.rank, static_cast<Eigen::Index>(o.generator.users));
      Eigen::MatrixXd items(o.rank, static_cast<Eigen::Index>(o.generator.items));
      for (Eigen::Index i = 0; i < items.cols(); ++i)
        items.col(i) = cf::initial_factors(1, cf::item_vertex(static_cast<std::uint64_t>(i)), o.rank, 0.1);
      const auto start = std::chrono::steady_clock::now();
      for (std::uint64_t it = 0; it < o.iterations; ++it) {
        kernel_half_step(by_user, items, users, cf::als_options{}.lambda);
        kernel_half_step(by_item, users, items, cf::als_options{}.lambda);
      }
      kernel_seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                               static_cast<double>(o.iterations));
      if (speaks) std::printf("trial %llu: kernel %.3f s per iteration\n", static_cast<unsigned long long>(t + 1), kernel_seconds.back());
    }
  }
  if (speaks) {
    std::printf("median: engine %.3f s per iteration", median(engine_seconds));
    if (with_kernel) std::printf(", kernel %.3f s, engine/kernel %.2f", median(kernel_seconds), median(engine_seconds) / median(kernel_seconds));
    std::printf("\n{\"algorithm\":\"%s\",\"variational\":%s,\"ranks\":%d,\"threads\":%u,\"ratings\":%llu,\"rank\":%d,\"partition\":\"%s\","
                "\"median_seconds_per_iteration\":%.4f,\"kernel_seconds_per_iteration\":%.4f,\"train_rmse\":%.5f}\n",
                o.sgd ? "sgd" : "als", o.variational ? "true" : "false", ranks->size(), threads, static_cast<unsigned long long>(m), o.rank,
                std::string(partition::name(o.method)).c_str(), median(engine_seconds),
                with_kernel ? median(kernel_seconds) : 0.0, rmse);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  gasworks::cli::command_line cmd("gasworks-bench-cf", "[options]", description);
  declare_flags(cmd);
  return gasworks::bench::main_on_ranks(argc, argv, cmd, read_flags, run_bench);
}
