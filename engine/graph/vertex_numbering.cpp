#include "engine/graph/vertex_numbering.hpp"

#include <limits>

#include "engine/core/error.hpp"
#include "engine/core/mix_hash.hpp"

namespace gasworks {

std::uint32_t vertex_numbering::number(vertex_id v) {
  if (2 * (ids_.size() + 1) > keys_.size()) grow();
  for (std::uint64_t slot = mix_hash(v) & mask_;; slot = (slot + 1) & mask_) {
    if (values_[slot] == 0) {
      if (ids_.size() >= std::numeric_limits<std::uint32_t>::max() - 1)
        throw usage_error("at most 2^32 - 2 distinct vertices per shard or partitioner");
      const auto n = static_cast<std::uint32_t>(ids_.size());
      keys_[slot] = v;
      values_[slot] = n + 1;
      ids_.push_back(v);
      return n;
    }
    if (keys_[slot] == v) return values_[slot] - 1;
  }
}

void vertex_numbering::grow() {
  const std::size_t capacity = keys_.empty() ? 64 : 2 * keys_.size();
  std::vector<vertex_id> keys(capacity);
  std::vector<std::uint32_t> values(capacity, 0);
  mask_ = capacity - 1;
  for (std::uint32_t n = 0; n < ids_.size(); ++n) {
    std::uint64_t slot = mix_hash(ids_[n]) & mask_;
    while (values[slot] != 0) slot = (slot + 1) & mask_;
    keys[slot] = ids_[n];
    values[slot] = n + 1;
  }
  keys_ = std::move(keys);
  values_ = std::move(values);
}

}  // namespace gasworks
