#pragma once
// A multi-rank partitioning imitated in one process, to compare methods
// without mpiexec.
//
// With N parts, N ranks would each read a contiguous byte range of the input
// and place the edges it read with its own partitioner instance. Here the
// edge sequence is split into N contiguous chunks of near-equal size (chunk
// k holds edges [k m / N, (k+1) m / N)), and each chunk is placed by a fresh
// instance, so streaming methods see only their own chunk's history, as they
// would in the real run. Methods that need the whole graph (metis) place
// every edge at once, as one rank would before distributing the result.
#include <span>
#include <vector>

#include "partition/partition_quality.hpp"
#include "partition/partitioner.hpp"

namespace gasworks::partition {

// placement[i] = the part of edges[i], placed as described above.
std::vector<part_id> place_as_ranks(method m, part_id parts, std::span<const edge> edges);

// The quality of place_as_ranks(m, parts, edges), with `isolated` as in
// measure_quality; `seconds` is the placement time summed over the chunks
// (the chunks run one after the other here; N ranks would share it).
partition_quality simulate(method m, part_id parts, std::span<const edge> edges, std::span<const vertex_id> isolated = {});

}  // namespace gasworks::partition
