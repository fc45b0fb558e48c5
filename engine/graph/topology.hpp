#pragma once
// The structure of one rank's shard of a vertex-cut graph: which vertices it
// holds, their edges in both directions, and who is master of each vertex.
// Immutable once built (see graph_builder): engines only read it.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "engine/comm/communicator.hpp"
#include "engine/core/large_vector.hpp"
#include "engine/core/types.hpp"

namespace gasworks {

class topology {
 public:
  // Compressed rows: the out-edges of v are positions out_offsets[v] .. out_offsets[v+1]
  // of out_targets; that position is also the edge's index into edge data.
  // Compressed columns: the in-edges of v are positions in_offsets[v] .. in_offsets[v+1]
  // of in_sources, whose edge indices are in_edge_index (left empty when edges carry no data).
  struct arrays {
    std::vector<vertex_id> global_ids;  // local id = position
    // Empty when global_ids ascend; otherwise (vertex_order.hpp) the local
    // ids in ascending external id, so that ids can still be found by search.
    std::vector<local_id> by_external_id;
    large_vector<edge_index> out_offsets;
    large_vector<local_id> out_targets;
    large_vector<edge_index> in_offsets;
    large_vector<local_id> in_sources;
    large_vector<std::uint32_t> in_edge_index;
    large_vector<std::uint32_t> out_degree;  // whole-graph degree of each local vertex
    large_vector<std::uint32_t> in_degree;
    std::uint64_t global_vertices = 0;
    std::uint64_t global_edges = 0;
    int rank = 0;
    int num_ranks = 1;

    // Replicas across ranks; all empty with one rank. Both sides of every
    // pair of ranks list their shared vertices in ascending global id, so an
    // exchange sends values only, never ids.
    std::vector<std::uint32_t> master_rank;  // per local vertex
    std::vector<std::vector<local_id>> masters_mirrored_on;  // [p]: masters here with a mirror on rank p
    std::vector<std::vector<local_id>> mirrors_mastered_on;  // [p]: mirrors here whose master is on rank p
    std::shared_ptr<communicator> ranks;  // the job this shard belongs to (null with one rank)
  };

  topology() = default;
  explicit topology(arrays a) : a_(std::move(a)) {}

  local_id num_local_vertices() const noexcept { return static_cast<local_id>(a_.global_ids.size()); }
  edge_index num_local_edges() const noexcept { return a_.out_targets.size(); }
  std::uint64_t num_vertices() const noexcept { return a_.global_vertices; }
  std::uint64_t num_edges() const noexcept { return a_.global_edges; }
  int rank() const noexcept { return a_.rank; }
  int num_ranks() const noexcept { return a_.num_ranks; }

  vertex_id global_id(local_id v) const noexcept { return a_.global_ids[v]; }
  std::span<const vertex_id> global_ids() const noexcept { return a_.global_ids; }
  std::optional<local_id> find(vertex_id id) const noexcept {
    if (!a_.by_external_id.empty()) {
      auto it = std::lower_bound(a_.by_external_id.begin(), a_.by_external_id.end(), id,
                                 [&](local_id v, vertex_id wanted) { return a_.global_ids[v] < wanted; });
      if (it == a_.by_external_id.end() || a_.global_ids[*it] != id) return std::nullopt;
      return *it;
    }
    auto it = std::lower_bound(a_.global_ids.begin(), a_.global_ids.end(), id);
    if (it == a_.global_ids.end() || *it != id) return std::nullopt;
    return static_cast<local_id>(it - a_.global_ids.begin());
  }
  // The local vertex with the k-th smallest external id of this shard.
  local_id in_external_id_order(local_id k) const noexcept { return a_.by_external_id.empty() ? k : a_.by_external_id[k]; }

  edge_index out_begin(local_id v) const noexcept { return a_.out_offsets[v]; }
  edge_index out_end(local_id v) const noexcept { return a_.out_offsets[v + 1]; }
  local_id out_target(edge_index e) const noexcept { return a_.out_targets[e]; }

  edge_index in_begin(local_id v) const noexcept { return a_.in_offsets[v]; }
  edge_index in_end(local_id v) const noexcept { return a_.in_offsets[v + 1]; }
  local_id in_source(edge_index position) const noexcept { return a_.in_sources[position]; }
  // Index into edge data of the in-edge stored at `position`; only valid for
  // graphs whose edges carry data.
  edge_index in_edge(edge_index position) const noexcept { return a_.in_edge_index[position]; }

  std::uint32_t out_degree(local_id v) const noexcept { return a_.out_degree[v]; }
  std::uint32_t in_degree(local_id v) const noexcept { return a_.in_degree[v]; }

  // With one rank every vertex is its own master and has no mirrors.
  bool is_master(local_id v) const noexcept {
    return a_.master_rank.empty() || a_.master_rank[v] == static_cast<std::uint32_t>(a_.rank);
  }
  int master_rank(local_id v) const noexcept {
    return a_.master_rank.empty() ? a_.rank : static_cast<int>(a_.master_rank[v]);
  }
  // Shared vertices with rank `rank`, ascending global id (none with one rank).
  std::span<const local_id> masters_mirrored_on(int rank) const noexcept {
    return a_.masters_mirrored_on.empty() ? std::span<const local_id>() : a_.masters_mirrored_on[rank];
  }
  std::span<const local_id> mirrors_mastered_on(int rank) const noexcept {
    return a_.mirrors_mastered_on.empty() ? std::span<const local_id>() : a_.mirrors_mastered_on[rank];
  }
  // The communicator of a multi-rank shard; null with one rank.
  const std::shared_ptr<communicator>& ranks() const noexcept { return a_.ranks; }

  // Bytes held by the structure (for memory reports).
  std::uint64_t memory_bytes() const noexcept {
    auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    return bytes(a_.global_ids) + bytes(a_.by_external_id) + bytes(a_.out_offsets) + bytes(a_.out_targets) +
           bytes(a_.in_offsets) + bytes(a_.in_sources) + bytes(a_.in_edge_index) + bytes(a_.out_degree) + bytes(a_.in_degree);
  }

 private:
  arrays a_;
};

}  // namespace gasworks
