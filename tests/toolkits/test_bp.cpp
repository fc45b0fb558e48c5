// Belief propagation's ground: UAI and libDAI models are read strictly, the
// serial reference BP is exact on trees (against enumeration), converges to
// a fixed point on small loops, and reproduces libDAI's own errors on its
// test model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "engine/core/error.hpp"
#include "tests/support/random_factor_models.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "engine/comm/communicator.hpp"
#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_reference.hpp"
#include "toolkits/bp/exact_marginals.hpp"
#include "toolkits/bp/factor_model.hpp"

namespace gasworks::bp {
namespace {

using testing::scratch_directory;

// ---------------------------------------------------------------- reading

TEST(UaiFile, ReadsAModelItsEvidenceAndMarginals) {
  scratch_directory dir("uai");
  // Two variables (binary, ternary), a unary and a pairwise factor whose
  // table wraps across lines.
  const auto model_file = dir.write("m.uai", "MARKOV\n2\n2 3\n2\n1 0\n2 0 1\n2\n 0.4 0.6\n6\n1 2 3\n4 5 6\n");
  const factor_model m = read_uai(model_file);
  EXPECT_FALSE(m.bayes);
  EXPECT_EQ(m.cardinality, (std::vector<std::uint32_t>{2, 3}));
  ASSERT_EQ(m.factors.size(), 2u);
  EXPECT_EQ(m.factors[1].scope, (std::vector<variable_id>{0, 1}));
  EXPECT_EQ(m.factors[1].table, (std::vector<double>{1, 2, 3, 4, 5, 6}));
  const auto e = read_evidence(dir.write("m.evid", "1 1 2\n"), m);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], (std::pair<variable_id, std::uint32_t>{1, 2}));
  EXPECT_TRUE(read_evidence(dir.write("none.evid", "0\n"), m).empty());
  const auto mar = read_marginals(dir.write("m.MAR", "MAR\n2 2 0.5 0.5 3 0.2 0.3 0.5\n"), m);
  EXPECT_EQ(mar[1], (std::vector<double>{0.2, 0.3, 0.5}));
}

TEST(UaiFile, BadModelsNameFileAndLine) {
  scratch_directory dir("uai_bad");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"MARKOV\n2\n2 2\n1\n2 0 1\n3\n1 2 3\n", ":6: factor 0 has 4 entries (the product of its scope's cardinalities), not 3"},
      {"MARKOV\n2\n2 2\n1\n2 0 2\n4\n1 2 3 4\n", ":5: expected a variable of factor 0's scope in [0, 1], got '2'"},
      {"MARKOV\n2\n2 2\n1\n1 0\n2\n1 -2\n", ":7: factor 0 has a negative entry"},
      {"MARKOV\n2\n2 2\n1\n1 0\n2\n1 x\n", ":7: expected an entry of factor 0, got 'x'"},
      {"MARKOV\n2\n2 2\n1\n2 0 0\n4\n1 2 3 4\n", ":5: variable 0 appears twice in factor 0's scope"},
      {"GRAPH\n", ":1: expected MARKOV or BAYES, got 'GRAPH'"},
      {"MARKOV\n2\n2 2\n1\n1 0\n2\n1\n", ":8: expected an entry of factor 0, got the end of the file"},
  };
  for (const auto& [content, message] : cases) {
    const auto file = dir.write("bad.uai", content);
    try {
      read_uai(file);
      ADD_FAILURE() << "accepted: " << content;
    } catch (const input_error& e) {
      EXPECT_NE(std::string(e.what()).find(file.string() + message), std::string::npos) << e.what();
    }
  }
  const factor_model m = read_uai(dir.write("ok.uai", "MARKOV\n2\n2 3\n1\n1 0\n2\n1 1\n"));
  for (const auto& [content, message] : std::vector<std::pair<std::string, std::string>>{
           {"1 2 0\n", ":1: expected an observed variable in [0, 1], got '2'"},
           {"1 1 3\n", ":1: expected the value of variable 1 in [0, 2], got '3'"},
           {"2 0 1 0 0\n", ":1: variable 0 is observed twice"}}) {
    const auto file = dir.write("bad.evid", content);
    try {
      read_evidence(file, m);
      ADD_FAILURE() << "accepted: " << content;
    } catch (const input_error& e) {
      EXPECT_NE(std::string(e.what()).find(file.string() + message), std::string::npos) << e.what();
    }
  }
}

// ---------------------------------------------------------------- the reference

double max_marginal_error(const marginals& a, const marginals& b) {
  double worst = 0;
  for (std::size_t v = 0; v < a.size(); ++v)
    for (std::size_t x = 0; x < a[v].size(); ++x) worst = std::max(worst, std::abs(a[v][x] - b[v][x]));
  return worst;
}

TEST(ReferenceBp, TreesAreExact) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const factor_model tree = testing::random_tree(9, seed);
    for (const evidence& observed : {evidence{}, evidence{{3, 1}}}) {
      const auto exact = exact_marginals(tree, observed);
      const auto bp = reference::run(tree, observed, {.damping = 0, .tolerance = 1e-13, .max_iterations = 200});
      EXPECT_TRUE(bp.converged) << seed;
      EXPECT_LT(max_marginal_error(bp.variable_beliefs, exact.probability), 1e-10) << seed;
      // On a tree the Bethe free energy is exact.
      EXPECT_NEAR(bp.log_partition, exact.log_partition, 1e-9) << seed;
    }
  }
}

TEST(ReferenceBp, SmallLoopsReachAFixedPointNearTheExactMarginals) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const factor_model grid = testing::random_grid(4, seed, 0.5);  // 16 binary variables
    const auto bp = reference::run(grid, {}, {.damping = 0, .tolerance = 1e-12, .max_iterations = 5000});
    ASSERT_TRUE(bp.converged) << seed;
    // One more iteration from the fixed point changes nothing: run again from
    // scratch with a looser tolerance and compare.
    const auto looser = reference::run(grid, {}, {.damping = 0.5, .tolerance = 1e-12, .max_iterations = 5000});
    EXPECT_LT(max_marginal_error(bp.variable_beliefs, looser.variable_beliefs), 1e-9) << seed;
    // Loops make BP approximate; with weak couplings the error stays small.
    const double error = max_marginal_error(bp.variable_beliefs, exact_marginals(grid).probability);
    EXPECT_GT(error, 1e-6) << seed;  // not exact: the loops matter
    EXPECT_LT(error, 0.05) << seed;
  }
}

TEST(ReferenceBp, ReproducesLibdaisErrorsOnItsTestModel) {
  GASWORKS_REQUIRE_DATASET(path, "factor-graphs/libdai/testfast.fg");
  const factor_model m = read_libdai(path);
  const auto exact = exact_marginals(m);
  const auto bp = reference::run(m, {}, {.damping = 0, .tolerance = 1e-9, .max_iterations = 10000});
  ASSERT_TRUE(bp.converged);
  // libDAI reports, per variable, the largest absolute difference of the
  // marginals, and their maximum and mean over the variables.
  double max_error = 0, mean_error = 0;
  for (std::size_t v = 0; v < m.variables(); ++v) {
    double worst = 0;
    for (std::size_t x = 0; x < m.cardinality[v]; ++x)
      worst = std::max(worst, std::abs(bp.variable_beliefs[v][x] - exact.probability[v][x]));
    max_error = std::max(max_error, worst);
    mean_error += worst;
  }
  mean_error /= static_cast<double>(m.variables());
  EXPECT_NEAR(max_error, 8.924e-3, 1e-6);
  EXPECT_NEAR(mean_error, 3.480e-3, 1e-6);
  EXPECT_NEAR(bp.log_partition - exact.log_partition, 7.187e-4, 1e-7);
}

// ---------------------------------------------------------------- on the engine

bp_result engine_bp(const factor_model& m, const evidence& observed, const bp_program::settings& s) {
  auto shared = std::make_shared<const factor_model>(m);
  auto g = load_factor_graph(std::make_shared<communicator>(), m);
  return run_bp(g, shared, observed, s);
}

TEST(EngineBp, EqualsTheSerialReferenceOnTreesAndLoops) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const factor_model tree = testing::random_tree(9, seed);
    const auto exact = exact_marginals(tree, {{2, 0}});
    const auto on_tree = engine_bp(tree, {{2, 0}}, {.damping = 0, .tolerance = 1e-13, .max_iterations = 200});
    EXPECT_TRUE(on_tree.converged) << seed;
    EXPECT_LT(max_marginal_error(on_tree.beliefs, exact.probability), 1e-10) << seed;
    EXPECT_NEAR(on_tree.log_partition, exact.log_partition, 1e-9) << seed;

    const factor_model grid = testing::random_grid(4, seed, 0.5);
    for (double damping : {0.0, 0.3}) {
      const auto reference = reference::run(grid, {}, {.damping = damping, .tolerance = 1e-10, .max_iterations = 1000});
      const auto engine = engine_bp(grid, {}, {.damping = damping, .tolerance = 1e-10, .max_iterations = 1000});
      EXPECT_EQ(engine.iterations, reference.iterations) << seed << ", damping " << damping;
      EXPECT_EQ(engine.converged, reference.converged);
      EXPECT_LT(max_marginal_error(engine.beliefs, reference.variable_beliefs), 1e-9) << seed << ", damping " << damping;
      EXPECT_NEAR(engine.log_partition, reference.log_partition, 1e-8) << seed << ", damping " << damping;
    }
  }
}

TEST(EngineBp, ReproducesLibdaisErrorsOnItsTestModel) {
  GASWORKS_REQUIRE_DATASET(path, "factor-graphs/libdai/testfast.fg");
  const factor_model m = read_libdai(path);
  const auto exact = exact_marginals(m);
  const auto bp = engine_bp(m, {}, {.damping = 0, .tolerance = 1e-9, .max_iterations = 10000});
  ASSERT_TRUE(bp.converged);
  double max_error = 0, mean_error = 0;
  for (std::size_t v = 0; v < m.variables(); ++v) {
    double worst = 0;
    for (std::size_t x = 0; x < m.cardinality[v]; ++x) worst = std::max(worst, std::abs(bp.beliefs[v][x] - exact.probability[v][x]));
    max_error = std::max(max_error, worst);
    mean_error += worst;
  }
  EXPECT_NEAR(max_error, 8.924e-3, 1e-6);
  EXPECT_NEAR(mean_error / static_cast<double>(m.variables()), 3.480e-3, 1e-6);
  EXPECT_NEAR(bp.log_partition - exact.log_partition, 7.187e-4, 1e-7);
}

}  // namespace
}  // namespace gasworks::bp
