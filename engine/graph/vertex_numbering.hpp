#pragma once
// Dense numbers 0, 1, 2, ... for vertex ids, in the order they are first
// seen, so that per-vertex state can live in plain arrays.
//
// An open-addressing table (linear probing, at most half full, 12 bytes per
// slot) plus the ids in order: 32 to 56 bytes per vertex, and no allocation
// or pointer chase per lookup as in a node-based map, for the lookup per
// edge end that the graph builder and the streaming partitioners make.
#include <cstdint>
#include <vector>

#include "engine/core/types.hpp"

namespace gasworks {

class vertex_numbering {
 public:
  vertex_numbering() = default;

  // The number of `v`, giving it the next one when it is new. Throws
  // usage_error beyond 2^32 - 1 distinct vertices.
  std::uint32_t number(vertex_id v);

  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(ids_.size()); }
  // ids()[i] is the vertex numbered i.
  const std::vector<vertex_id>& ids() const noexcept { return ids_; }

 private:
  void grow();

  std::vector<vertex_id> keys_;
  std::vector<std::uint32_t> values_;  // number + 1; 0 marks a free slot
  std::uint64_t mask_ = 0;             // capacity - 1 (capacity a power of two)
  std::vector<vertex_id> ids_;
};

}  // namespace gasworks
