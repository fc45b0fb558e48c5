#pragma once
// Resident memory of this process, from Linux's /proc/self/status: current
// (VmRSS) and peak (VmHWM) resident set size. The peak can be reset, so that
// separate phases (ingress, iterating) each get their own peak.
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace gasworks::bench {

namespace detail {

// The value of a "<field>:   1234 kB" line of /proc/self/status, in bytes.
inline std::optional<std::uint64_t> status_field_bytes(std::string_view field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.size() <= field.size() || line.compare(0, field.size(), field) != 0 || line[field.size()] != ':') continue;
    std::uint64_t kib = 0;
    bool digits = false;
    for (char c : std::string_view(line).substr(field.size() + 1)) {
      if (c >= '0' && c <= '9') {
        kib = kib * 10 + static_cast<std::uint64_t>(c - '0');
        digits = true;
      } else if (digits) {
        break;
      }
    }
    if (!digits) return std::nullopt;
    return kib * 1024;
  }
  return std::nullopt;
}

}  // namespace detail

// Bytes resident now; nullopt where /proc is not available.
inline std::optional<std::uint64_t> resident_bytes() { return detail::status_field_bytes("VmRSS"); }

// Most bytes resident at once since the process started or since the last
// successful reset_peak_resident().
inline std::optional<std::uint64_t> peak_resident_bytes() { return detail::status_field_bytes("VmHWM"); }

// Lowers the peak to the current resident size (writing 5 to clear_refs,
// Linux 4.0+). Returns false when the kernel does not allow it, in which
// case later peaks still include earlier phases.
inline bool reset_peak_resident() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  if (!clear_refs) return false;
  clear_refs << "5";
  clear_refs.flush();
  return static_cast<bool>(clear_refs);
}

}  // namespace gasworks::bench
