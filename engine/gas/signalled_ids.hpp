#pragma once
// Vertices a caller signals by global id before a run. A rank may signal
// only vertices of its own shard; an id it lacks may still be held by
// another rank, so it is remembered and checked, collectively, when the run
// starts. Both engines take their initial signals this way.
#include <optional>
#include <string>
#include <vector>

#include "engine/comm/collective_error.hpp"
#include "engine/core/error.hpp"
#include "engine/gas/replica_exchange.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

class signalled_ids {
 public:
  // The local id of `id` if this shard holds it. With one rank an id not in
  // the graph is a usage error at once.
  std::optional<local_id> find(const topology& shard, vertex_id id) {
    if (const auto v = shard.find(id)) return v;
    if (shard.num_ranks() == 1) throw usage_error(not_in_graph(id));
    held_elsewhere_or_nowhere_.push_back(id);
    return std::nullopt;
  }

  // Throws, on every rank alike, if some rank signalled an id that no rank holds.
  void check(replica_exchange& exchange, const topology& shard) {
    const auto unknown = exchange.first_held_nowhere(held_elsewhere_or_nowhere_, shard);
    held_elsewhere_or_nowhere_.clear();
    if (!unknown) return;
    // Every rank raises it; say so, so that only one of them reports it.
    if (exchange.num_ranks() > 1) throw collective_error(collective_error::kind::usage, 0, not_in_graph(*unknown));
    throw usage_error(not_in_graph(*unknown));
  }

 private:
  static std::string not_in_graph(vertex_id id) { return "cannot signal vertex " + std::to_string(id) + ": not in the graph"; }

  std::vector<vertex_id> held_elsewhere_or_nowhere_;
};

}  // namespace gasworks
