#pragma once
// Run reports as JSON lines (one object per line), for --stats files: the
// partition a multi-rank ingress built, one line per superstep, and a
// command's closing summary.
#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/gas/run_report.hpp"
#include "engine/ingress/ingress_report.hpp"

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
// {"name":value,...} from (name, value) pairs.
inline void write_json_numbers(std::ostream& out, const metric_list& values) {
  out << '{';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out << ',';
    write_json_string(out, values[i].first);
    out << ':';
    write_json_number(out, values[i].second);
  }
  out << '}';
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
  out << "},\"metrics\":";
  detail::write_json_numbers(out, r.metrics);
  out << "}\n";
}

// {"ingress":{"ranks":2,"partition":"grid","vertices":...,"steps_s":{"read":...}}}
inline void write_json_line(std::ostream& out, const ingress_report& r) {
  out << "{\"ingress\":{\"ranks\":" << r.ranks << ",\"partition\":";
  detail::write_json_string(out, partition::name(r.method));
  const metric_list figures = {{"vertices", static_cast<double>(r.vertices)},
                               {"edges", static_cast<double>(r.edges)},
                               {"replicas", static_cast<double>(r.replicas)},
                               {"replication_factor", r.replication_factor},
                               {"edge_balance", r.edge_balance},
                               {"vertex_balance", r.vertex_balance},
                               {"seconds", r.seconds}};
  for (const auto& [name, value] : figures) {
    out << ',';
    detail::write_json_string(out, name);
    out << ':';
    detail::write_json_number(out, value);
  }
  out << ",\"steps_s\":";
  detail::write_json_numbers(out, r.steps);
  out << "}}\n";
}

// {"summary":{"converged":1,"seconds":0.2,...}}: a run's outcome, after its supersteps.
inline void write_json_summary(std::ostream& out, const metric_list& figures) {
  out << "{\"summary\":";
  detail::write_json_numbers(out, figures);
  out << "}\n";
}

}  // namespace gasworks
