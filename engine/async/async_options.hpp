#pragma once
// How the asynchronous engine chooses the next vertex (the scheduler) and
// what it promises about vertices running at the same time (the consistency
// model); see docs/asynchronous-engine.md.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace gasworks {

enum class scheduler_kind {
  fifo,      // signalled vertices run in the order they were first signalled
  sweep,     // round-robin passes over the vertices, running those signalled
  priority,  // the largest combined priority first
};

enum class consistency_model {
  vertex,  // an update writes only its own vertex; neighbours may run at the same time
  edge,    // no two adjacent vertices run at the same time; an update may write its edges
  full,    // no two vertices within distance two run at the same time; may write neighbours' data too
};

enum class sweep_order { by_id, shuffled };

struct async_options {
  scheduler_kind scheduler = scheduler_kind::fifo;
  consistency_model consistency = consistency_model::edge;
  sweep_order order = sweep_order::by_id;
  std::uint64_t seed = 1;       // of the shuffled sweep order
  double min_priority = 0;      // priority scheduler: signals whose combined priority stays below are dropped
  std::uint64_t max_updates = std::numeric_limits<std::uint64_t>::max();
  std::optional<double> timeout_seconds{};
  // Progress reports (and aggregators without a period of their own) come
  // every this many updates; 0 means once per number of vertices.
  std::uint64_t report_every_updates = 0;
};

constexpr std::string_view to_string(scheduler_kind s) noexcept {
  switch (s) {
    case scheduler_kind::fifo: return "fifo";
    case scheduler_kind::sweep: return "sweep";
    case scheduler_kind::priority: return "priority";
  }
  return "unknown";
}

constexpr std::string_view to_string(consistency_model c) noexcept {
  switch (c) {
    case consistency_model::vertex: return "vertex";
    case consistency_model::edge: return "edge";
    case consistency_model::full: return "full";
  }
  return "unknown";
}

inline scheduler_kind parse_scheduler(std::string_view name) {
  for (auto s : {scheduler_kind::fifo, scheduler_kind::sweep, scheduler_kind::priority})
    if (name == to_string(s)) return s;
  throw usage_error("unknown scheduler '" + std::string(name) + "' (expected fifo, sweep or priority)");
}

inline consistency_model parse_consistency(std::string_view name) {
  for (auto c : {consistency_model::vertex, consistency_model::edge, consistency_model::full})
    if (name == to_string(c)) return c;
  throw usage_error("unknown consistency model '" + std::string(name) + "' (expected vertex, edge or full)");
}

}  // namespace gasworks
