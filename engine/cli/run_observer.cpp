#include "engine/cli/run_observer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "engine/cli/stats_json.hpp"
#include "engine/io/atomic_output_file.hpp"

namespace gasworks::cli {

run_observer::run_observer(const run_settings& settings, std::string label, std::vector<std::string> metrics)
    : show_progress_(!settings.quiet && (settings.progress || ::isatty(STDERR_FILENO))),
      label_(std::move(label)),
      metrics_(std::move(metrics)),
      stats_path_(settings.stats_path) {}

void run_observer::operator()(const superstep_report& report) {
  if (stats_path_) write_json_line(stats_, report);
  updates_ += report.active;
  if (!show_progress_) return;
  // Redraw at most ten times a second: the line is for people.
  if (last_draw_ >= 0 && report.elapsed - last_draw_ < 0.1) return;
  last_draw_ = report.elapsed;
  char line[256];
  int n = counts_updates_
              ? std::snprintf(line, sizeof line, "%s: %llu updates  %.3g per second", label_.c_str(),
                              static_cast<unsigned long long>(updates_),
                              report.elapsed > 0 ? static_cast<double>(updates_) / report.elapsed : 0.0)
              : std::snprintf(line, sizeof line, "%s: superstep %llu  active %llu", label_.c_str(),
                              static_cast<unsigned long long>(report.superstep + 1),
                              static_cast<unsigned long long>(report.active));
  for (const auto& [name, value] : report.metrics)
    if (std::find(metrics_.begin(), metrics_.end(), name) != metrics_.end() && n > 0 && static_cast<std::size_t>(n) < sizeof line)
      n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "  %s %.3g", name.c_str(), value);
  if (n > 0 && static_cast<std::size_t>(n) < sizeof line)
    n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "  %.2f s", report.elapsed);
  std::string text(line);
  const std::size_t width = text.size();
  if (width < line_width_) text.append(line_width_ - width, ' ');
  line_width_ = width;
  std::cerr << '\r' << text << std::flush;
}

void run_observer::record(const ingress_report& ingress) {
  if (stats_path_) write_json_line(stats_, ingress);
}

void run_observer::summary(const metric_list& figures) {
  if (stats_path_) write_json_summary(stats_, figures);
}

void run_observer::finish() {
  if (show_progress_ && line_width_ > 0) std::cerr << '\n';
  line_width_ = 0;
  if (stats_path_) {
    io::atomic_output_file file(*stats_path_);
    file.stream() << stats_.str();
    file.commit();
  }
}

}  // namespace gasworks::cli
