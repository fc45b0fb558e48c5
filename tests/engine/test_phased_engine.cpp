// The phased engine with a set scheduler brought by the caller: the engine
// runs exactly the sets the scheduler chooses, in its order, with the
// priorities signals carry.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "engine/phased/phased_engine.hpp"
#include "tests/support/order_log.hpp"
#include "tests/support/small_graphs.hpp"

namespace gasworks {
namespace {

// One vertex per phase: the scheduled one with the largest priority, the
// smallest id on a tie. Records the size of every set it chose.
struct one_by_priority {
  static constexpr bool uses_priorities = true;
  std::vector<std::size_t>* sets = nullptr;
  std::uint32_t phases_per_round() const { return 1; }
  template <class PriorityOf>
  void choose(std::uint32_t, const frontier& scheduled, PriorityOf&& priority_of, std::vector<local_id>& chosen) const {
    std::optional<local_id> best;
    for (local_id v = 0; v < scheduled.universe(); ++v)
      if (scheduled.contains(v) && (!best || priority_of(v) > priority_of(*best))) best = v;
    if (best) chosen.push_back(*best);
    sets->push_back(chosen.size());
  }
};
static_assert(set_scheduler<one_by_priority>);

// Every scheduled vertex of even id, then every one of odd id.
struct evens_then_odds {
  static constexpr bool uses_priorities = false;
  std::uint32_t phases_per_round() const { return 2; }
  template <class PriorityOf>
  void choose(std::uint32_t phase, const frontier& scheduled, PriorityOf&&, std::vector<local_id>& chosen) const {
    for (local_id v = 0; v < scheduled.universe(); ++v)
      if (scheduled.contains(v) && v % 2 == phase) chosen.push_back(v);
  }
};
static_assert(set_scheduler<evens_then_odds>);

TEST(PhasedEngine, RunsTheSetsTheSchedulerChoosesWithTheirPriorities) {
  auto g = testing::make_graph<std::uint32_t>({{1, 5}, {1, 6}}, {0, 2, 3, 4});
  std::vector<vertex_id> log;
  std::vector<std::size_t> sets;
  testing::order_log program;
  program.log = &log;
  program.raiser = 1;
  program.raised = 10;
  phased_engine<testing::order_log, one_by_priority> engine(g, program, one_by_priority{&sets});
  for (auto [v, p] : std::vector<std::pair<vertex_id, double>>{{0, 0.5}, {2, 1}, {3, 2.5}, {4, 3}, {1, 3}, {5, 0.1}})
    engine.signal(v, priority{p});
  const auto summary = engine.run();
  // 1 and 4 tie at 3 (1 first); 1 raises 5 and 6 to 10, which then run first.
  EXPECT_EQ(log, (std::vector<vertex_id>{1, 5, 6, 4, 3, 2, 0}));
  EXPECT_EQ(summary.updates, 7u);
  EXPECT_EQ(summary.reason, termination::converged);
  // A phase per update, and a last choice that found nothing.
  EXPECT_EQ(sets, (std::vector<std::size_t>{1, 1, 1, 1, 1, 1, 1, 0}));
}

TEST(PhasedEngine, APhaseRunsItsWholeSetBeforeTheNext) {
  auto g = testing::make_graph<std::uint32_t>({}, {0, 1, 2, 3, 4, 5});
  std::vector<vertex_id> log;
  testing::order_log program;
  program.log = &log;
  phased_engine<testing::order_log, evens_then_odds> engine(g, program, evens_then_odds{});
  engine.signal_all();
  const auto summary = engine.run();
  ASSERT_EQ(log.size(), 6u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(log[i] % 2, 0u) << i;
  for (std::size_t i = 3; i < 6; ++i) EXPECT_EQ(log[i] % 2, 1u) << i;
  EXPECT_EQ(summary.supersteps, 2u);  // the round that ran, and the one that found nothing scheduled
}

}  // namespace
}  // namespace gasworks
