// The asynchronous engine's schedulers on their own: the indexed heap against
// a sorted reference, and every scheduler giving back each pushed vertex,
// whichever worker pushed it and whichever pops it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "engine/async/fifo_scheduler.hpp"
#include "engine/async/indexed_heap.hpp"
#include "engine/async/priority_scheduler.hpp"
#include "engine/async/sweep_scheduler.hpp"

namespace gasworks {
namespace {

TEST(IndexedHeap, PopsInPriorityOrderWithRaisesAndTiesByAscendingId) {
  constexpr local_id n = 2000;
  std::vector<std::uint32_t> positions(n, indexed_heap::absent);
  indexed_heap heap(positions.data());
  std::vector<double> priority(n, -1);  // the reference: -1 when not in the heap
  std::mt19937_64 random(7);
  std::uniform_int_distribution<local_id> any_vertex(0, n - 1);
  std::uniform_int_distribution<int> small(0, 20);  // few distinct values, so ties are common
  for (int step = 0; step < 20000; ++step) {
    const local_id v = any_vertex(random);
    const double p = small(random);
    if (priority[v] < 0) {
      heap.push(v, p);
      priority[v] = p;
    } else if (p > priority[v]) {
      heap.raise(v, p);
      priority[v] = p;
    }
    ASSERT_TRUE(heap.contains(v));
    ASSERT_EQ(heap.priority(v), priority[v]);
    if (step % 3 == 0) {
      // The expected top: largest priority, then smallest id.
      local_id best = n;
      for (local_id u = 0; u < n; ++u)
        if (priority[u] >= 0 && (best == n || priority[u] > priority[best])) best = u;
      ASSERT_EQ(heap.pop(), best);
      priority[best] = -1;
      ASSERT_FALSE(heap.contains(best));
    }
  }
  double last = 1e9;
  local_id last_vertex = 0;
  while (!heap.empty()) {
    const auto top = heap.top();
    ASSERT_TRUE(top.priority < last || (top.priority == last && top.vertex > last_vertex));
    last = top.priority;
    last_vertex = top.vertex;
    ASSERT_EQ(heap.pop(), top.vertex);
  }
}

// Pushes every vertex once from a rotating worker, raises some (if the
// scheduler keeps priorities), and pops from rotating workers until empty:
// each vertex must come out exactly once.
template <class Scheduler>
void each_vertex_comes_back_once(Scheduler scheduler, unsigned workers, local_id n) {
  for (local_id v = 0; v < n; ++v) scheduler.push(v % workers, v, v % 7);
  if constexpr (Scheduler::uses_priorities)
    for (local_id v = 0; v < n; v += 5) scheduler.push((v + 1) % workers, v, 100.0 + v);  // a raise
  std::vector<int> popped(n, 0);
  std::vector<char> scheduled(n, 1);
  const auto is_scheduled = [&](local_id v) { return scheduled[v] != 0; };
  for (unsigned turn = 0;; ++turn) {
    const std::optional<local_id> v = scheduler.pop(turn % workers, is_scheduled);
    if (!v) break;
    ++popped[*v];
    scheduled[*v] = 0;
  }
  for (local_id v = 0; v < n; ++v) ASSERT_EQ(popped[v], 1) << "vertex " << v << ", " << workers << " workers";
}

TEST(Schedulers, EveryPushedVertexComesBackOnceWhicheverWorkerPops) {
  for (unsigned workers : {1u, 2u, 5u}) {
    each_vertex_comes_back_once(fifo_scheduler(workers), workers, 1000);
    each_vertex_comes_back_once(priority_scheduler(1000, workers), workers, 1000);
  }
}

TEST(Schedulers, PriorityOnOneWorkerIsExactAndSeveralWorkersTakeTheLargerOfTwoTops) {
  priority_scheduler one(100, 1);
  for (local_id v = 0; v < 100; ++v) one.push(0, v, v % 10);
  const auto always = [](local_id) { return true; };
  std::vector<local_id> order;
  while (auto v = one.pop(0, always)) order.push_back(*v);
  ASSERT_EQ(order.size(), 100u);
  for (std::size_t i = 1; i < order.size(); ++i) {
    const auto p = [](local_id v) { return v % 10; };
    ASSERT_TRUE(p(order[i - 1]) > p(order[i]) || (p(order[i - 1]) == p(order[i]) && order[i - 1] < order[i]));
  }
  // Several heaps: the order is approximate, but each pop takes the better of
  // two heaps, so the first pops come from the top of the range.
  priority_scheduler many(10000, 4);
  for (local_id v = 0; v < 10000; ++v) many.push(v % 4, v, v);
  double sum_first = 0;
  for (int i = 0; i < 100; ++i) sum_first += *many.pop(static_cast<unsigned>(i) % 4, always);
  EXPECT_GT(sum_first / 100, 9000.0);
}

TEST(Schedulers, SweepFindsScheduledVerticesInIdOrderAndGivesUpAfterAPass) {
  // Local ids numbered like external ids, and in reverse (as a degree order might).
  const auto same = [](local_id k) { return k; };
  const auto reversed = [](local_id k) { return 299 - k; };
  for (bool reverse : {false, true}) {
    sweep_scheduler sweep = reverse ? sweep_scheduler(300, 1, sweep_order::by_id, 1, reversed)
                                    : sweep_scheduler(300, 1, sweep_order::by_id, 1, same);
    std::vector<char> scheduled(300, 0);
    for (local_id v : {250u, 3u, 99u}) scheduled[v] = 1;
    const auto is_scheduled = [&](local_id v) { return scheduled[v] != 0; };
    std::vector<local_id> order;
    while (auto v = sweep.pop(0, is_scheduled)) {
      order.push_back(*v);
      scheduled[*v] = 0;
    }
    EXPECT_EQ(order, reverse ? (std::vector<local_id>{250, 99, 3}) : (std::vector<local_id>{3, 99, 250}));
  }
}

}  // namespace
}  // namespace gasworks
