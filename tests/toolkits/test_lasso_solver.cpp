// The Lasso on the phased engine: the exact solution of a tiny problem, the
// serial reference's objective on the shared sets for every schedule and
// thread count, the KKT conditions, and the STRADS dependency rule checked
// on every set a run chooses.
#include <gtest/gtest.h>

#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/error.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/lasso/lasso_problem.hpp"
#include "toolkits/lasso/lasso_reference.hpp"
#include "toolkits/lasso/lasso_solver.hpp"
#include "toolkits/lasso/regression_file.hpp"
#include "toolkits/lasso/synthetic_regression.hpp"

namespace gasworks::lasso {
namespace {

using testing::scratch_directory;

lasso_settings schedule(set_selection s, std::uint32_t p, double tol = 1e-10) {
  lasso_settings settings;
  settings.schedule = s;
  settings.parallel = p;
  settings.tol = tol;
  return settings;
}

TEST(LassoSolver, SolvesATinyProblemExactly) {
  scratch_directory dir("lasso_solver_tiny");
  // y = (1, 2, 6), x = (0, 1, 2): at lambda = 1, beta = 1 and b = 2 (test_lasso.cpp works it out).
  const auto d = read_libsvm(dir.write("t.libsvm", "1\n2 1:1\n6 1:2\n"));
  const lasso_problem p(d);
  for (auto s : {set_selection::cyclic, set_selection::uniform, set_selection::priority}) {
    lasso_solver solver(std::make_shared<communicator>(), p, schedule(s, 1, 1e-12));
    const lasso_fit fit = solver.solve(1.0);
    EXPECT_TRUE(fit.converged);
    EXPECT_NEAR(fit.beta[0], 1.0, 1e-12);
    EXPECT_NEAR(fit.intercept, 2.0, 1e-12);
    EXPECT_NEAR(fit.objective, 2.0, 1e-12);
    EXPECT_EQ(fit.nonzeros, 1u);
    // Above lambda_max the solution is all zeros, from a warm start too.
    const lasso_fit zero = solver.solve(p.lambda_max() * 1.01);
    EXPECT_EQ(zero.beta[0], 0.0);
    EXPECT_EQ(zero.nonzeros, 0u);
    EXPECT_NEAR(zero.intercept, 3.0, 1e-12);
  }
}

// A path is its solves in turn, each warm-started from the last: the same
// rounds, updates and figures (one thread: the same arithmetic), and the
// last solve's coefficients (the only ones a path keeps).
TEST(LassoSolver, APathIsItsSolvesInTurn) {
  GASWORKS_REQUIRE_DATASET(path, "regression/diabetes/diabetes.libsvm");
  const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
  const auto d = read_libsvm(path);
  const lasso_problem p(d);
  const std::vector<double> lambdas = {p.lambda_max() * 1.5, p.lambda_max() * 0.3, p.lambda_max() * 0.05, p.lambda_max() * 0.01};
  for (auto s : {set_selection::cyclic, set_selection::uniform, set_selection::priority}) {
    SCOPED_TRACE(static_cast<int>(s));
    lasso_solver one_by_one(std::make_shared<communicator>(), p, schedule(s, 4, 1e-8));
    std::vector<lasso_fit> expected;
    for (double lambda : lambdas) expected.push_back(one_by_one.solve(lambda));
    lasso_solver along(std::make_shared<communicator>(), p, schedule(s, 4, 1e-8));
    const std::vector<lasso_fit> fits = along.solve_path(lambdas);
    ASSERT_EQ(fits.size(), expected.size());
    for (std::size_t k = 0; k < fits.size(); ++k) {
      EXPECT_EQ(fits[k].lambda, expected[k].lambda);
      EXPECT_EQ(fits[k].rounds, expected[k].rounds) << k;
      EXPECT_EQ(fits[k].updates, expected[k].updates) << k;
      EXPECT_EQ(fits[k].objective, expected[k].objective) << k;
      EXPECT_EQ(fits[k].converged, expected[k].converged) << k;
    }
    EXPECT_EQ(fits.back().beta, expected.back().beta);
    EXPECT_TRUE(fits.front().beta.empty());
  }
}

struct shared_case {
  const char* file;
  double lambda_ratio;
};

constexpr shared_case shared_cases[] = {
    {"regression/diabetes/diabetes.libsvm", 0.01},
    {"regression/diabetes/diabetes_x2.libsvm", 0.01},
    {"regression/prostate/prostate.libsvm", 0.01},
};

// Every schedule reaches the reference's objective, with the solver's own
// measures agreeing with the problem's and the KKT conditions holding.
TEST(LassoSolver, EverySchedulePleasesTheReference) {
  for (const auto& c : shared_cases) {
    GASWORKS_REQUIRE_DATASET(path, c.file);
    SCOPED_TRACE(c.file);
    const auto d = read_libsvm(path);
    const lasso_problem p(d);
    const double lambda = c.lambda_ratio * p.lambda_max();
    const auto oracle = reference::cyclic_descent(p, lambda, 1e-12);
    ASSERT_TRUE(oracle.converged);
    for (auto [s, parallel] : {std::pair{set_selection::cyclic, 1u}, std::pair{set_selection::cyclic, 4u},
                               std::pair{set_selection::uniform, 4u}, std::pair{set_selection::priority, 4u}}) {
      SCOPED_TRACE("schedule " + std::to_string(static_cast<int>(s)) + " P " + std::to_string(parallel));
      lasso_solver solver(std::make_shared<communicator>(), p, schedule(s, parallel));
      const lasso_fit fit = solver.solve(lambda);
      ASSERT_TRUE(fit.converged);
      EXPECT_NEAR(fit.objective / oracle.objective, 1.0, 1e-9);
      EXPECT_NEAR(p.objective(fit.beta, lambda) / fit.objective, 1.0, 1e-12);
      EXPECT_NEAR(p.intercept(fit.beta), fit.intercept, 1e-9 * (1 + std::abs(fit.intercept)));
      EXPECT_NEAR(p.duality_gap(fit.beta, lambda), fit.gap, 1e-9 * p.target_scale());
      EXPECT_LT(p.kkt_violation(fit.beta, lambda), 1e-3);
    }
  }
}

// On every set a strads run chooses, no two features correlate by rho or
// more and every row of the set's correlation matrix sums below 1 (checked
// against correlations computed here, apart from the rule's cache); and the
// run still reaches the reference's objective.
TEST(LassoSolver, NoStradsSetHoldsDependentFeatures) {
  GASWORKS_REQUIRE_DATASET(path, "regression/diabetes/diabetes_x2.libsvm");
  const auto d = read_libsvm(path);
  const lasso_problem p(d);
  const double lambda = 0.01 * p.lambda_max();
  // Centred correlations, dense and direct.
  const std::uint64_t m = d.features, n = d.samples;
  std::vector<std::vector<double>> x(m, std::vector<double>(n, 0.0));
  for (std::uint64_t j = 0; j < m; ++j) {
    for (std::uint64_t k = d.column_start[j]; k < d.column_start[j + 1]; ++k) x[j][d.sample[k]] = d.value[k];
    for (double& v : x[j]) v -= p.column_mean(j);
  }
  const auto correlation = [&](std::uint64_t a, std::uint64_t b) {
    double ab = 0, aa = 0, bb = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      ab += x[a][i] * x[b][i];
      aa += x[a][i] * x[a][i];
      bb += x[b][i] * x[b][i];
    }
    return aa > 0 && bb > 0 ? std::abs(ab) / std::sqrt(aa * bb) : 0.0;
  };
  for (double rho : {0.2, 0.5}) {
    SCOPED_TRACE("rho " + std::to_string(rho));
    lasso_settings settings = schedule(set_selection::priority, 16);
    settings.rho = rho;
    lasso_solver solver(std::make_shared<communicator>(), p, settings);
    std::uint64_t sets = 0, largest = 0, violations = 0;
    double most_correlated = 0;
    solver.scheduler().on_set([&](std::span<const std::uint64_t> set) {
      ++sets;
      largest = std::max<std::uint64_t>(largest, set.size());
      for (std::size_t a = 0; a < set.size(); ++a) {
        double row = 0;
        for (std::size_t b = 0; b < set.size(); ++b) {
          if (a == b) continue;
          const double r = correlation(set[a], set[b]);
          most_correlated = std::max(most_correlated, r);
          row += r;
        }
        violations += row >= 1 + 1e-9;
      }
    });
    const lasso_fit fit = solver.solve(lambda);
    ASSERT_TRUE(fit.converged);
    EXPECT_GT(sets, 100u);
    EXPECT_GT(largest, 1u);  // the rule thins sets, it does not reduce them to one
    EXPECT_LT(most_correlated, rho + 1e-9);
    EXPECT_EQ(violations, 0u);
    EXPECT_GT(solver.scheduler().statistics().rejected, 0u);  // diabetes_x2's interactions do correlate
    const auto oracle = reference::cyclic_descent(p, lambda, 1e-12);
    EXPECT_NEAR(fit.objective / oracle.objective, 1.0, 1e-9);
  }
}

// Every schedule on 1, 2 and 4 threads reaches the reference's objective
// within 1e-6 (the stopping tolerance's scale) on every shared set.
TEST(LassoSolver, EveryThreadCountReachesTheReference) {
  const std::pair<const char*, double> cases[] = {
      {"regression/diabetes/diabetes.libsvm", 0.01},
      {"regression/diabetes/diabetes_x2.libsvm", 0.01},
      {"regression/prostate/prostate.libsvm", 0.01},
      {"regression/leukemia-golub/leukemia.libsvm", 0.1},
  };
  for (const auto& [file, ratio] : cases) {
    GASWORKS_REQUIRE_DATASET(path, file);
    SCOPED_TRACE(file);
    const auto d = read_libsvm(path);
    const lasso_problem p(d);
    const double lambda = ratio * p.lambda_max();
    const auto oracle = reference::cyclic_descent(p, lambda, 1e-10);
    for (int threads : {1, 2, 4}) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
      for (auto s : {set_selection::cyclic, set_selection::uniform, set_selection::priority}) {
        SCOPED_TRACE(std::to_string(threads) + " threads, schedule " + std::to_string(static_cast<int>(s)));
        lasso_solver solver(std::make_shared<communicator>(), p, schedule(s, 4, 1e-8));
        const lasso_fit fit = solver.solve(lambda);
        EXPECT_TRUE(fit.converged);
        EXPECT_NEAR(fit.objective / oracle.objective, 1.0, 1e-6);
      }
    }
  }
}

// Strongly correlated blocks: Shotgun with many coordinates at once
// overshoots (its objective rises and it does not converge in the rounds
// that strads needs), while strads' sets stay safe and converge.
TEST(LassoSolver, ShotgunOvershootsWhereStradsConverges) {
  synthetic_design design;
  design.samples = 400;
  design.features = 200;
  design.per_sample = 40;
  design.block = 20;
  design.correlation = 0.95;
  const auto d = generate_regression(design);
  const lasso_problem p(d);
  const double lambda = 0.01 * p.lambda_max();
  lasso_settings strads = schedule(set_selection::priority, 32, 1e-8);
  strads.max_rounds = 20000;
  lasso_solver safe(std::make_shared<communicator>(), p, strads);
  const lasso_fit converged = safe.solve(lambda);
  EXPECT_TRUE(converged.converged);
  const auto oracle = reference::cyclic_descent(p, lambda, 1e-10);
  EXPECT_NEAR(converged.objective / oracle.objective, 1.0, 1e-6);

  lasso_settings shotgun = schedule(set_selection::uniform, 32, 1e-8);
  shotgun.max_rounds = converged.rounds;
  lasso_solver risky(std::make_shared<communicator>(), p, shotgun);
  double worst = 0;
  const lasso_fit diverged = risky.solve(lambda, [&](const lasso_progress& progress) {
    worst = std::max(worst, progress.measures.objective);
  });
  EXPECT_FALSE(diverged.converged);
  // The objective at beta = 0 is ||y - mean||^2 / 2n: Shotgun climbs far past
  // it, and the solve stops there, saying so.
  EXPECT_GT(worst, 10 * p.objective(std::vector<double>(p.features(), 0.0), lambda));
  EXPECT_TRUE(diverged.diverged);
  EXPECT_FALSE(converged.diverged);
}

}  // namespace
}  // namespace gasworks::lasso
