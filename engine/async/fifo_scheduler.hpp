#pragma once
// First in, first out: signalled vertices run in the order in which they
// became scheduled (exactly on one thread, roughly on several).
//
// Each worker has its own queue (a lane): it queues the vertices its updates
// signal and runs from the front of its lane, and when that is empty it takes
// the oldest vertex of another lane. One shared queue would make every push
// and pop of every worker contend for the same two counters; lanes keep that
// traffic private and the signalled vertices near the worker whose update
// just touched their neighbourhood.
// See vertex_scheduler.hpp for the interface.
#include <atomic>
#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include <tbb/spin_mutex.h>

#include "engine/core/types.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

class fifo_scheduler {
 public:
  struct settings {};
  static constexpr bool uses_priorities = false;

  explicit fifo_scheduler(unsigned workers) : lanes_(workers == 0 ? 1 : workers) {}
  fifo_scheduler(const topology&, unsigned workers, const settings&) : fifo_scheduler(workers) {}

  bool admits(double) const noexcept { return true; }

  void push(unsigned worker, local_id v, double /*priority*/) {
    lane& l = lanes_[worker % lanes_.size()];
    tbb::spin_mutex::scoped_lock lock(l.mutex);
    l.queue.push_back(v);
    l.size.store(l.queue.size(), std::memory_order_relaxed);
  }

  template <class Scheduled>
  std::optional<local_id> pop(unsigned worker, Scheduled&& /*scheduled*/) {
    const std::size_t lanes = lanes_.size();
    for (std::size_t i = 0; i < lanes; ++i) {
      lane& l = lanes_[(worker + i) % lanes];
      if (l.size.load(std::memory_order_relaxed) == 0) continue;  // without taking its lock
      tbb::spin_mutex::scoped_lock lock(l.mutex);
      if (l.queue.empty()) continue;
      const local_id v = l.queue.front();
      l.queue.pop_front();
      l.size.store(l.queue.size(), std::memory_order_relaxed);
      return v;
    }
    return std::nullopt;
  }

 private:
  struct alignas(64) lane {
    tbb::spin_mutex mutex;
    std::deque<local_id> queue;
    std::atomic<std::size_t> size{0};  // queue.size(), readable without the lock
  };
  std::vector<lane> lanes_;
};

}  // namespace gasworks
