#pragma once
// Largest priority first (exactly on one thread; on several, each pop takes
// the largest present at that moment). A vertex whose combined priority
// rises while it waits is pushed again; the older, lower entry is left to
// turn stale, which the engine recognises when it pops it. Equal priorities
// run in ascending local id. See fifo_scheduler.hpp for the interface.
#include <optional>

#include <tbb/concurrent_priority_queue.h>

#include "engine/types.hpp"

namespace gasworks {

class priority_scheduler {
 public:
  static constexpr bool wants_raised_priorities = true;

  void push(local_id v, double priority) { queue_.push(entry{priority, v}); }

  template <class Scheduled>
  std::optional<local_id> pop(unsigned /*worker*/, Scheduled&& /*scheduled*/) {
    entry e;
    if (queue_.try_pop(e)) return e.vertex;
    return std::nullopt;
  }

 private:
  struct entry {
    double priority = 0;
    local_id vertex = 0;
    // The queue pops the largest entry under <.
    friend bool operator<(const entry& a, const entry& b) noexcept {
      return a.priority < b.priority || (a.priority == b.priority && a.vertex > b.vertex);
    }
  };
  tbb::concurrent_priority_queue<entry> queue_;
};

}  // namespace gasworks
