#pragma once
// Writes an edge_list in any graph_format, so that read_edge_list reads the
// same edge_list back whenever the format can express it:
//   snap, tsv, csv  one "source target [weight]" line per edge (csv with a
//                   header line); declared vertices without edges are lost.
//   adj             one line per vertex: first the declared vertices in their
//                   order, then the other sources in order of first
//                   appearance; each lists all its out-edges in edge order, so
//                   a vertex without out-edges is "id 0". No weights.
//   mtx             "coordinate general", pattern or real; 1-based ids, so
//                   vertex 0 cannot be written; rows = columns = largest id,
//                   which declares vertices 1..largest id.
// Weights are written in the shortest form that reads back to the same double.
// Throws usage_error for what the format cannot hold (weights in adj, vertex
// 0 in mtx, non-finite weights). Stream failures are left in the stream's
// state for the caller to check (atomic_output_file::commit does).
#include <ostream>

#include "engine/io/edge_list.hpp"
#include "engine/io/graph_format.hpp"

namespace gasworks::io {

void write_edge_list(const edge_list& graph, std::ostream& out, graph_format format);

}  // namespace gasworks::io
