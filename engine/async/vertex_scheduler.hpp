#pragma once
// What the locked engine asks of a scheduler: the order in which scheduled
// vertices run on one rank. fifo_scheduler, sweep_scheduler and
// priority_scheduler meet it; a toolkit may bring its own.
//
//   S(shard, workers, settings)  built once per run, for `workers` workers
//   S::settings                   what a user chooses (sweep order, minimum priority)
//   S::uses_priorities            true if the order depends on priorities: the
//                                 engine then keeps each vertex's combined
//                                 priority and pushes a scheduled vertex again
//                                 when its priority rises
//   admits(priority)              false to leave a signalled vertex unscheduled
//                                 (its priority is still combined and kept)
//   push(worker, v, priority)     v became scheduled, or its priority rose, or
//                                 v was popped but its scope was busy, so it is
//                                 to be tried again
//   pop(worker, scheduled)        a candidate to run next, or nothing; it may be
//                                 stale (already run): the engine checks
//                                 scheduled(v) before running it
// `worker` is the calling worker's index, below the worker count given at
// construction (vertices scheduled before a run come with any index).
// push and pop are called by all workers at once.
#include <concepts>
#include <optional>

#include "engine/core/types.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

template <class S>
concept vertex_scheduler =
    std::constructible_from<S, const topology&, unsigned, const typename S::settings&> &&
    requires(S& s, const S& cs, unsigned worker, local_id v, double p, bool (*scheduled)(local_id)) {
      { S::uses_priorities } -> std::convertible_to<bool>;
      { cs.admits(p) } -> std::convertible_to<bool>;
      s.push(worker, v, p);
      { s.pop(worker, scheduled) } -> std::same_as<std::optional<local_id>>;
    };

}  // namespace gasworks
