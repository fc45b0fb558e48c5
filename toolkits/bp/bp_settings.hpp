#pragma once
// What a belief-propagation run computes and how: the task (marginals by
// sum-product, the most probable labels by max-product), the schedule of
// message updates, damping, the tolerance and the limits.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/checkpoint/checkpointing.hpp"
#include "engine/core/error.hpp"

namespace gasworks::bp {

enum class bp_task {
  mar,  // sum-product: each variable's marginal distribution
  map,        // max-product: each variable's label in a most probable assignment
};

enum class bp_schedule {
  sync,      // flooding: every message recomputed in each iteration (synchronous engine)
  residual,  // the vertex with the largest pending message change first (priority scheduler)
  sweep,     // round-robin passes over the vertices that have a pending change
};

struct bp_settings {
  double damping = 0;       // new message = (1 - damping) computed + damping old
  double tolerance = 1e-9;  // on the largest change of a message entry
  // sync: iterations (every message once each); the asynchronous schedules
  // run at most as many vertex updates as that many iterations would.
  std::uint64_t max_iterations = 10000;
  std::optional<std::uint64_t> max_updates;  // asynchronous schedules: overrides the above
  bp_task task = bp_task::mar;
  bp_schedule schedule = bp_schedule::sync;
  // Products of messages (at factors and variables) kept as sums of
  // logarithms, for models whose products span more than a double's range.
  bool log_domain = false;
  std::optional<double> timeout_seconds;
  // Checkpoints to save and resume from (the sync schedule; not owned).
  checkpoint::checkpointing* checkpoints = nullptr;
};

constexpr std::string_view to_string(bp_schedule s) noexcept {
  switch (s) {
    case bp_schedule::sync: return "sync";
    case bp_schedule::residual: return "residual";
    case bp_schedule::sweep: return "sweep";
  }
  return "unknown";
}

inline bp_schedule parse_schedule(std::string_view name) {
  for (auto s : {bp_schedule::sync, bp_schedule::residual, bp_schedule::sweep})
    if (name == to_string(s)) return s;
  throw usage_error("unknown schedule '" + std::string(name) + "' (expected sync, residual or sweep)");
}

constexpr std::string_view to_string(bp_task t) noexcept { return t == bp_task::map ? "map" : "mar"; }

inline bp_task parse_task(std::string_view name) {
  if (name == "mar") return bp_task::mar;
  if (name == "map") return bp_task::map;
  throw usage_error("unknown task '" + std::string(name) + "' (expected mar or map)");
}

}  // namespace gasworks::bp
