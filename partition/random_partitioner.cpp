#include "partition/random_partitioner.hpp"

#include "engine/core/error.hpp"
#include "partition/placement_checks.hpp"

namespace gasworks::partition {

random_partitioner::random_partitioner(part_id parts) : parts_(parts) {
  if (parts == 0) throw usage_error("partitioning needs at least one part");
}

void random_partitioner::place(std::span<const edge> batch, std::span<part_id> parts_out) {
  check_batch(batch, parts_out);
  for (std::size_t i = 0; i < batch.size(); ++i) parts_out[i] = static_cast<part_id>(edge_hash(batch[i]) % parts_);
}

}  // namespace gasworks::partition
