#pragma once
// Watches a run superstep by superstep: keeps the progress line on a
// terminal up to date and collects --stats lines, written atomically at the end.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/cli/command_line.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/ingress/ingress_report.hpp"

namespace gasworks::cli {

class run_observer {
 public:
  // `metrics` names the metrics shown on the progress line (when reported).
  run_observer(const run_settings& settings, std::string label, std::vector<std::string> metrics);

  void operator()(const superstep_report& report);

  // The reports come from the asynchronous engine: each counts the updates
  // since the previous one, and the line shows the running total.
  void count_updates() noexcept { counts_updates_ = true; }

  // Adds the partition figures of a run's ingress to the statistics.
  void record(const ingress_report& ingress);

  // Adds a run's outcome (converged, seconds, ...) to the statistics.
  void summary(const metric_list& figures);

  // Ends the progress line and writes the statistics file, if any.
  void finish();

 private:
  bool show_progress_;
  std::string label_;
  std::vector<std::string> metrics_;
  std::optional<std::filesystem::path> stats_path_;
  std::ostringstream stats_;
  std::size_t line_width_ = 0;
  double last_draw_ = -1;
  bool counts_updates_ = false;
  std::uint64_t updates_ = 0;
};

}  // namespace gasworks::cli
