// Collective operations of the communicator: every rank gets the same exact
// sums, whatever the number of ranks.
#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <vector>

#include "tests/distributed/world.hpp"

namespace gasworks {
namespace {

using testing::world;

// What rank r contributes at position k: distinct per rank and position, and
// large enough that a lost or doubled contribution shows.
std::uint64_t contribution(int rank, std::size_t k) { return (std::uint64_t{1} << 40) * static_cast<std::uint64_t>(rank + 1) + k * k; }

TEST(Collectives, VectorSumsAreExactOnEveryRank) {
  const int ranks = world()->size();
  for (std::size_t length : {std::size_t{1}, std::size_t{20}, std::size_t{1000}, std::size_t{100000}}) {
    std::vector<std::uint64_t> counts(length);
    for (std::size_t k = 0; k < length; ++k) counts[k] = contribution(world()->rank(), k);
    world()->all_reduce_sum(std::span<std::uint64_t>(counts));
    std::uint64_t wrong = 0;
    for (std::size_t k = 0; k < length; ++k) {
      std::uint64_t expected = 0;
      for (int r = 0; r < ranks; ++r) expected += contribution(r, k);
      if (counts[k] != expected) ++wrong;
    }
    EXPECT_EQ(wrong, 0u) << length << " counts";
  }
  // Signed counts: a rank may hand back what another took.
  std::vector<std::int64_t> deltas{world()->rank() % 2 == 0 ? -3 : 5, 7};
  world()->all_reduce_sum(std::span<std::int64_t>(deltas));
  std::int64_t first = 0;
  for (int r = 0; r < ranks; ++r) first += r % 2 == 0 ? -3 : 5;
  EXPECT_EQ(deltas[0], first);
  EXPECT_EQ(deltas[1], 7 * ranks);
}

TEST(Collectives, AnEmptyVectorIsLeftAlone) {
  std::vector<std::uint32_t> none;
  world()->all_reduce_sum(std::span<std::uint32_t>(none));
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace gasworks
