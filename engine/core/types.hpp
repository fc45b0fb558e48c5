#pragma once
// The integer types every part of gasworks agrees on.
#include <cstdint>

namespace gasworks {

// A vertex as named in input files and results: any 64-bit id.
using vertex_id = std::uint64_t;

// A vertex inside one rank's shard: dense 0..n-1, so per-vertex data are arrays.
using local_id = std::uint32_t;

// Position of an edge in a shard's edge arrays (CSR order).
using edge_index = std::uint64_t;

// Which of a vertex's edges a gather or scatter visits.
enum class edge_dir : std::uint8_t { none, in, out, all };

constexpr bool includes_in(edge_dir d) noexcept { return d == edge_dir::in || d == edge_dir::all; }
constexpr bool includes_out(edge_dir d) noexcept { return d == edge_dir::out || d == edge_dir::all; }

// Nothing, as a type: the edge data of graphs whose edges carry nothing
// (takes no storage), the gather type of programs that gather nothing, the
// message of programs that send none. Combining two empties gives empty.
struct empty {
  constexpr empty& operator+=(const empty&) noexcept { return *this; }
};

}  // namespace gasworks
