// The Lasso across ranks: every schedule reaches the serial reference's
// objective on the shared regression sets, with every rank agreeing on the
// model, whatever the number of ranks (this program runs under mpiexec -n 1,
// 2 and 3).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "tests/distributed/world.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/lasso/lasso_problem.hpp"
#include "toolkits/lasso/lasso_reference.hpp"
#include "toolkits/lasso/lasso_solver.hpp"
#include "toolkits/lasso/regression_file.hpp"

namespace gasworks::lasso {
namespace {

using testing::world;

TEST(LassoAcrossRanks, EveryScheduleReachesTheReferenceObjective) {
  // Leukemia (7129 features) under strads only: cyclic and shotgun need
  // ten times the rounds, and a round across ranks costs a few collectives.
  const std::tuple<const char*, double, bool> cases[] = {
      {"regression/diabetes/diabetes.libsvm", 0.01, true},
      {"regression/diabetes/diabetes_x2.libsvm", 0.01, true},
      {"regression/prostate/prostate.libsvm", 0.01, true},
      {"regression/leukemia-golub/leukemia.libsvm", 0.1, false},
  };
  for (const auto& [file, ratio, every_schedule] : cases) {
    GASWORKS_REQUIRE_DATASET(path, file);
    SCOPED_TRACE(file);
    const auto d = read_libsvm(path);
    const lasso_problem p(d);
    const double lambda = ratio * p.lambda_max();
    const auto oracle = reference::cyclic_descent(p, lambda, 1e-10);
    ASSERT_TRUE(oracle.converged);
    for (auto [s, parallel] : {std::pair{set_selection::cyclic, 1u}, std::pair{set_selection::uniform, 4u},
                               std::pair{set_selection::priority, 8u}}) {
      if (!every_schedule && s != set_selection::priority) continue;
      SCOPED_TRACE("schedule " + std::to_string(static_cast<int>(s)));
      lasso_settings settings;
      settings.schedule = s;
      settings.parallel = parallel;
      settings.tol = 1e-9;
      lasso_solver solver(world(), p, settings);
      const lasso_fit fit = solver.solve(lambda);
      EXPECT_TRUE(fit.converged);
      EXPECT_NEAR(fit.objective / oracle.objective, 1.0, 1e-6);
      // Every rank holds the same coefficients, and they are the solution's.
      std::vector<double> mine = fit.beta;
      world()->all_reduce_sum(std::span<double>(mine));
      for (std::size_t j = 0; j < mine.size(); ++j) EXPECT_EQ(mine[j], fit.beta[j] * world()->size()) << j;
      EXPECT_LT(p.kkt_violation(fit.beta, lambda), 1e-3);
    }
  }
}

}  // namespace
}  // namespace gasworks::lasso
