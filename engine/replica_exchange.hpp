#pragma once
// The communication steps of a superstep between the replicas of vertices
// that span ranks: partial gathers to masters, master data to mirrors,
// signals to masters, and global reductions.
//
// Every step is an explicit call at the point of the superstep where it
// belongs. With one rank each vertex is its own master and has no mirror, so
// every step is a no-op and costs nothing.
#include <span>
#include <stdexcept>

#include "engine/error.hpp"
#include "engine/frontier.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

class replica_exchange {
 public:
  explicit replica_exchange(const topology& structure) : structure_(&structure) {
    if (structure.num_ranks() != 1) throw usage_error("this build runs graphs of one rank only");
  }

  int rank() const noexcept { return structure_->rank(); }
  int num_ranks() const noexcept { return structure_->num_ranks(); }

  // Mirrors' partial gathers of the active vertices are added into their masters'.
  template <class Gather>
  void combine_partials_at_masters(const frontier& /*active*/, std::span<Gather> /*partials*/) {}

  // Masters' vertex data of the active vertices overwrite their mirrors'.
  template <class VertexData>
  void broadcast_to_mirrors(const frontier& /*active*/, std::span<VertexData> /*data*/) {}

  // Masters' values of every vertex overwrite their mirrors' (at the start of a run).
  template <class Value>
  void broadcast_all_to_mirrors(std::span<Value> /*values*/) {}

  // Signals (and messages) raised at mirrors reach the masters' next frontier.
  template <class Message>
  void route_signals(frontier& /*next*/, std::span<Message> /*messages*/) {}

  // The sum of a value over all ranks.
  template <class T>
  T all_reduce_sum(T local) {
    return local;
  }

  // True if any rank says so (for stop requests).
  bool any(bool local) { return local; }

 private:
  const topology* structure_;
};

}  // namespace gasworks
