// The STRADS set scheduler and the sum tree it draws from: cyclic blocks in
// order, draws without repeats in proportion to priority, the dependency
// rule obeyed by every set, and sets listed in ascending local order with
// the scheduled data vertices merged in.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "engine/phased/strads_sets.hpp"
#include "engine/phased/sum_tree.hpp"
#include "tests/support/small_graphs.hpp"

namespace gasworks {
namespace {

TEST(SumTree, FindsTheWeightCoveringAPointAndNeverAZeroWeight) {
  sum_tree t(5, 1.0);
  t.set(1, 0.0);
  t.set(3, 2.5);
  EXPECT_DOUBLE_EQ(t.total(), 5.5);
  // Prefix sums: [0,1) -> 0, weight 1 of index 1 is zero, [1,2) -> 2, [2,4.5) -> 3, [4.5,5.5) -> 4.
  EXPECT_EQ(t.find(0.0), 0u);
  EXPECT_EQ(t.find(0.999), 0u);
  EXPECT_EQ(t.find(1.0), 2u);
  EXPECT_EQ(t.find(2.0), 3u);
  EXPECT_EQ(t.find(4.49), 3u);
  EXPECT_EQ(t.find(4.5), 4u);
  EXPECT_EQ(t.find(99.0), 4u);  // past the total: the right edge
  // Many changes leave a zero subtree summing to exactly zero.
  std::mt19937_64 random(3);
  sum_tree u(100, 0.0);
  for (int k = 0; k < 10000; ++k) u.set(random() % 50, std::uniform_real_distribution<double>(0, 1e-3)(random));
  for (std::uint64_t i = 0; i < 50; ++i) u.set(i, 0.0);
  u.set(77, 0.25);
  EXPECT_EQ(u.total(), 0.25);
  for (double x : {0.0, 0.1, 0.2499}) EXPECT_EQ(u.find(x), 77u);
}

// Candidates are the global ids 0..9, each with an edge to one of the data
// vertices 10..13.
graph<double, empty> candidates_and_data() {
  testing::edge_pairs edges;
  for (vertex_id c = 0; c < 10; ++c) edges.push_back({c, 10 + c % 4});
  return testing::make_graph<double>(edges);
}

std::vector<vertex_id> global_ids(const topology& s, const std::vector<local_id>& chosen) {
  std::vector<vertex_id> ids;
  for (local_id v : chosen) ids.push_back(s.global_id(v));
  return ids;
}

TEST(StradsSets, CyclicSetsAreBlocksInOrderWithTheScheduledDataVerticesMergedIn) {
  const auto g = candidates_and_data();
  const topology& s = g.structure();
  strads_options options;
  options.selection = set_selection::cyclic;
  options.set_size = 4;
  strads_sets<> sets(s, 0, 10, independent_candidates{}, options);
  frontier scheduled(s.num_local_vertices());
  scheduled.insert(*s.find(11));
  scheduled.insert(*s.find(13));
  scheduled.insert(*s.find(2));  // candidates run by the schedule, scheduled or not
  const auto no_priority = [](local_id) { return 0.0; };
  std::vector<std::set<vertex_id>> got;
  for (int phase = 0; phase < 3; ++phase) {
    std::vector<local_id> chosen;
    sets.choose(0, scheduled, no_priority, chosen);
    EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
    const auto ids = global_ids(s, chosen);
    got.emplace_back(ids.begin(), ids.end());
    EXPECT_EQ(got.back().size(), chosen.size());
  }
  EXPECT_EQ(got[0], (std::set<vertex_id>{0, 1, 2, 3, 11, 13}));
  EXPECT_EQ(got[1], (std::set<vertex_id>{4, 5, 6, 7, 11, 13}));
  EXPECT_EQ(got[2], (std::set<vertex_id>{8, 9, 0, 1, 11, 13}));
  EXPECT_EQ(sets.statistics().kept, 12u);
  EXPECT_EQ(sets.statistics().sets, 3u);
}

// Refuses odd candidates and counts what it was asked.
struct evens_only {
  std::uint64_t* asked;
  void begin_set() {}
  bool admit(std::uint64_t c) {
    ++*asked;
    return c % 2 == 0;
  }
};

TEST(StradsSets, PriorityDrawsAreDistinctFollowThePrioritiesAndPassTheRule) {
  const auto g = candidates_and_data();
  const topology& s = g.structure();
  strads_options options;
  options.selection = set_selection::priority;
  options.set_size = 3;
  options.exploration = 0;
  options.oversampling = 3;
  std::uint64_t asked = 0;
  strads_sets<evens_only> sets(s, 0, 10, evens_only{&asked}, options);
  // Candidate c weighs c + 1; 6 weighs nothing and so is never drawn.
  std::vector<double> priorities(10);
  for (std::size_t c = 0; c < 10; ++c) priorities[c] = static_cast<double>(c + 1);
  priorities[6] = 0;
  std::vector<std::uint64_t> times_kept(10, 0);
  sets.on_set([&](std::span<const std::uint64_t> kept) {
    EXPECT_LE(kept.size(), 3u);
    EXPECT_EQ(std::set<std::uint64_t>(kept.begin(), kept.end()).size(), kept.size());  // no repeats
    for (std::uint64_t c : kept) ++times_kept[c];
  });
  const frontier scheduled(s.num_local_vertices());
  const auto no_priority = [](local_id) { return 0.0; };
  const int phases = 20000;
  for (int phase = 0; phase < phases; ++phase) {
    sets.set_priorities(priorities);  // the same weights for every set
    std::vector<local_id> chosen;
    sets.choose(0, scheduled, no_priority, chosen);
    for (vertex_id id : global_ids(s, chosen)) EXPECT_EQ(id % 2, 0u);
  }
  EXPECT_EQ(times_kept[6], 0u);
  for (std::uint64_t c = 1; c < 10; c += 2) EXPECT_EQ(times_kept[c], 0u);
  EXPECT_EQ(sets.statistics().kept + sets.statistics().rejected, asked);
  EXPECT_GT(sets.statistics().rejected, 0u);
  // Among the admitted evens 0, 2, 4, 8 (weights 1, 3, 5, 9), heavier ones
  // are kept more often; with up to 9 distinct draws per set, 8 nearly always.
  EXPECT_LT(times_kept[0], times_kept[2]);
  EXPECT_LT(times_kept[2], times_kept[4]);
  EXPECT_LT(times_kept[4], times_kept[8]);
  EXPECT_GT(times_kept[8], phases * 9 / 10);
}

TEST(StradsSets, ASetSizeOfZeroDeliversOnly) {
  const auto g = candidates_and_data();
  const topology& s = g.structure();
  strads_options options;
  options.set_size = 0;
  strads_sets<> sets(s, 0, 10, independent_candidates{}, options);
  frontier scheduled(s.num_local_vertices());
  scheduled.insert(*s.find(12));
  scheduled.insert(*s.find(5));
  std::vector<local_id> chosen;
  sets.choose(0, scheduled, [](local_id) { return 0.0; }, chosen);
  EXPECT_EQ(global_ids(s, chosen), (std::vector<vertex_id>{12}));
  EXPECT_EQ(sets.statistics().kept, 0u);
}

}  // namespace
}  // namespace gasworks
