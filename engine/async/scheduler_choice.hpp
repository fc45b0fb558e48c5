#pragma once
// A scheduler chosen at run time (a command-line flag) among the three that
// come with the engine, and the one place where that choice becomes a type:
// with_scheduler calls its function with the chosen scheduler's settings,
// whose type names the scheduler (Settings::scheduler_type).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "engine/async/fifo_scheduler.hpp"
#include "engine/async/priority_scheduler.hpp"
#include "engine/async/sweep_scheduler.hpp"
#include "engine/core/error.hpp"
#include "engine/gas/async_options.hpp"

namespace gasworks {

enum class scheduler_kind {
  fifo,      // signalled vertices run in the order they were first signalled
  sweep,     // round-robin passes over the vertices, running those signalled
  priority,  // the largest combined priority first
};

struct scheduler_choice {
  scheduler_kind kind = scheduler_kind::fifo;
  sweep_scheduler::settings sweep{};
  priority_scheduler::settings priority{};
};

// An asynchronous run as chosen at run time: the engine's options and its scheduler.
struct async_choice {
  async_options options{};
  scheduler_choice scheduler{};
};

// The settings of a scheduler, tagged with its type.
template <class Scheduler>
struct chosen_scheduler : Scheduler::settings {
  using scheduler_type = Scheduler;
};

// f(chosen_scheduler<S>) for the scheduler S that `choice` names.
template <class F>
decltype(auto) with_scheduler(const scheduler_choice& choice, F&& f) {
  switch (choice.kind) {
    case scheduler_kind::sweep: return std::forward<F>(f)(chosen_scheduler<sweep_scheduler>{choice.sweep});
    case scheduler_kind::priority: return std::forward<F>(f)(chosen_scheduler<priority_scheduler>{choice.priority});
    case scheduler_kind::fifo: break;
  }
  return std::forward<F>(f)(chosen_scheduler<fifo_scheduler>{});
}

constexpr std::string_view to_string(scheduler_kind s) noexcept {
  switch (s) {
    case scheduler_kind::fifo: return "fifo";
    case scheduler_kind::sweep: return "sweep";
    case scheduler_kind::priority: return "priority";
  }
  return "unknown";
}

inline scheduler_kind parse_scheduler(std::string_view name) {
  for (auto s : {scheduler_kind::fifo, scheduler_kind::sweep, scheduler_kind::priority})
    if (name == to_string(s)) return s;
  throw usage_error("unknown scheduler '" + std::string(name) + "' (expected fifo, sweep or priority)");
}

}  // namespace gasworks
