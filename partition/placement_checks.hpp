#pragma once
// Argument checks every partitioner's place() makes.
#include <span>
#include <string>

#include "engine/core/error.hpp"
#include "partition/partitioner.hpp"

namespace gasworks::partition {

inline void check_batch(std::span<const edge> batch, std::span<const part_id> parts_out) {
  if (batch.size() != parts_out.size())
    throw usage_error("place(): " + std::to_string(batch.size()) + " edges but room for " + std::to_string(parts_out.size()) +
                      " parts");
}

}  // namespace gasworks::partition
