#pragma once
// Largest priority first. Scheduled vertices wait in heaps keyed by their
// combined priority; a rising priority updates a vertex's entry in place
// (indexed_heap.hpp), so every vertex has at most one entry.
//
// One worker has one heap, and the order is exact: equal priorities run in
// ascending local id. Several workers share 4 heaps per worker (a MultiQueue,
// Rihani, Sanders and Dementiev, SPAA 2015): a vertex always lives in the
// same heap (chosen by its id), and a pop looks at the tops of two heaps
// picked at random and takes the larger. One heap under one lock would make
// every signal of every worker wait for it; spread over many, the order is
// approximate but the locks are rarely contended, and a vertex put back
// because its scope was busy does not come straight back to the same worker.
// A minimum priority (settings) leaves vertices whose combined priority is
// below it unscheduled. See vertex_scheduler.hpp for the interface.
#include <atomic>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <vector>

#include <tbb/spin_mutex.h>

#include "engine/async/indexed_heap.hpp"
#include "engine/core/error.hpp"
#include "engine/core/mix_hash.hpp"
#include "engine/core/types.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

class priority_scheduler {
 public:
  struct settings {
    double min_priority = 0;  // signals whose combined priority stays below are dropped
  };
  static constexpr bool uses_priorities = true;

  priority_scheduler(const topology& shard, unsigned workers, const settings& s)
      : priority_scheduler(shard.num_local_vertices(), workers, s.min_priority) {}
  priority_scheduler(local_id vertices, unsigned workers, double min_priority = 0)
      : positions_(vertices, indexed_heap::absent), workers_(workers == 0 ? 1 : workers), min_priority_(min_priority) {
    if (!(min_priority >= 0)) throw usage_error("min_priority must be non-negative");
    const std::size_t heaps = workers <= 1 ? 1 : heaps_per_worker * std::size_t{workers};
    for (std::size_t i = 0; i < heaps; ++i) heaps_.emplace_back(positions_.data());
    for (std::size_t w = 0; w < workers_.size(); ++w) workers_[w].random = golden_gamma * (w + 1);
  }

  bool admits(double priority) const noexcept { return priority >= min_priority_; }

  void push(unsigned /*worker*/, local_id v, double priority) {
    heap& h = heaps_[home(v)];
    tbb::spin_mutex::scoped_lock lock(h.mutex);
    if (h.entries.contains(v)) {
      // Priorities only rise while queued; a requeued vertex (its scope was
      // busy) may come back with what it already has.
      if (h.entries.priority(v) < priority) h.entries.raise(v, priority);
    } else {
      h.entries.push(v, priority);
    }
    h.publish_top();
  }

  template <class Scheduled>
  std::optional<local_id> pop(unsigned worker, Scheduled&& /*scheduled*/) {
    const std::size_t n = heaps_.size();
    if (n > 1) {
      std::uint64_t& r = workers_[worker % workers_.size()].random;
      const std::size_t a = next_random(r) % n, b = next_random(r) % n;
      const std::size_t first = heaps_[a].top.load(std::memory_order_relaxed) >= heaps_[b].top.load(std::memory_order_relaxed) ? a : b;
      if (auto v = pop_from(heaps_[first])) return v;
    }
    // The two picked were empty (or there is one heap): take from any.
    for (std::size_t i = 0; i < n; ++i) {
      if (n > 1 && heaps_[i].top.load(std::memory_order_relaxed) == empty_top) continue;
      if (auto v = pop_from(heaps_[i])) return v;
    }
    return std::nullopt;
  }

 private:
  static constexpr std::size_t heaps_per_worker = 4;
  static constexpr double empty_top = -std::numeric_limits<double>::infinity();

  struct alignas(64) heap {
    explicit heap(std::uint32_t* positions) : entries(positions) {}
    tbb::spin_mutex mutex;
    indexed_heap entries;
    std::atomic<double> top{empty_top};  // the largest priority, readable without the lock
    // Written only when it changes: other workers read it to choose a heap.
    void publish_top() {
      const double now = entries.empty() ? empty_top : entries.top().priority;
      if (top.load(std::memory_order_relaxed) != now) top.store(now, std::memory_order_relaxed);
    }
  };
  struct alignas(64) worker_state {
    std::uint64_t random = 0;
  };

  std::optional<local_id> pop_from(heap& h) {
    tbb::spin_mutex::scoped_lock lock(h.mutex);
    if (h.entries.empty()) return std::nullopt;
    const local_id v = h.entries.pop();
    h.publish_top();
    return v;
  }

  std::size_t home(local_id v) const noexcept {
    // Neighbouring ids often have related priorities; a multiplicative hash
    // spreads them over the heaps.
    return heaps_.size() == 1 ? 0 : static_cast<std::size_t>((std::uint64_t{v} * golden_gamma) >> 32) % heaps_.size();
  }

  static std::uint64_t next_random(std::uint64_t& state) noexcept {  // xorshift64
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }

  std::vector<std::uint32_t> positions_;  // shared by the heaps; a slot is guarded by its vertex's home heap's lock
  std::deque<heap> heaps_;                // a deque: heaps hold locks and cannot move
  std::vector<worker_state> workers_;
  double min_priority_;
};

}  // namespace gasworks
