// The Lasso's ground: libsvm data read strictly into columns, the problem's
// measures (lambda_max, objective, scikit-learn's duality gap, KKT), and the
// serial cyclic coordinate descent reference against scikit-learn's
// solutions on the shared regression sets.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/error.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/lasso/lasso_problem.hpp"
#include "toolkits/lasso/lasso_reference.hpp"
#include "toolkits/lasso/regression_file.hpp"

namespace gasworks::lasso {
namespace {

using testing::scratch_directory;

TEST(LibsvmFile, ReadsSamplesIntoColumns) {
  scratch_directory dir("libsvm");
  const auto d = read_libsvm(dir.write("tiny.libsvm", "# a comment\n1.5 1:2 3:-1\n\n-2 2:4 # trailing\n0 1:1 2:0 3:5\n"));
  EXPECT_EQ(d.samples, 3u);
  EXPECT_EQ(d.features, 3u);
  EXPECT_EQ(d.target, (std::vector<double>{1.5, -2, 0}));
  // Column 0: samples 0 and 2; column 1: sample 1 (the explicit zero is dropped); column 2: samples 0 and 2.
  EXPECT_EQ(d.column_start, (std::vector<std::uint64_t>{0, 2, 3, 5}));
  EXPECT_EQ(d.sample, (std::vector<std::uint64_t>{0, 2, 1, 0, 2}));
  EXPECT_EQ(d.value, (std::vector<double>{2, 1, 4, -1, 5}));
  EXPECT_EQ(d.feature_index, (std::vector<std::uint64_t>{0, 1, 2}));
  const auto zero_based = read_libsvm(dir.write("zero.libsvm", "1 0:7\n"), true);
  EXPECT_EQ(zero_based.features, 1u);
  EXPECT_EQ(zero_based.value, (std::vector<double>{7}));
  // Only the features that occur are columns: a huge index costs one entry.
  const auto sparse = read_libsvm(dir.write("sparse.libsvm", "1 5:2 199999999:4\n2 5:1\n"));
  EXPECT_EQ(sparse.features, 2u);
  EXPECT_EQ(sparse.declared_features, 199999999u);
  EXPECT_EQ(sparse.feature_index, (std::vector<std::uint64_t>{4, 199999998}));
  EXPECT_EQ(sparse.column_start, (std::vector<std::uint64_t>{0, 2, 3}));
}

TEST(LibsvmFile, BadLinesNameFileAndLine) {
  scratch_directory dir("libsvm_bad");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1 1:2\n2 0:1\n", ":2: feature index 0 in 1-based data"},
      {"1 2:1 1:3\n", ":1: feature indices must increase along a line: 1 follows 2"},
      {"1 1:2 1:3\n", ":1: feature indices must increase along a line: 1 follows 1"},
      {"1 1:x\n", ":1: expected a numeric value for feature 1, got 'x'"},
      {"y 1:1\n", ":1: expected a numeric target, got 'y'"},
      {"1 1:1\n2 3\n", ":2: expected index:value, got '3'"},
      {"1 -1:2\n", ":1: expected a feature index, got '-1'"},
      {"1 1:nan\n", ":1: expected a numeric value for feature 1, got 'nan'"},
      {"# nothing\n", ": no samples: expected lines"},
  };
  for (const auto& [content, message] : cases) {
    const auto file = dir.write("bad.libsvm", content);
    try {
      read_libsvm(file);
      ADD_FAILURE() << "accepted: " << content;
    } catch (const input_error& e) {
      EXPECT_NE(std::string(e.what()).find(file.string() + message), std::string::npos) << e.what();
    }
  }
}

TEST(LassoProblem, MeasuresOfATinyProblem) {
  scratch_directory dir("lasso_tiny");
  // y = (1, 2, 6), one feature x = (0, 1, 2): centred x = (-1, 0, 1), y_c = (-2, -1, 3).
  const auto d = read_libsvm(dir.write("t.libsvm", "1\n2 1:1\n6 1:2\n"));
  const lasso_problem p(d);
  // X_c^T y_c / n = (2 + 0 + 3) / 3.
  EXPECT_DOUBLE_EQ(p.lambda_max(), 5.0 / 3);
  EXPECT_DOUBLE_EQ(p.centred_norm2(0), 2.0);
  EXPECT_DOUBLE_EQ(p.target_scale(), 14.0 / 3);
  // At lambda = 1: beta = S(5, 3) / 2 = 1, b = 3 - 1 = 2, residual (-1, -1, 2).
  const std::vector<double> beta{1.0};
  EXPECT_DOUBLE_EQ(p.intercept(beta), 2.0);
  EXPECT_DOUBLE_EQ(p.objective(beta, 1.0), 6.0 / 6 + 1.0);
  EXPECT_NEAR(p.duality_gap(beta, 1.0), 0.0, 1e-15);
  EXPECT_NEAR(p.kkt_violation(beta, 1.0), 0.0, 1e-15);
  const auto r = reference::cyclic_descent(p, 1.0, 1e-12);
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.beta[0], 1.0, 1e-12);
  EXPECT_NEAR(r.intercept, 2.0, 1e-12);
  // At lambda_max and above, every coefficient is zero; just below, not.
  EXPECT_EQ(reference::cyclic_descent(p, p.lambda_max(), 1e-12).beta[0], 0.0);
  EXPECT_GT(reference::cyclic_descent(p, 0.999 * p.lambda_max(), 1e-12).beta[0], 0.0);
  // A wrong beta has a positive gap and violates KKT.
  EXPECT_GT(p.duality_gap({0.5}, 1.0), 1e-3);
  EXPECT_GT(p.kkt_violation({0.5}, 1.0), 0.1);
}

// scikit-learn 1.2.1 Lasso(alpha, tol=1e-8, max_iter=100000), intercept fitted.
struct sklearn_solution {
  const char* file;
  double lambda_ratio;  // alpha / lambda_max
  double alpha;         // as printed (rounded)
  double objective;
  std::size_t nonzeros;
};

TEST(ReferenceLasso, MatchesScikitLearnOnTheSharedSets) {
  const sklearn_solution solutions[] = {
      {"regression/diabetes/diabetes.libsvm", 0.01, 5.64404, 1615.428666, 7},
      {"regression/diabetes/diabetes_x2.libsvm", 0.01, 0.0214804, 1348.812936, 41},
      {"regression/prostate/prostate.libsvm", 0.01, 0.136075, 0.3749007647, 4},
      {"regression/leukemia-golub/leukemia.libsvm", 0.1, 405.036, 0.1543609713, 16},
  };
  for (const auto& s : solutions) {
    GASWORKS_REQUIRE_DATASET(path, s.file);
    SCOPED_TRACE(s.file);
    const auto d = read_libsvm(path);
    const lasso_problem p(d);
    const double lambda = s.lambda_ratio * p.lambda_max();
    EXPECT_NEAR(lambda / s.alpha, 1.0, 1e-5);
    const auto r = reference::cyclic_descent(p, lambda, 1e-10);
    ASSERT_TRUE(r.converged);
    EXPECT_NEAR(r.objective / s.objective, 1.0, 1e-8);
    std::size_t nonzeros = 0;
    for (double b : r.beta) nonzeros += b != 0;
    EXPECT_EQ(nonzeros, s.nonzeros);
    EXPECT_LT(p.kkt_violation(r.beta, lambda), 1e-3);
  }
}

}  // namespace
}  // namespace gasworks::lasso
