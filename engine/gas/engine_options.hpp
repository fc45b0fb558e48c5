#pragma once
// Limits every engine honours.
#include <cstdint>
#include <limits>
#include <optional>

#include "engine/checkpoint/checkpointing.hpp"

namespace gasworks {

struct engine_options {
  std::uint64_t max_iterations = std::numeric_limits<std::uint64_t>::max();
  std::optional<double> timeout_seconds;  // checked between supersteps
  // Where checkpoints are saved to and resumed from (none when null; not owned).
  checkpoint::checkpointing* checkpoints = nullptr;
};

}  // namespace gasworks
