#pragma once
// Round-robin sweeps over the vertices, in ascending external id or in one
// seeded random order, running each vertex found scheduled. Workers claim consecutive
// chunks of the order from a shared cursor, so together they sweep the
// vertices once per pass. See vertex_scheduler.hpp for the interface.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <numeric>
#include <optional>
#include <random>
#include <vector>

#include "engine/core/types.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

enum class sweep_order { by_id, shuffled };

class sweep_scheduler {
 public:
  struct settings {
    sweep_order order = sweep_order::by_id;
    std::uint64_t seed = 1;  // of the shuffled order
  };
  static constexpr bool uses_priorities = false;

  // `in_id_order(k)` is the local vertex with the k-th smallest external id.
  template <class InIdOrder>
  sweep_scheduler(local_id vertices, unsigned workers, sweep_order order, std::uint64_t seed, InIdOrder&& in_id_order)
      : order_(vertices), workers_(workers) {
    for (local_id k = 0; k < vertices; ++k) order_[k] = in_id_order(k);
    if (order == sweep_order::shuffled) std::shuffle(order_.begin(), order_.end(), std::mt19937_64(seed));
  }

  // Passes in the shard's external id order.
  sweep_scheduler(const topology& shard, unsigned workers, const settings& s)
      : sweep_scheduler(shard.num_local_vertices(), workers, s.order, s.seed,
                        [&](local_id k) { return shard.in_external_id_order(k); }) {}

  bool admits(double) const noexcept { return true; }

  // The scheduled flags are the queue.
  void push(unsigned, local_id, double) {}

  template <class Scheduled>
  std::optional<local_id> pop(unsigned worker, Scheduled&& scheduled) {
    const std::uint64_t n = order_.size();
    if (n == 0) return std::nullopt;
    // Give up after one pass's worth of positions, so that an idle worker
    // returns to check whether the run is over.
    worker_cursor& c = workers_[worker];
    for (std::uint64_t looked = 0; looked < n; ++looked) {
      if (c.next == c.end) {
        c.next = cursor_.fetch_add(chunk, std::memory_order_relaxed);
        c.end = c.next + chunk;
      }
      const local_id v = order_[c.next++ % n];
      if (scheduled(v)) return v;
    }
    return std::nullopt;
  }

 private:
  static constexpr std::uint64_t chunk = 64;
  struct alignas(64) worker_cursor {
    std::uint64_t next = 0;
    std::uint64_t end = 0;
  };

  std::vector<local_id> order_;
  std::vector<worker_cursor> workers_;
  std::atomic<std::uint64_t> cursor_{0};
};

}  // namespace gasworks
