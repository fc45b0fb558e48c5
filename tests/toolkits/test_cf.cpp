// Collaborative filtering: ALS recovers a low-rank matrix, equals the serial
// reference half-step by half-step, solves its normal equations, and does
// not depend on threads; on the asynchronous engine it recovers the same
// matrix and never raises its objective; SGD equals its serial reference, lowers its
// objective and learns the global mean with biases; ratings files are read
// strictly.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <tbb/global_control.h>

#include "engine/comm/communicator.hpp"
#include "tests/support/ratings_files.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/cf/als.hpp"
#include "toolkits/cf/cf_reference.hpp"
#include "toolkits/cf/packed_symmetric.hpp"
#include "toolkits/cf/ratings_graph.hpp"
#include "toolkits/cf/sgd.hpp"

namespace gasworks::cf {
namespace {

using testing::scratch_directory;

ratings_graph load(const std::filesystem::path& training, const std::optional<std::filesystem::path>& validation = {}) {
  return load_ratings_graph<latent_vertex>(std::make_shared<communicator>(), training, validation);
}

// Largest difference between the graph's factors and the reference model's.
double max_factor_difference(const ratings_graph& g, const reference::model& m) {
  double worst = 0;
  for (local_id v = 0; v < g.num_local_vertices(); ++v) {
    const vertex_id id = g.structure().global_id(v);
    const auto& side = is_user(id) ? m.users.factors : m.items.factors;
    const auto it = side.find(id_in_its_side(id));
    if (it == side.end()) return std::numeric_limits<double>::infinity();
    worst = std::max(worst, (g.vertex_data(v).factors - it->second).lpNorm<Eigen::Infinity>());
  }
  return worst;
}

TEST(Als, RecoversALowRankMatrixFromThirtyPercentOfItsEntries) {
  scratch_directory dir("cf");
  const auto ratings = testing::low_rank_ratings(80, 60, 3, 0.3, 7);
  auto g = load(testing::write_ratings(dir.path() / "r.tsv", ratings));
  als_options opts;
  opts.rank = 3;
  opts.lambda = 1e-9;
  opts.iterations = 200;
  const auto fit = run_als(g, opts);
  ASSERT_EQ(fit.history.size(), 200u);
  EXPECT_LT(fit.history.back().train_rmse, 1e-3);
  EXPECT_LT(fit.history.back().train_rmse, fit.history.front().train_rmse);
}

// ALS run on the first 2,000 ratings of ml-100k, and the serial reference
// run as many iterations beside it; variational when opts is, the noise
// variance being the reference's training error before each iteration.
struct reference_run {
  std::vector<rating> ratings;
  ratings_graph graph;
  reference::model model;
  fit_result fit;
};

reference_run als_beside_reference(const std::filesystem::path& data, const als_options& opts) {
  scratch_directory dir("cf");
  auto ratings = testing::first_ratings(data, 2000);
  auto g = load(testing::write_ratings(dir.path() / "sample.tsv", ratings));
  reference::model m = reference::initial_model(ratings, opts.seed, opts.rank, opts.initial_scale);
  auto fit = run_als(g, opts);
  std::optional<reference::bias_terms> biases;
  if (opts.biased) {
    double sum = 0;
    for (const rating& r : ratings) sum += r.value;
    biases = reference::bias_terms{opts.bias_lambda, sum / static_cast<double>(ratings.size())};
  }
  for (std::uint64_t i = 0; i < opts.iterations; ++i) {
    std::optional<double> noise;
    if (opts.variational) noise = reference::training_mse(ratings, m, biases ? biases->mean : 0.0);
    reference::als_half_step(ratings, m, true, opts.lambda, opts.prior, noise, biases);
    reference::als_half_step(ratings, m, false, opts.lambda, opts.prior, noise, biases);
  }
  return {std::move(ratings), std::move(g), std::move(m), std::move(fit)};
}

TEST(Als, EachHalfStepEqualsTheSerialReferenceAndSolvesItsNormalEquations) {
  GASWORKS_REQUIRE_DATASET(data, "ratings/ml-100k/u.data");
  als_options opts;
  opts.rank = 8;
  opts.lambda = 0.1;
  opts.prior = 2;
  opts.iterations = 2;
  const auto [ratings, g, m, fit] = als_beside_reference(data, opts);
  EXPECT_LE(max_factor_difference(g, m), 1e-9);
  // Every item's factors solve its regularised system for the final users.
  double worst_residual = 0;
  for (const auto& [item, own] : reference::ratings_by(ratings, false)) {
    const auto s = reference::als_system(own, m.users, opts.lambda, opts.prior);
    const auto v = g.structure().find(item_vertex(item));
    ASSERT_TRUE(v.has_value());
    worst_residual = std::max(worst_residual, (s.a * g.vertex_data(*v).factors - s.b).norm());
  }
  EXPECT_LT(worst_residual, 1e-8);
  EXPECT_EQ(fit.history.size(), 2u);
}

// Biased ALS (the command's default, plain and variational): each vertex
// solves for its bias and factors together against the ratings less the
// mean and the other side's bias, as the serial reference does.
TEST(Als, BiasedHalfStepsEqualTheSerialReference) {
  GASWORKS_REQUIRE_DATASET(data, "ratings/ml-100k/u.data");
  for (bool variational : {false, true}) {
    SCOPED_TRACE(variational ? "variational" : "plain");
    als_options opts;
    opts.rank = 6;
    opts.lambda = 0.05;
    opts.prior = 1;
    opts.biased = true;
    opts.bias_lambda = 2;
    opts.variational = variational;
    opts.iterations = 3;
    const auto [ratings, g, m, fit] = als_beside_reference(data, opts);
    EXPECT_LE(max_factor_difference(g, m), 1e-9);
    double worst = 0, largest = 0;
    for (local_id v = 0; v < g.num_local_vertices(); ++v) {
      const vertex_id id = g.structure().global_id(v);
      const double expected = reference::bias_of(is_user(id) ? m.users : m.items, id_in_its_side(id));
      worst = std::max(worst, std::abs(g.vertex_data(v).bias - expected));
      largest = std::max(largest, std::abs(expected));
    }
    EXPECT_LE(worst, 1e-9);
    EXPECT_GT(largest, 0.1);  // the biases are fitted, not left at 0
  }
}

// Variational ALS: each half-step solves against the other side's factors
// and covariances, with the noise variance taken as the mean squared
// training error before the iteration; the covariances are sigma^2 A^-1.
TEST(Als, VariationalHalfStepsEqualTheSerialReference) {
  GASWORKS_REQUIRE_DATASET(data, "ratings/ml-100k/u.data");
  als_options opts;
  opts.rank = 6;
  opts.lambda = 0.05;
  opts.prior = 1;
  opts.variational = true;
  opts.iterations = 3;
  const auto [ratings, g, m, fit] = als_beside_reference(data, opts);
  EXPECT_LE(max_factor_difference(g, m), 1e-9);
  double worst = 0, largest = 0;
  for (local_id v = 0; v < g.num_local_vertices(); ++v) {
    const vertex_id id = g.structure().global_id(v);
    const auto& expected = (is_user(id) ? m.users : m.items).covariance.at(id_in_its_side(id));
    const Eigen::MatrixXd actual = unpack_symmetric(g.vertex_data(v).covariance, opts.rank);
    ASSERT_EQ(actual.rows(), expected.rows());
    worst = std::max(worst, (actual - expected).lpNorm<Eigen::Infinity>());
    largest = std::max(largest, expected.lpNorm<Eigen::Infinity>());
  }
  EXPECT_LE(worst, 1e-9);
  EXPECT_GT(largest, 1e-3);  // the covariances are not vanishingly small
}

TEST(Als, ResultsDoNotDependOnTheThreadCount) {
  GASWORKS_REQUIRE_DATASET(data, "ratings/ml-100k/u1.base");
  scratch_directory dir("cf");
  const auto file = testing::write_ratings(dir.path() / "r.tsv", testing::first_ratings(data, 20000));
  for (bool variational : {false, true}) {
    std::vector<Eigen::VectorXd> first;
    double first_rmse = 0;
    for (int threads : {1, 2, 4}) {
      SCOPED_TRACE(std::to_string(threads) + " threads" + (variational ? ", variational with biases" : ""));
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
      auto g = load(file);
      als_options opts;
      opts.rank = 10;
      opts.iterations = 3;
      if (variational) {
        opts.variational = opts.biased = true;
        opts.prior = 3;
        opts.bias_lambda = 2;
      }
      const auto fit = run_als(g, opts);
      std::vector<Eigen::VectorXd> factors;
      for (const auto& d : g.vertex_data()) factors.push_back(d.factors);
      if (threads == 1) {
        first = factors;
        first_rmse = fit.history.back().train_rmse;
        continue;
      }
      ASSERT_EQ(factors.size(), first.size());
      for (std::size_t v = 0; v < factors.size(); ++v) ASSERT_EQ(factors[v], first[v]) << "vertex " << v;
      EXPECT_EQ(fit.history.back().train_rmse, first_rmse);
    }
  }
}

TEST(Als, ReportsValidationRmseOfHeldOutRatings) {
  scratch_directory dir("cf");
  auto ratings = testing::low_rank_ratings(40, 30, 2, 0.5, 3);
  std::vector<rating> held_out;
  for (std::size_t i = 0; i < ratings.size(); i += 10) held_out.push_back(ratings[i]);
  auto g = load(testing::write_ratings(dir.path() / "train.tsv", ratings),
                testing::write_ratings(dir.path() / "valid.tsv", held_out));
  als_options opts;
  opts.rank = 2;
  opts.lambda = 1e-9;
  opts.iterations = 100;
  const auto fit = run_als(g, opts);
  // The held-out ratings are also training ratings here, so both errors vanish.
  ASSERT_FALSE(std::isnan(fit.history.back().validation_rmse));
  EXPECT_LT(fit.history.back().validation_rmse, 1e-3);
}

// ALS on the asynchronous engine: each update solves one vertex exactly
// against the current factors of the others, so it is block coordinate
// descent on the objective, which can therefore never rise.
TEST(AsyncAls, RecoversALowRankMatrixWithEveryScheduler) {
  // One thread, so that the order of updates, and with it the result, is the
  // same every run: with almost no regularisation the problem is badly
  // conditioned, and some orders take far longer than others.
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  scratch_directory dir("cf");
  const auto ratings = testing::low_rank_ratings(80, 60, 3, 0.3, 7);
  const auto file = testing::write_ratings(dir.path() / "r.tsv", ratings);
  for (auto scheduler : {scheduler_kind::fifo, scheduler_kind::sweep, scheduler_kind::priority}) {
    SCOPED_TRACE(to_string(scheduler));
    auto g = load(file);
    als_options opts;
    opts.rank = 3;
    opts.lambda = 1e-9;
    opts.iterations = 400;
    opts.asynchronous = async_choice{.scheduler = {.kind = scheduler}};
    const auto fit = run_als(g, opts);
    // It may end sooner, when no update moves its vertex any more.
    ASSERT_FALSE(fit.history.empty());
    EXPECT_LE(fit.history.size(), 400u);
    EXPECT_LE(fit.run.updates, 400u * g.num_vertices());
    EXPECT_LT(fit.history.back().train_rmse, 1e-3);
  }
}

TEST(AsyncAls, NeverRaisesTheObjectiveOnAnyThreadCount) {
  GASWORKS_REQUIRE_DATASET(data, "ratings/ml-100k/u1.base");
  scratch_directory dir("cf");
  const auto file = testing::write_ratings(dir.path() / "r.tsv", testing::first_ratings(data, 20000));
  for (int threads : {1, 2, 4}) {
    for (bool biased : {false, true}) {
      SCOPED_TRACE(std::to_string(threads) + " threads, biases " + (biased ? "on" : "off"));
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
      auto g = load(file);
      als_options opts;
      opts.rank = 10;
      opts.lambda = 0.1;
      opts.prior = 2;
      opts.bias_lambda = 1;
      opts.iterations = 8;
      opts.biased = biased;
      opts.asynchronous = async_choice{};
      const auto fit = run_als(g, opts);
      ASSERT_EQ(fit.history.size(), 8u);
      for (std::size_t i = 1; i < fit.history.size(); ++i)
        EXPECT_LE(fit.history[i].objective, fit.history[i - 1].objective * (1 + 1e-12)) << "iteration " << i + 1;
      EXPECT_LT(fit.history.back().objective, fit.history.front().objective);
    }
  }
}

TEST(AsyncAls, OnOneThreadTheSameRunGivesTheSameFactors) {
  scratch_directory dir("cf");
  const auto file = testing::write_ratings(dir.path() / "r.tsv", testing::low_rank_ratings(50, 40, 3, 0.4, 5));
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  std::vector<Eigen::VectorXd> first;
  for (int run = 0; run < 2; ++run) {
    auto g = load(file);
    als_options opts;
    opts.rank = 3;
    opts.iterations = 5;
    opts.asynchronous = async_choice{};
    run_als(g, opts);
    std::vector<Eigen::VectorXd> factors;
    for (const auto& d : g.vertex_data()) factors.push_back(d.factors);
    if (run == 0) first = factors;
    else EXPECT_EQ(factors, first);
  }
}

TEST(AsyncAls, RefusesVertexConsistency) {
  scratch_directory dir("cf");
  auto g = load(testing::write_ratings(dir.path() / "r.tsv", testing::low_rank_ratings(10, 10, 2, 0.5, 1)));
  als_options opts;
  opts.asynchronous = async_choice{.options = {.consistency = consistency_model::vertex}};
  EXPECT_THROW(run_als(g, opts), usage_error);
}

// SGD on the asynchronous engine: not a descent method per update, so the
// test asks what SGD promises, a fit that improves and generalises about as
// well as on the synchronous engine.
TEST(AsyncSgd, FitsAsWellAsTheSynchronousEngine) {
  GASWORKS_REQUIRE_DATASET(data, "ratings/ml-100k/u1.base");
  scratch_directory dir("cf");
  const auto ratings = testing::first_ratings(data, 20000);
  std::vector<rating> training, validation;
  for (std::size_t i = 0; i < ratings.size(); ++i) (i % 5 == 0 ? validation : training).push_back(ratings[i]);
  const auto train_file = testing::write_ratings(dir.path() / "train.tsv", training);
  const auto valid_file = testing::write_ratings(dir.path() / "valid.tsv", validation);
  sgd_options opts;
  opts.rank = 10;
  opts.iterations = 20;
  auto sync_graph = load(train_file, valid_file);
  const auto reference = run_sgd(sync_graph, opts);
  for (auto scheduler : {scheduler_kind::fifo, scheduler_kind::priority}) {
    SCOPED_TRACE(to_string(scheduler));
    auto g = load(train_file, valid_file);
    opts.asynchronous = async_choice{.scheduler = {.kind = scheduler}};
    const auto fit = run_sgd(g, opts);
    ASSERT_EQ(fit.history.size(), 20u);
    EXPECT_LT(fit.history.back().train_rmse, 0.95 * fit.history.front().train_rmse);
    EXPECT_NEAR(fit.history.back().validation_rmse, reference.history.back().validation_rmse, 0.03);
  }
  opts.asynchronous = async_choice{.options = {.consistency = consistency_model::vertex}};
  auto g = load(train_file);
  EXPECT_THROW(run_sgd(g, opts), usage_error);
}

TEST(AsyncSgd, TheStepDecaysOnceEveryAsManyUpdatesAsVertices) {
  // With a vanishing decay, only the first iteration's updates move the
  // factors: the fit stays where that iteration left it.
  scratch_directory dir("cf");
  auto g = load(testing::write_ratings(dir.path() / "r.tsv", testing::low_rank_ratings(40, 30, 2, 0.5, 3)));
  sgd_options opts;
  opts.rank = 2;
  opts.iterations = 5;
  opts.step = 0.05;
  opts.step_decay = 1e-12;
  opts.asynchronous = async_choice{};
  const auto fit = run_sgd(g, opts);
  ASSERT_EQ(fit.history.size(), 5u);
  for (std::size_t i = 2; i < fit.history.size(); ++i)
    EXPECT_NEAR(fit.history[i].train_rmse, fit.history[1].train_rmse, 1e-9) << "iteration " << i + 1;
  // Without decay the fit keeps moving.
  auto g2 = load(dir.path() / "r.tsv");
  opts.step_decay = 1;
  const auto moving = run_sgd(g2, opts);
  EXPECT_GT(std::abs(moving.history.back().train_rmse - moving.history[1].train_rmse), 1e-6);
}

TEST(Sgd, EqualsTheSerialReference) {
  GASWORKS_REQUIRE_DATASET(data, "ratings/ml-100k/u.data");
  scratch_directory dir("cf");
  const auto ratings = testing::first_ratings(data, 2000);
  for (bool biased : {false, true}) {
    SCOPED_TRACE(biased);
    auto g = load(testing::write_ratings(dir.path() / "sample.tsv", ratings));
    sgd_options opts;
    opts.rank = 5;
    opts.iterations = 3;
    opts.biased = biased;
    const auto fit = run_sgd(g, opts);
    reference::model m = reference::initial_model(ratings, opts.seed, opts.rank, opts.initial_scale);
    double step = opts.step;
    for (std::uint64_t i = 0; i < opts.iterations; ++i, step *= opts.step_decay) {
      reference::sgd_half_step(ratings, m, true, step, opts.lambda, biased, fit.rule.mean);
      reference::sgd_half_step(ratings, m, false, step, opts.lambda, biased, fit.rule.mean);
    }
    EXPECT_LE(max_factor_difference(g, m), 1e-9);
  }
}

TEST(Sgd, SmallStepsLowerTheObjectiveEveryIteration) {
  scratch_directory dir("cf");
  auto g = load(testing::write_ratings(dir.path() / "r.tsv", testing::low_rank_ratings(50, 40, 3, 0.3, 11)));
  sgd_options opts;
  opts.rank = 3;
  opts.step = 0.005;
  opts.step_decay = 1;
  opts.lambda = 0.01;
  opts.iterations = 30;
  opts.initial_scale = 0.5;
  opts.biased = false;
  const auto fit = run_sgd(g, opts);
  ASSERT_EQ(fit.history.size(), 30u);
  for (std::size_t i = 1; i < fit.history.size(); ++i)
    EXPECT_LT(fit.history[i].objective, fit.history[i - 1].objective) << "iteration " << i + 1;
  EXPECT_LT(fit.history.back().objective, 0.5 * fit.history.front().objective);
}

TEST(Sgd, BiasedModelLearnsTheGlobalMeanAndTheBiases) {
  // r(u, i) = 3 + a_u + c_i: no interaction for the factors to explain.
  scratch_directory dir("cf");
  std::vector<rating> ratings;
  double sum = 0;
  for (std::uint64_t u = 0; u < 60; ++u)
    for (std::uint64_t i = 0; i < 40; ++i) {
      if (unit_random(5, u, i) > 0.4) continue;
      const double value = 3 + (unit_random(6, u, 0) - 0.5) + (unit_random(7, i, 0) - 0.5);
      ratings.push_back({u, i, value});
      sum += value;
    }
  auto g = load(testing::write_ratings(dir.path() / "r.tsv", ratings));
  sgd_options opts;
  opts.rank = 2;
  opts.lambda = 1e-4;
  opts.step = 0.05;
  opts.step_decay = 0.97;
  opts.iterations = 100;
  opts.biased = true;
  const auto fit = run_sgd(g, opts);
  EXPECT_NEAR(fit.rule.mean, sum / static_cast<double>(ratings.size()), 1e-12);
  EXPECT_LT(fit.history.back().train_rmse, 0.02);
  // The biases absorb the deviations from the mean: they average to ~0 over ratings.
  double bias_sum = 0;
  for (const auto& r : ratings) {
    bias_sum += g.vertex_data(*g.structure().find(user_vertex(r.user))).bias;
    bias_sum += g.vertex_data(*g.structure().find(item_vertex(r.item))).bias;
  }
  EXPECT_NEAR(bias_sum / static_cast<double>(ratings.size()), 0.0, 0.02);
}

TEST(PredictionRule, ClampsAndFallsBackToTheMeanForUnfittedSides) {
  latent_vertex user, item, unfitted;
  user.factors = Eigen::Vector2d(1, 2);
  item.factors = Eigen::Vector2d(1, 1);
  user.training_ratings = item.training_ratings = 1;
  user.bias = 0.5;
  prediction_rule rule;
  rule.offset = rule.mean = 2;
  rule.min = 1;
  rule.max = 4;
  EXPECT_EQ(rule(user, item), 4);  // 2 + 0.5 + 3 = 5.5, clamped
  EXPECT_EQ(rule(user, unfitted), 2.5);
  EXPECT_EQ(rule(unfitted, item), 2);
  EXPECT_EQ(rule(unfitted, unfitted), 2);
}

TEST(WireEncoding, FactorsAndNormalEquationsSurviveTheTrip) {
  latent_vertex v;
  v.factors = Eigen::Vector3d(1.5, -2, 3);
  v.bias = 0.25;
  v.training_ratings = 7;
  Eigen::Matrix3d spread;
  spread << 2, 0.5, -0.25, 0.5, 3, 0.125, -0.25, 0.125, 4;
  v.covariance = pack_lower(spread);
  normal_equations eq;
  eq.add(Eigen::Vector3d(1, 2, 3), 4);
  eq.add(Eigen::Vector3d(-1, 0, 2), 1);
  eq.add_covariance(v.covariance);
  std::vector<std::byte> bytes;
  wire_writer w(bytes);
  encode(w, v);
  encode(w, eq);
  encode(w, normal_equations{});
  latent_vertex plain;
  plain.factors = v.factors;
  encode(w, plain);  // no covariance
  wire_reader r(bytes);
  latent_vertex v2;
  normal_equations eq2, empty;
  eq2.add(Eigen::Vector3d(9, 9, 9), 9);  // overwritten, not added to
  decode(r, v2);
  decode(r, eq2);
  decode(r, empty);
  latent_vertex plain2;
  plain2.covariance = pack_lower(spread);  // overwritten by the empty one
  decode(r, plain2);
  EXPECT_TRUE(r.done());
  EXPECT_EQ(v2.covariance, v.covariance);
  EXPECT_EQ(plain2.covariance.size(), 0);
  EXPECT_EQ(v2.factors, v.factors);
  EXPECT_EQ(v2.bias, v.bias);
  EXPECT_EQ(v2.training_ratings, v.training_ratings);
  EXPECT_EQ(Eigen::MatrixXd(eq2.gram.triangularView<Eigen::Lower>()), Eigen::MatrixXd(eq.gram.triangularView<Eigen::Lower>()));
  EXPECT_EQ(eq2.rhs, eq.rhs);
  EXPECT_EQ(eq2.count, 2u);
  EXPECT_EQ(eq2.uncertainty, eq.uncertainty);
  EXPECT_TRUE(empty.empty());
}

TEST(PackedSymmetric, RoundTripsAndAddsIntoTheLowerTriangleOnly) {
  Eigen::Matrix3d m;
  m << 1, 2, 3, 2, 4, 5, 3, 5, 6;
  const Eigen::VectorXd packed = pack_lower(m);
  EXPECT_EQ(packed, (Eigen::VectorXd(6) << 1, 2, 3, 4, 5, 6).finished());
  EXPECT_EQ(unpack_symmetric(packed, 3), Eigen::MatrixXd(m));
  // Into the last 3 x 3 block of a 4 x 4 system whose first unknown is a bias.
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(4, 4);
  add_packed_to_lower(packed, a.bottomRightCorner(3, 3));
  Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(4, 4);
  expected.bottomRightCorner(3, 3) = m.triangularView<Eigen::Lower>();
  EXPECT_EQ(a, expected);
}

TEST(NormalEquations, SumOfPartsEqualsTheWhole) {
  normal_equations whole, left, right;
  const Eigen::Vector2d a(1, 2), b(3, -1), c(0.5, 4);
  whole.add(a, 1);
  whole.add(b, 2);
  whole.add(c, 3);
  left.add(a, 1);
  right.add(b, 2);
  right.add(c, 3);
  // Covariances of b and c (variational ALS), packed; a has none yet.
  const Eigen::Vector3d cov_b(0.5, 0.25, 1), cov_c(2, -0.5, 3);
  whole.add_covariance(cov_b);
  whole.add_covariance(cov_c);
  right.add_covariance(cov_b);
  right.add_covariance(cov_c);
  normal_equations sum;
  sum += left;
  sum += right;
  EXPECT_EQ(sum.count, 3u);
  EXPECT_EQ(sum.rhs, whole.rhs);
  EXPECT_EQ(Eigen::MatrixXd(sum.gram.triangularView<Eigen::Lower>()), Eigen::MatrixXd(whole.gram.triangularView<Eigen::Lower>()));
  EXPECT_EQ(sum.uncertainty, whole.uncertainty);
  EXPECT_EQ(Eigen::MatrixXd(sum.expected_gram(2).triangularView<Eigen::Lower>()),
            Eigen::MatrixXd((whole.gram + unpack_symmetric(cov_b + cov_c, 2)).triangularView<Eigen::Lower>()));
}

TEST(SgdMove, RanksMovesCombineIntoTheirMeanWeightedByRatings) {
  sgd_move a, b, none;
  a.factors = Eigen::Vector2d(1, 0);
  a.bias = 1;
  a.ratings = 1;
  b.factors = Eigen::Vector2d(0, 4);
  b.bias = 4;
  b.ratings = 3;
  sgd_move sum = none;
  sum += a;
  sum += none;
  sum += b;
  EXPECT_EQ(sum.ratings, 4u);
  EXPECT_EQ(sum.factors, Eigen::Vector2d(0.25, 3));
  EXPECT_EQ(sum.bias, 3.25);
}

// --- ratings files ---

TEST(RatingsFile, ReadsTabsSpacesCommasAndSkipsAHeader) {
  scratch_directory dir("cf");
  const auto file = dir.write("r.csv", "userId,movieId,rating,timestamp\n1,10,4.5,881250949\n# note\n\n2 11\t3\n 3 , 12 , 1 \n");
  const auto read = read_ratings(file, rating_columns::with_value);
  ASSERT_EQ(read.ratings.size(), 3u);
  EXPECT_EQ(read.ratings[0].user, 1u);
  EXPECT_EQ(read.ratings[0].item, 10u);
  EXPECT_EQ(read.ratings[0].value, 4.5);
  EXPECT_EQ(read.ratings[1].value, 3);
  EXPECT_EQ(read.ratings[2].item, 12u);
  EXPECT_EQ(read.lines, (std::vector<std::uint64_t>{2, 5, 6}));
}

TEST(RatingsFile, ReadsMatrixMarketWithUsersAsRows) {
  scratch_directory dir("cf");
  const auto file = dir.write("r.mtx", "%%MatrixMarket matrix coordinate real general\n% c\n3 4 2\n1 4 2.5\n3 2 5\n");
  const auto read = read_ratings(file, rating_columns::with_value);
  ASSERT_EQ(read.ratings.size(), 2u);
  EXPECT_EQ(read.ratings[1].user, 3u);
  EXPECT_EQ(read.ratings[1].item, 2u);
  EXPECT_EQ(read.ratings[1].value, 5);
  const auto pattern = dir.write("p.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 4 1\n1 4\n");
  EXPECT_THROW(read_ratings(pattern, rating_columns::with_value), input_error);
  EXPECT_EQ(read_ratings(pattern, rating_columns::pair_only).ratings.size(), 1u);
}

TEST(RatingsFile, PairFilesIgnoreFurtherColumns) {
  scratch_directory dir("cf");
  const auto read = read_ratings(dir.write("p.tsv", "1 2 5 881250949 extra\n3 4\n"), rating_columns::pair_only);
  ASSERT_EQ(read.ratings.size(), 2u);
  EXPECT_EQ(read.ratings[1].user, 3u);
}

void expect_input_error(const std::string& content, const std::string& fragment, std::uint64_t line,
                        rating_columns columns = rating_columns::with_value) {
  scratch_directory dir("cf");
  const auto file = dir.write("bad.tsv", content);
  try {
    read_ratings(file, columns);
    ADD_FAILURE() << "no error for " << content;
  } catch (const input_error& e) {
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
}

TEST(RatingsFile, MalformedLinesNameFileLineAndWhatWasExpected) {
  expect_input_error("1 2 3\n1 2 good\n", "expected a numeric rating, got 'good'", 2);
  expect_input_error("1 2 3\n4 5\n", "expected 'user item rating [timestamp]', got 2 columns", 2);
  expect_input_error("1 2 3 4 5\n", "got 5 columns", 1);
  expect_input_error("1 2 3\n-1 2 3\n", "expected a non-negative integer user id", 2);
  expect_input_error("1 x 3\n", "expected a non-negative integer item id", 1);
  expect_input_error("1 2 nan\n", "expected a numeric rating", 1);
  expect_input_error("7\n", "expected 'user item ...', got 1 column", 1, rating_columns::pair_only);
}

TEST(RatingsFile, AnEmptyTrainingFileIsAnError) {
  scratch_directory dir("cf");
  const auto file = dir.write("empty.tsv", "# nothing\n");
  try {
    load(file);
    ADD_FAILURE() << "no error for an empty file";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("no ratings found"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gasworks::cf
