#include "partition/partitioner.hpp"

#include <string>

#include "engine/core/error.hpp"
#include "partition/grid_partitioner.hpp"
#include "partition/hdrf_partitioner.hpp"
#include "partition/metis_partitioner.hpp"
#include "partition/oblivious_partitioner.hpp"
#include "partition/random_partitioner.hpp"

namespace gasworks::partition {

std::string_view name(method m) noexcept {
  switch (m) {
    case method::random: return "random";
    case method::grid: return "grid";
    case method::oblivious: return "oblivious";
    case method::hdrf: return "hdrf";
    case method::metis: return "metis";
  }
  return "unknown";
}

method parse_method(std::string_view text) {
  for (method m : all_methods)
    if (name(m) == text) return m;
  std::string accepted;
  for (method m : all_methods) accepted += (accepted.empty() ? "" : ", ") + std::string(name(m));
  throw usage_error("unknown partitioning method '" + std::string(text) + "' (expected one of: " + accepted + ")");
}

std::unique_ptr<partitioner> make_partitioner(method m, part_id parts) {
  if (parts == 0) throw usage_error("partitioning needs at least one part");
  switch (m) {
    case method::random: return std::make_unique<random_partitioner>(parts);
    case method::grid: return std::make_unique<grid_partitioner>(parts);
    case method::oblivious: return std::make_unique<oblivious_partitioner>(parts);
    case method::hdrf: return std::make_unique<hdrf_partitioner>(parts);
    case method::metis: return std::make_unique<metis_partitioner>(parts);
  }
  throw usage_error("unknown partitioning method");
}

part_id choose_master(vertex_id v, std::span<const part_id> replica_parts) noexcept {
  if (replica_parts.empty()) return 0;  // outside the contract; a defined answer beats a crash
  return replica_parts[mix_hash(v) % replica_parts.size()];
}

}  // namespace gasworks::partition
