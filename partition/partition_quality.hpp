#pragma once
// How good a vertex-cut is: how many replicas it makes and how evenly it
// spreads edges and replicas over the parts.
#include <cstdint>
#include <span>

#include "engine/core/types.hpp"
#include "partition/partitioner.hpp"

namespace gasworks::partition {

struct partition_quality {
  part_id parts = 0;
  std::uint64_t vertices = 0;
  std::uint64_t edges = 0;
  // Sum over vertices of the number of parts holding one of its edges (one
  // for an isolated vertex): the vertex copies a run keeps in sync.
  std::uint64_t replicas = 0;
  double replication_factor = 1;  // replicas / vertices; at least 1
  double edge_balance = 1;        // max / mean edges per part; 1 is perfect
  double vertex_balance = 1;      // max / mean replicas per part; 1 is perfect
  double seconds = 0;             // time spent placing the edges
};

// The quality of placing edges[i] on placement[i]. `isolated` may name
// vertices that have no edge (declared by the input): each counts as one
// replica on its home_part(); a vertex listed there that does have an edge
// is counted through its edges only. With no vertices or no edges the ratios
// without a denominator are 1. `seconds` is left 0.
// Throws usage_error when the spans differ in size or a part is out of range.
partition_quality measure_quality(std::span<const edge> edges, std::span<const part_id> placement, part_id parts,
                                  std::span<const vertex_id> isolated = {});

}  // namespace gasworks::partition
