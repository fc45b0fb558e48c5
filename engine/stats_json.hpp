#pragma once
// Superstep reports as JSON lines (one object per line), for --stats files.
#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/run_report.hpp"

namespace gasworks {

namespace detail {
inline void write_json_number(std::ostream& out, double x) {
  if (!std::isfinite(x)) {
    out << "null";
    return;
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  out.write(buffer, end - buffer);
}

inline void write_json_string(std::ostream& out, std::string_view s) {
  out << '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out << '\\' << c;
    else if (static_cast<unsigned char>(c) < 0x20) out << ' ';
    else out << c;
  }
  out << '"';
}
}  // namespace detail

// {"superstep":3,"active":1005,"elapsed_s":0.01,"phase_s":{"gather":...},"metrics":{"l1_change":...}}
inline void write_json_line(std::ostream& out, const superstep_report& r) {
  out << "{\"superstep\":" << r.superstep << ",\"active\":" << r.active << ",\"elapsed_s\":";
  detail::write_json_number(out, r.elapsed);
  out << ",\"phase_s\":{";
  for (std::size_t i = 0; i < phase_names.size(); ++i) {
    if (i) out << ',';
    detail::write_json_string(out, phase_names[i]);
    out << ':';
    detail::write_json_number(out, r.times.seconds[i]);
  }
  out << "},\"metrics\":{";
  for (std::size_t i = 0; i < r.metrics.size(); ++i) {
    if (i) out << ',';
    detail::write_json_string(out, r.metrics[i].first);
    out << ':';
    detail::write_json_number(out, r.metrics[i].second);
  }
  out << "}}\n";
}

}  // namespace gasworks
