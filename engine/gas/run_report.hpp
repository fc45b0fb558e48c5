#pragma once
// What an engine reports: one record per superstep, and a summary per run.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/phase_timer.hpp"

namespace gasworks {

// Named values a program or aggregator reports for a superstep (e.g. "l1_change").
using metric_list = std::vector<std::pair<std::string, double>>;

struct superstep_report {
  std::uint64_t superstep = 0;  // 0-based
  std::uint64_t active = 0;     // vertices that ran, over all ranks
  // Asynchronous engines: the updates since the run began (for a resumed run,
  // since the run it resumes began).
  std::uint64_t updates_so_far = 0;
  double elapsed = 0;           // seconds since the run started
  phase_times times;
  metric_list metrics;
};

enum class termination {
  converged,       // no vertex left active
  max_iterations,  // the superstep limit was reached
  max_updates,     // the update limit of the asynchronous engine was reached
  timeout,         // the time limit was reached
  stopped,         // the program called stop()
};

constexpr std::string_view to_string(termination t) noexcept {
  switch (t) {
    case termination::converged: return "converged";
    case termination::max_iterations: return "max_iterations";
    case termination::max_updates: return "max_updates";
    case termination::timeout: return "timeout";
    case termination::stopped: return "stopped";
  }
  return "unknown";
}

struct run_summary {
  std::uint64_t supersteps = 0;  // asynchronous engine: rounds of colour phases across ranks, else 0
  std::uint64_t updates = 0;  // vertex-program executions
  termination reason = termination::converged;
  double seconds = 0;
  phase_times times;
};

}  // namespace gasworks
