#pragma once
// Limits every engine honours.
#include <cstdint>
#include <limits>
#include <optional>

namespace gasworks {

struct engine_options {
  std::uint64_t max_iterations = std::numeric_limits<std::uint64_t>::max();
  std::optional<double> timeout_seconds;  // checked between supersteps
};

}  // namespace gasworks
