#pragma once
// What the asynchronous engines promise about vertices running at the same
// time (the consistency model), and the limits and report cadence of a run.
// Which vertex runs next is the scheduler's choice, a type the engine takes
// (engine/async/vertex_scheduler.hpp, engine/phased/set_scheduler.hpp); see
// docs/asynchronous-engine.md.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "engine/checkpoint/checkpointing.hpp"
#include "engine/core/error.hpp"

namespace gasworks {

enum class consistency_model {
  vertex,  // an update writes only its own vertex; neighbours may run at the same time
  edge,    // no two adjacent vertices run at the same time; an update may write its edges
  full,    // no two vertices within distance two run at the same time: neighbours' data stay still
};

struct async_options {
  consistency_model consistency = consistency_model::edge;
  std::uint64_t max_updates = std::numeric_limits<std::uint64_t>::max();
  std::optional<double> timeout_seconds{};
  // Progress reports (and aggregators without a period of their own) come
  // every this many updates; 0 means once per number of vertices.
  std::uint64_t report_every_updates = 0;
  // Where checkpoints are saved to and resumed from (none when null; not
  // owned). A step is a progress report: checkpoints are taken after them.
  checkpoint::checkpointing* checkpoints = nullptr;
  // Progress reports of earlier runs that this run continues (a driver that
  // runs the engine several times towards one answer): this run's reports,
  // and its checkpoints, are numbered on from there.
  std::uint64_t earlier_reports = 0;
};

constexpr std::string_view to_string(consistency_model c) noexcept {
  switch (c) {
    case consistency_model::vertex: return "vertex";
    case consistency_model::edge: return "edge";
    case consistency_model::full: return "full";
  }
  return "unknown";
}

inline consistency_model parse_consistency(std::string_view name) {
  for (auto c : {consistency_model::vertex, consistency_model::edge, consistency_model::full})
    if (name == to_string(c)) return c;
  throw usage_error("unknown consistency model '" + std::string(name) + "' (expected vertex, edge or full)");
}

}  // namespace gasworks
