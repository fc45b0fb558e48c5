// Factorization on several ranks: ALS gives the one-process factors and
// fit (within 1e-9) for every partitioner; SGD runs and fits on any number
// of ranks.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "engine/ingress/gather_at_root.hpp"
#include "tests/distributed/world.hpp"
#include "tests/support/ratings_files.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/cf/als.hpp"
#include "toolkits/cf/ratings_graph.hpp"
#include "toolkits/cf/sgd.hpp"

namespace gasworks::cf {
namespace {

using testing::this_process_only;
using testing::world;

using model_by_id = std::vector<vertex_value<latent_vertex>>;

struct factorization {
  model_by_id model;  // at rank 0 only
  fit_result fit;
};

template <class Run>
factorization factorize(const std::shared_ptr<communicator>& ranks, const std::filesystem::path& training,
                        const std::filesystem::path& validation, partition::method method, Run&& run) {
  ingress_options placement;
  placement.method = method;
  auto g = load_ratings_graph<latent_vertex>(ranks, training, validation, placement);
  factorization f;
  f.fit = run(g);
  f.model = gather_at_root(g, [](const auto& v) { return v.data(); });
  return f;
}

double max_difference(const model_by_id& a, const model_by_id& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].value.factors.size() != b[i].value.factors.size()) return INFINITY;
    worst = std::max(worst, (a[i].value.factors - b[i].value.factors).lpNorm<Eigen::Infinity>());
    worst = std::max(worst, std::abs(a[i].value.bias - b[i].value.bias));
  }
  return worst;
}

// A sample of MovieLens 100k split in two files that every rank can read.
class CfAcrossRanks : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto data = testing::shared_datasets() / "ratings/ml-100k/u1.base";
    if (!std::filesystem::exists(data)) {
      if (testing::running_in_ci()) FAIL() << "missing dataset " << data;
      GTEST_SKIP() << "dataset not present: " << data;
    }
    // Rank 0 writes, everyone reads after the barrier (same folder on one machine).
    folder_ = testing::job_temp_path("gasworks_cf_ranks");
    if (world()->rank() == 0) {
      std::filesystem::create_directories(folder_);
      const auto ratings = testing::first_ratings(data, 12000);
      std::vector<rating> training, validation;
      for (std::size_t i = 0; i < ratings.size(); ++i) (i % 5 == 0 ? validation : training).push_back(ratings[i]);
      testing::write_ratings(folder_ / "train.tsv", training);
      testing::write_ratings(folder_ / "valid.tsv", validation);
    }
    world()->barrier();
  }
  void TearDown() override {
    world()->barrier();
    if (world()->rank() == 0) std::filesystem::remove_all(folder_);
  }
  std::filesystem::path training() const { return folder_ / "train.tsv"; }
  std::filesystem::path validation() const { return folder_ / "valid.tsv"; }

 private:
  std::filesystem::path folder_;
};

TEST_F(CfAcrossRanks, AlsEqualsOneProcessForEveryPartitioner) {
  // Plain, with biases, and variational with biases and a prior (mirrors
  // then also need their masters' covariances).
  for (int variant = 0; variant < 3; ++variant) {
    als_options opts;
    opts.rank = 6;
    opts.iterations = 3;
    opts.biased = variant > 0;
    opts.variational = variant == 2;
    opts.prior = variant == 2 ? 2 : 0;
    opts.bias_lambda = variant == 2 ? 1 : 0;
    auto run = [&](ratings_graph& g) { return run_als(g, opts); };
    const auto reference = factorize(this_process_only(), training(), validation(), partition::default_method, run);
    for (partition::method m : partition::all_methods) {
      SCOPED_TRACE(std::string(partition::name(m)) + (variant == 1 ? " biased" : variant == 2 ? " variational" : ""));
      const auto r = factorize(world(), training(), validation(), m, run);
      ASSERT_EQ(r.fit.history.size(), reference.fit.history.size());
      EXPECT_NEAR(r.fit.history.back().train_rmse, reference.fit.history.back().train_rmse, 1e-9);
      EXPECT_NEAR(r.fit.history.back().validation_rmse, reference.fit.history.back().validation_rmse, 1e-9);
      if (world()->rank() == 0) {
        EXPECT_LE(max_difference(r.model, reference.model), 1e-9);
      }
    }
  }
}

TEST_F(CfAcrossRanks, AsynchronousAlsNeverRaisesTheObjectiveOnAnyRankCount) {
  als_options opts;
  opts.rank = 6;
  opts.iterations = 6;
  opts.asynchronous = async_choice{};
  auto run = [&](ratings_graph& g) { return run_als(g, opts); };
  const auto r = factorize(world(), training(), validation(), partition::method::hdrf, run);
  ASSERT_EQ(r.fit.history.size(), 6u);
  for (std::size_t i = 1; i < r.fit.history.size(); ++i)
    EXPECT_LE(r.fit.history[i].objective, r.fit.history[i - 1].objective * (1 + 1e-12)) << "iteration " << i + 1;
  EXPECT_LT(r.fit.history.back().train_rmse, r.fit.history.front().train_rmse);
  // Every rank measured the same fit.
  const double mine = r.fit.history.back().objective;
  EXPECT_EQ(world()->all_reduce_sum(mine), mine * world()->size());
}

TEST_F(CfAcrossRanks, SgdFitsOnEveryRankCountAndAgreesWithOneProcessOnOneRank) {
  sgd_options opts;
  opts.rank = 6;
  opts.iterations = 5;
  auto run = [&](ratings_graph& g) { return run_sgd(g, opts); };
  const auto reference = factorize(this_process_only(), training(), validation(), partition::default_method, run);
  const auto r = factorize(world(), training(), validation(), partition::method::hdrf, run);
  ASSERT_EQ(r.fit.history.size(), 5u);
  EXPECT_LT(r.fit.history.back().train_rmse, r.fit.history.front().train_rmse);
  // Several ranks step each vertex's ratings in parts: close to, not equal to, one process.
  EXPECT_NEAR(r.fit.history.back().validation_rmse, reference.fit.history.back().validation_rmse, 0.05);
  if (world()->size() == 1) {
    EXPECT_LE(max_difference(r.model, reference.model), 1e-12);
  }
}

}  // namespace
}  // namespace gasworks::cf
