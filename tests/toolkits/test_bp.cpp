// Belief propagation's ground: UAI and libDAI models are read strictly, the
// serial reference BP is exact on trees (against enumeration), converges to
// a fixed point on small loops, and reproduces libDAI's own errors on its
// test model.
#include <gtest/gtest.h>

#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "engine/core/error.hpp"
#include "tests/support/bp_settings_for.hpp"
#include "tests/support/random_factor_models.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "engine/comm/communicator.hpp"
#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_reference.hpp"
#include "toolkits/bp/exact_marginals.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/bp/marginal_errors.hpp"

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
  EXPECT_EQ(m.factors[1].table.entries(), (std::vector<double>{1, 2, 3, 4, 5, 6}));
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
      const auto bp = reference::run(tree, observed, testing::reference_options(0, 1e-13, 200));
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
    const auto bp = reference::run(grid, {}, testing::reference_options(0, 1e-12, 5000));
    ASSERT_TRUE(bp.converged) << seed;
    // One more iteration from the fixed point changes nothing: run again from
    // scratch with a looser tolerance and compare.
    const auto looser = reference::run(grid, {}, testing::reference_options(0.5, 1e-12, 5000));
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
  const auto bp = reference::run(m, {}, testing::reference_options(0, 1e-9, 10000));
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

bp_result engine_bp(const factor_model& m, const evidence& observed, const bp_settings& s) {
  auto shared = std::make_shared<const factor_model>(m);
  auto g = load_factor_graph(std::make_shared<communicator>(), m);
  return run_bp(g, shared, observed, s);
}

TEST(EngineBp, EqualsTheSerialReferenceOnTreesAndLoops) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const factor_model tree = testing::random_tree(9, seed);
    const auto exact = exact_marginals(tree, {{2, 0}});
    const auto on_tree = engine_bp(tree, {{2, 0}}, testing::bp_settings_for(0, 1e-13, 200));
    EXPECT_TRUE(on_tree.converged) << seed;
    EXPECT_LT(max_marginal_error(on_tree.beliefs, exact.probability), 1e-10) << seed;
    EXPECT_NEAR(on_tree.log_partition, exact.log_partition, 1e-9) << seed;

    const factor_model grid = testing::random_grid(4, seed, 0.5);
    for (double damping : {0.0, 0.3}) {
      const auto reference = reference::run(grid, {}, testing::reference_options(damping, 1e-10, 1000));
      const auto engine = engine_bp(grid, {}, testing::bp_settings_for(damping, 1e-10, 1000));
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
  const auto bp = engine_bp(m, {}, testing::bp_settings_for(0, 1e-9, 10000));
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


// ---------------------------------------------------------------- schedules

const bp_schedule every_schedule[] = {bp_schedule::sync, bp_schedule::residual, bp_schedule::sweep};

TEST(EngineBp, EveryScheduleIsExactOnTrees) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const factor_model tree = testing::random_tree(10, seed);
    for (const evidence& observed : {evidence{}, evidence{{4, 1}}}) {
      const auto exact = exact_marginals(tree, observed);
      for (bp_schedule schedule : every_schedule) {
        SCOPED_TRACE(std::string(to_string(schedule)) + ", seed " + std::to_string(seed));
        const auto r = engine_bp(tree, observed, testing::bp_settings_for(0, 1e-14, 500, schedule));
        EXPECT_TRUE(r.converged);
        EXPECT_LT(max_marginal_error(r.beliefs, exact.probability), 1e-10);
        EXPECT_NEAR(r.log_partition, exact.log_partition, 1e-9);
        EXPECT_GT(r.message_updates, 0u);
      }
    }
  }
}

TEST(EngineBp, AsynchronousSchedulesReachTheFloodingFixedPoint) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const factor_model grid = testing::random_grid(4, seed, 0.5);
    const auto flooding = engine_bp(grid, {}, testing::bp_settings_for(0, 1e-12, 5000));
    ASSERT_TRUE(flooding.converged) << seed;
    for (bp_schedule schedule : {bp_schedule::residual, bp_schedule::sweep})
      for (double damping : {0.0, 0.3}) {
        SCOPED_TRACE(std::string(to_string(schedule)) + ", seed " + std::to_string(seed) + ", damping " + std::to_string(damping));
        const auto r = engine_bp(grid, {}, testing::bp_settings_for(damping, 1e-12, 5000, schedule));
        EXPECT_TRUE(r.converged) << to_string(r.run.reason) << " " << r.residual << " " << r.message_updates;
        EXPECT_LT(r.residual, 1e-9);  // a fixed point: one more flooding iteration moves no message
        EXPECT_LT(max_marginal_error(r.beliefs, flooding.beliefs), 1e-9);
        EXPECT_NEAR(r.log_partition, flooding.log_partition, 1e-8);
      }
  }
}

TEST(EngineBp, ResidualSchedulingComputesFewerMessagesThanFlooding) {
  // A chain: flooding recomputes every message in each iteration until the
  // slowest change has died out; residual scheduling recomputes only where
  // a message moved.
  factor_model chain;
  chain.cardinality.assign(40, 3);
  std::mt19937_64 random(5);
  for (variable_id v = 0; v + 1 < 40; ++v) chain.factors.push_back(testing::random_factor(chain, {v, v + 1}, random));
  const auto flooding = engine_bp(chain, {{0, 2}}, testing::bp_settings_for(0, 1e-10, 1000));
  const auto residual = engine_bp(chain, {{0, 2}}, testing::bp_settings_for(0, 1e-10, 1000, bp_schedule::residual));
  ASSERT_TRUE(flooding.converged);
  ASSERT_TRUE(residual.converged);
  EXPECT_LT(max_marginal_error(residual.beliefs, flooding.beliefs), 1e-9);
  EXPECT_LT(residual.message_updates, flooding.message_updates)
      << residual.message_updates << " against " << flooding.message_updates;
}

TEST(EngineBp, SchedulesAgreeOnAConvergentCompetitionModel) {
  // ObjectDetection_11 (UAI 2014): 60 variables of 11 values, 225 factors.
  const auto path = std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "uai" / "ObjectDetection_11.uai";
  const factor_model m = read_uai(path);
  const marginals exact = read_marginals(path.string() + ".MAR", m);
  std::vector<bp_result> runs;
  for (bp_schedule schedule : every_schedule) {
    runs.push_back(engine_bp(m, {}, testing::bp_settings_for(0, 1e-9, 10000, schedule)));
    EXPECT_TRUE(runs.back().converged) << to_string(schedule);
    EXPECT_LT(max_marginal_error(runs.back().beliefs, runs.front().beliefs), 1e-6) << to_string(schedule);
  }
  // Residual scheduling computes fewer messages to reach the same point.
  EXPECT_LT(runs[1].message_updates, runs[0].message_updates);
  // BP's fixed point on this loopy model is close to, not at, the exact marginals.
  const double error = compare_marginals(runs[0].beliefs, exact, {}).mean_hellinger;
  EXPECT_GT(error, 1e-3);
  EXPECT_LT(error, 0.05);
}

// The Segmentation models of UAI 2014 (binary image labellings with
// evidence), where BP converges with and without damping: residual
// scheduling reaches the tolerance with fewer messages than flooding. On
// Segmentation_12 both reach the one fixed point, near the exact marginals;
// Segmentation_11 has several, and the schedules may settle on different
// ones (residual's was nearer the exact marginals when measured: mean
// Hellinger 0.17 against flooding's 0.29), so there the test reports the
// errors and asserts only that each run is a fixed point. (On the shared
// Grids models neither schedule converges: bench/bp_bench.cpp reports them.)
TEST(EngineBp, ResidualNeedsFewerMessagesThanFloodingOnSegmentationModels) {
  for (const std::string name : {"Segmentation_11", "Segmentation_12"}) {
    GASWORKS_REQUIRE_DATASET(path, "factor-graphs/uai2014/" + name + ".uai");
    const factor_model m = read_uai(path);
    const evidence observed = read_evidence(path.string() + ".evid", m);
    const marginals exact = read_marginals(path.string() + ".MAR", m);
    for (double damping : {0.0, 0.5}) {
      SCOPED_TRACE(name + ", damping " + std::to_string(damping));
      const auto flooding = engine_bp(m, observed, testing::bp_settings_for(damping, 1e-6, 10000));
      const auto residual = engine_bp(m, observed, testing::bp_settings_for(damping, 1e-6, 10000, bp_schedule::residual));
      ASSERT_TRUE(flooding.converged && residual.converged);
      EXPECT_LT(residual.message_updates, flooding.message_updates);
      const double flooding_error = compare_marginals(flooding.beliefs, exact, observed).mean_hellinger;
      const double residual_error = compare_marginals(residual.beliefs, exact, observed).mean_hellinger;
      if (name == "Segmentation_12") {
        EXPECT_LT(max_marginal_error(residual.beliefs, flooding.beliefs), 5e-3);
        EXPECT_LT(std::max(flooding_error, residual_error), 1e-3);
      }
      std::cout << name << ", damping " << damping << ": messages to tolerance 1e-6, flooding " << flooding.message_updates
                << ", residual " << residual.message_updates << "; mean Hellinger to the exact marginals " << flooding_error
                << " and " << residual_error << "\n";
    }
  }
}

TEST(EngineBp, ThreadCountsGiveTheSameFixedPoint) {
  const factor_model grid = testing::random_grid(6, 11, 0.5);
  std::vector<bp_result> flooding, residual, sweep;
  for (int threads : {1, 2, 4}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    flooding.push_back(engine_bp(grid, {{5, 1}}, testing::bp_settings_for(0, 1e-12, 5000)));
    residual.push_back(engine_bp(grid, {{5, 1}}, testing::bp_settings_for(0, 1e-12, 5000, bp_schedule::residual)));
    sweep.push_back(engine_bp(grid, {{5, 1}}, testing::bp_settings_for(0, 1e-12, 5000, bp_schedule::sweep)));
  }
  for (std::size_t i = 1; i < flooding.size(); ++i) {
    // Flooding does the same arithmetic in the same order on any thread count.
    EXPECT_EQ(flooding[i].beliefs, flooding[0].beliefs);
    EXPECT_EQ(flooding[i].iterations, flooding[0].iterations);
    // Asynchronous orders differ; the fixed point does not.
    EXPECT_TRUE(residual[i].converged);
    EXPECT_LT(max_marginal_error(residual[i].beliefs, flooding[0].beliefs), 1e-9);
  }
  for (const bp_result& r : sweep) {
    EXPECT_TRUE(r.converged);
    EXPECT_LT(max_marginal_error(r.beliefs, flooding[0].beliefs), 1e-9);
  }
}

// ---------------------------------------------------------------- MAP, log domain, BAYES

TEST(EngineBp, MaxProductFindsTheMostProbableAssignmentOnTrees) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const factor_model tree = testing::random_tree(10, seed);
    const evidence observed{{1, 0}};
    const auto exact = exact_marginals(tree, observed);
    for (bp_schedule schedule : every_schedule) {
      SCOPED_TRACE(std::string(to_string(schedule)) + ", seed " + std::to_string(seed));
      const auto r = engine_bp(tree, observed, testing::bp_settings_for(0, 1e-14, 500, schedule, bp_task::map));
      EXPECT_TRUE(r.converged);
      EXPECT_EQ(r.labels, exact.most_probable);
    }
    // On the engine as in the serial reference, max-product's max-marginals.
    const auto reference = reference::run(tree, observed, testing::reference_options(0, 1e-14, 500, true));
    const auto engine = engine_bp(tree, observed, testing::bp_settings_for(0, 1e-14, 500, bp_schedule::sync, bp_task::map));
    EXPECT_LT(max_marginal_error(engine.beliefs, reference.variable_beliefs), 1e-10) << seed;
  }
}

TEST(EngineBp, TheLogDomainGivesTheSameMessagesAndSurvivesUnderflow) {
  const factor_model grid = testing::random_grid(4, 2, 0.5);
  auto linear = testing::bp_settings_for(0, 1e-12, 5000);
  auto in_logs = linear;
  in_logs.log_domain = true;
  const auto a = engine_bp(grid, {}, linear);
  const auto b = engine_bp(grid, {}, in_logs);
  EXPECT_LT(max_marginal_error(a.beliefs, b.beliefs), 1e-12);
  for (bp_task task : {bp_task::mar, bp_task::map}) {
    // A tree (BP converges) of factors whose entries lie near the smallest positive double: their
    // products with the messages fall below it, their logarithms do not.
    factor_model tiny;
    tiny.cardinality.assign(4, 20);
    std::mt19937_64 random(3);
    tiny.factors.push_back(testing::random_factor(tiny, {0, 1, 2}, random, 3.0));
    tiny.factors.push_back(testing::random_factor(tiny, {2, 3}, random, 3.0));
    const auto scaled = [](factor_model model, double by) {
      for (auto& f : model.factors) {
        std::vector<double> entries = f.table.entries();
        for (double& x : entries) x *= by;
        f.table = std::move(entries);
      }
      return model;
    };
    tiny = scaled(tiny, 1e-320);
    // The same tables scaled back into the normal range (exactly the values
    // the tiny ones hold): scaling a factor leaves BP's messages unchanged.
    const factor_model normal = scaled(tiny, 1e300);
    in_logs.task = linear.task = task;
    const auto expected = engine_bp(normal, {}, linear);
    EXPECT_LT(max_marginal_error(engine_bp(tiny, {}, in_logs).beliefs, expected.beliefs), 1e-9) << to_string(task);
    // Without logarithms the products underflow and the beliefs are wrong.
    EXPECT_GT(max_marginal_error(engine_bp(tiny, {}, linear).beliefs, expected.beliefs), 1e-6) << to_string(task);
  }
}

TEST(UaiFile, BayesNetworksGiveTheMarginalsOfTheirMarkovForm) {
  scratch_directory dir("bayes");
  // a -> b, a -> c: P(a) = (0.3, 0.7); P(b | a) and P(c | a) as conditional
  // tables, the child (last in the scope) fastest.
  const auto bayes = read_uai(dir.write("net.uai", "BAYES\n3\n2 2 2\n3\n1 0\n2 0 1\n2 0 2\n"
                                                    "2\n0.3 0.7\n4\n0.9 0.1 0.2 0.8\n4\n0.6 0.4 0.5 0.5\n"));
  EXPECT_TRUE(bayes.bayes);
  // The same joint as a Markov network, its factors' scopes reversed.
  const auto markov = read_uai(dir.write("net_markov.uai", "MARKOV\n3\n2 2 2\n3\n1 0\n2 1 0\n2 2 0\n"
                                                           "2\n0.3 0.7\n4\n0.9 0.2 0.1 0.8\n4\n0.6 0.5 0.4 0.5\n"));
  const double pb1 = 0.3 * 0.1 + 0.7 * 0.8, pc1 = 0.3 * 0.4 + 0.7 * 0.5;
  for (const factor_model* m : {&bayes, &markov}) {
    const auto r = engine_bp(*m, {}, testing::bp_settings_for(0, 1e-14, 100));
    EXPECT_NEAR(r.beliefs[0][1], 0.7, 1e-12);
    EXPECT_NEAR(r.beliefs[1][1], pb1, 1e-12);
    EXPECT_NEAR(r.beliefs[2][1], pc1, 1e-12);
    EXPECT_NEAR(r.log_partition, 0.0, 1e-12);  // a Bayes network is normalised
    // Evidence on a child: P(a = 1 | b = 1) by Bayes' rule.
    const auto given = engine_bp(*m, {{1, 1}}, testing::bp_settings_for(0, 1e-14, 100));
    EXPECT_NEAR(given.beliefs[0][1], 0.7 * 0.8 / pb1, 1e-12);
    EXPECT_EQ(given.beliefs[1], (std::vector<double>{0.0, 1.0}));
  }
}

TEST(UaiFile, ImpossibleEvidenceAndZeroFactorsAreNamed) {
  scratch_directory dir("uai_zero");
  try {
    read_uai(dir.write("zero.uai", "MARKOV\n2\n2 2\n2\n1 0\n2 0 1\n2\n1 1\n4\n0 0\n0 0\n"));
    ADD_FAILURE() << "accepted an all-zero factor";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("zero.uai:11: factor 1's entries are all zero"), std::string::npos) << e.what();
  }
  // Factor 1 allows (0, 0) and (1, 1) only: observing 0 and 1 contradicts it.
  const factor_model m = read_uai(dir.write("ok.uai", "MARKOV\n2\n2 2\n2\n1 0\n2 0 1\n2\n1 1\n4\n1 0 0 1\n"));
  EXPECT_EQ(read_evidence(dir.write("fine.evid", "2 0 1 1 1\n"), m).size(), 2u);
  try {
    read_evidence(dir.write("bad.evid", "2\n0 0\n1 1\n"), m);
    ADD_FAILURE() << "accepted impossible evidence";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.evid:3: factor 1 (scope 0 1) gives zero weight to every value the evidence leaves"),
              std::string::npos)
        << e.what();
  }
}

TEST(LibdaiFile, BadModelsNameFileAndLine) {
  scratch_directory dir("libdai_bad");
  // (file text, where and what the error says)
  const std::pair<const char*, const char*> cases[] = {
      {"1\n\n1\n0\n2\n0\n", "bad.fg:6: factor 0's entries are all zero"},
      {"1\n\n1\n0\n2\n1\n0 -1\n", "bad.fg:7: factor 0 has a negative entry"},
      {"1\n\n2\n0 0\n", "bad.fg:4: variable 0 appears twice in factor 0"},
      {"2\n\n1\n0\n2\n1\n0 1\n\n1\n0\n3\n1\n0 1\n", "bad.fg:11: variable 0 has cardinality 2 elsewhere, 3 here"},
      {"1\n\n1\n0\n2\n1\n2 1\n", "bad.fg:7:"},
      {"1\n\n1\n0\n2\n1\n0 1\nx\n", "bad.fg:8: expected the end of the file"},
      {"2\n\n1\n0\n2\n1\n0 1\n", "bad.fg:"},  // a factor announced and missing
  };
  for (const auto& [text, expected] : cases) {
    try {
      read_libdai(dir.write("bad.fg", text));
      ADD_FAILURE() << "accepted " << text;
    } catch (const input_error& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace gasworks::bp
