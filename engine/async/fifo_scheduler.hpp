#pragma once
// First in, first out: signalled vertices run in the order in which they
// became scheduled (exactly on one thread, roughly on several).
//
// Every scheduler offers
//   push(v, priority)       v became scheduled, or (priority scheduler only)
//                           its combined priority rose while scheduled
//   pop(worker, scheduled)  a candidate to run next, or nothing; it may be
//                           stale (already run): the engine checks
//                           scheduled(v) under the vertex's lock
// `worker` is the calling worker's index, below the worker count given at
// construction.
#include <optional>

#include <tbb/concurrent_queue.h>

#include "engine/types.hpp"

namespace gasworks {

class fifo_scheduler {
 public:
  static constexpr bool wants_raised_priorities = false;

  void push(local_id v, double /*priority*/) { queue_.push(v); }

  template <class Scheduled>
  std::optional<local_id> pop(unsigned /*worker*/, Scheduled&& /*scheduled*/) {
    local_id v = 0;
    if (queue_.try_pop(v)) return v;
    return std::nullopt;
  }

 private:
  tbb::concurrent_queue<local_id> queue_;
};

}  // namespace gasworks
