// Belief propagation across ranks: the flooding schedule gives the serial
// reference's beliefs, iteration for iteration, on any number of ranks and
// with every partitioner; the asynchronous schedules (colour phases across
// ranks) reach the same fixed point.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "partition/partitioner.hpp"
#include "tests/distributed/world.hpp"
#include "tests/support/bp_settings_for.hpp"
#include "tests/support/random_factor_models.hpp"
#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_reference.hpp"

namespace gasworks::bp {
namespace {

using testing::world;

TEST(BpAcrossRanks, FloodingEqualsTheSerialReference) {
  const factor_model grid = testing::random_grid(5, 3, 0.6);
  const evidence observed{{7, 1}};
  const auto reference = reference::run(grid, observed, testing::reference_options(0.2, 1e-10, 1000));
  const auto shared = std::make_shared<const factor_model>(grid);
  for (partition::method m : partition::all_methods) {
    SCOPED_TRACE(std::string(partition::name(m)));
    ingress_options placement;
    placement.method = m;
    auto g = load_factor_graph(world(), grid, placement);
    const auto r = run_bp(g, shared, observed, testing::bp_settings_for(0.2, 1e-10, 1000));
    EXPECT_EQ(r.iterations, reference.iterations);
    EXPECT_EQ(r.converged, reference.converged);
    EXPECT_NEAR(r.log_partition, reference.log_partition, 1e-8);
    if (world()->rank() != 0) continue;
    ASSERT_EQ(r.beliefs.size(), grid.variables());
    double worst = 0;
    for (std::size_t v = 0; v < grid.variables(); ++v)
      for (std::size_t x = 0; x < 2; ++x) worst = std::max(worst, std::abs(r.beliefs[v][x] - reference.variable_beliefs[v][x]));
    EXPECT_LT(worst, 1e-9);
    EXPECT_EQ(r.beliefs[7], (std::vector<double>{0.0, 1.0}));  // evidence clamps
  }
}

TEST(BpAcrossRanks, AsynchronousSchedulesReachTheSameFixedPoint) {
  const factor_model grid = testing::random_grid(5, 4, 0.5);
  const evidence observed{{12, 0}};
  const auto reference = reference::run(grid, observed, testing::reference_options(0, 1e-13, 5000));
  ASSERT_TRUE(reference.converged);
  const auto shared = std::make_shared<const factor_model>(grid);
  for (bp_schedule schedule : {bp_schedule::residual, bp_schedule::sweep})
    for (partition::method m : {partition::method::random, partition::method::grid, partition::method::metis}) {
      SCOPED_TRACE(std::string(to_string(schedule)) + ", " + std::string(partition::name(m)));
      ingress_options placement;
      placement.method = m;
      auto g = load_factor_graph(world(), grid, placement);
      const auto r = run_bp(g, shared, observed, testing::bp_settings_for(0.1, 1e-12, 5000, schedule));
      EXPECT_TRUE(r.converged);
      EXPECT_LT(r.residual, 1e-12);
      if (world()->rank() != 0) continue;
      double worst = 0;
      for (std::size_t v = 0; v < grid.variables(); ++v)
        for (std::size_t x = 0; x < 2; ++x) worst = std::max(worst, std::abs(r.beliefs[v][x] - reference.variable_beliefs[v][x]));
      EXPECT_LT(worst, 1e-9);
    }
}

}  // namespace
}  // namespace gasworks::bp
