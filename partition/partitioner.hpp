#pragma once
// Vertex-cut partitioning: every edge is placed on exactly one part (rank);
// a vertex whose edges land on several parts is replicated there, one
// replica being its master and the others mirrors.
//
// All methods share one interface and are chosen by name. A partitioner
// places edges in batches (one virtual call per batch, none per edge).
// Streaming methods (oblivious, hdrf) remember what they placed in earlier
// batches; in a multi-rank run each rank places the edges it read with its
// own instance, as PowerGraph's loaders do. A method that must see the whole
// graph first (metis) says so, and is then given every edge in one batch.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/mix_hash.hpp"
#include "engine/core/types.hpp"

namespace gasworks::partition {

using part_id = std::uint32_t;

struct edge {
  vertex_id source;
  vertex_id target;
};

enum class method { random, grid, oblivious, hdrf, metis };

// Every method, in the order reports list them.
inline constexpr method all_methods[] = {method::random, method::grid, method::oblivious, method::hdrf, method::metis};

// The method used when none is named. Grid streams (each rank places what it
// read, at O(sqrt(parts)) per edge), keeps the edges per part balanced
// whatever their order, and bounds a vertex's replicas by r + c - 1, which
// replicates less than random placement (as much when the part count is
// prime and the grid is 1 x N). The greedy methods can replicate less but are
// not safe defaults: on a file sorted by source (web-NotreDame, 16 ranks)
// hdrf puts 5.2 times the mean edges on one part and oblivious 2.1 times,
// and on a randomly ordered graph placed by 16 independent loaders
// (Kronecker scale 20) they replicate more than grid (5.5 and 6.0 against
// 4.0). metis replicates least on every graph measured but needs the whole
// graph on one rank and long serial work (40 to 60 s for 16 M edges, where
// grid takes 1 to 2 s).
inline constexpr method default_method = method::grid;

std::string_view name(method m) noexcept;
// Throws usage_error naming the accepted methods.
method parse_method(std::string_view text);

class partitioner {
 public:
  virtual ~partitioner() = default;

  virtual method kind() const noexcept = 0;
  virtual part_id parts() const noexcept = 0;
  // True when place() must be called once, with every edge of the graph.
  virtual bool needs_whole_graph() const noexcept { return false; }

  // parts_out[i] = the part of batch[i]; both spans have the same size.
  virtual void place(std::span<const edge> batch, std::span<part_id> parts_out) = 0;
};

// A fresh partitioner into `parts` parts (at least 1). Placement is a
// function of the edges and their order only, never of threads or time.
std::unique_ptr<partitioner> make_partitioner(method m, part_id parts);

// The master of a vertex among the parts that hold its edges
// (`replica_parts`, ascending, not empty): a hash of the id picks one, so
// masters spread evenly and every part computes the same choice.
part_id choose_master(vertex_id v, std::span<const part_id> replica_parts) noexcept;

// The hash of a directed edge: (u, v) and (v, u) hash differently.
constexpr std::uint64_t edge_hash(const edge& e) noexcept { return mix_hash(mix_hash(e.source) ^ e.target); }

// The part of a vertex that has no edge (declared isolated vertices): a hash
// of the id, so that every rank agrees without communicating.
constexpr part_id home_part(vertex_id v, part_id parts) noexcept { return static_cast<part_id>(mix_hash(v) % parts); }

}  // namespace gasworks::partition
