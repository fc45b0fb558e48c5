#pragma once
// Numbers in result files: the shortest text that reads back to the same double.
#include <charconv>
#include <ostream>

namespace gasworks::io {

inline void write_number(std::ostream& out, double x) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  out.write(buffer, end - buffer);
}

}  // namespace gasworks::io
