// Belief propagation across ranks: the flooding schedule gives the serial
// reference's beliefs, iteration for iteration, on any number of ranks and
// with every partitioner.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "partition/partitioner.hpp"
#include "tests/distributed/world.hpp"
#include "tests/support/random_factor_models.hpp"
#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_reference.hpp"

namespace gasworks::bp {
namespace {

using testing::world;

TEST(BpAcrossRanks, FloodingEqualsTheSerialReference) {
  const factor_model grid = testing::random_grid(5, 3, 0.6);
  const evidence observed{{7, 1}};
  const auto reference = reference::run(grid, observed, {.damping = 0.2, .tolerance = 1e-10, .max_iterations = 1000});
  const auto shared = std::make_shared<const factor_model>(grid);
  for (partition::method m : partition::all_methods) {
    SCOPED_TRACE(std::string(partition::name(m)));
    ingress_options placement;
    placement.method = m;
    auto g = load_factor_graph(world(), grid, placement);
    const auto r = run_bp(g, shared, observed, {.damping = 0.2, .tolerance = 1e-10, .max_iterations = 1000});
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

}  // namespace
}  // namespace gasworks::bp
