#pragma once
// A graph shard with data: the immutable topology plus one value per vertex
// and one per edge. Vertex data are a contiguous array indexed by local id;
// edge data are stored once, in out-edge (CSR) order.
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/core/large_vector.hpp"
#include "engine/core/types.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

template <class VertexData, class EdgeData = empty>
class graph {
 public:
  using vertex_data_type = VertexData;
  using edge_data_type = EdgeData;
  static constexpr bool has_edge_data = !std::is_empty_v<EdgeData>;

  graph(topology structure, std::vector<EdgeData> edge_data)
      : structure_(std::move(structure)), vertex_data_(structure_.num_local_vertices()) {
    if constexpr (has_edge_data) edge_data_ = std::move(edge_data);
  }

  const topology& structure() const noexcept { return structure_; }
  local_id num_local_vertices() const noexcept { return structure_.num_local_vertices(); }
  std::uint64_t num_vertices() const noexcept { return structure_.num_vertices(); }
  std::uint64_t num_edges() const noexcept { return structure_.num_edges(); }

  VertexData& vertex_data(local_id v) noexcept { return vertex_data_[v]; }
  const VertexData& vertex_data(local_id v) const noexcept { return vertex_data_[v]; }
  std::span<VertexData> vertex_data() noexcept { return vertex_data_; }
  std::span<const VertexData> vertex_data() const noexcept { return vertex_data_; }

  EdgeData& edge_data(edge_index e) noexcept {
    if constexpr (has_edge_data) return edge_data_[e];
    else return no_edge_data_;
  }
  const EdgeData& edge_data(edge_index e) const noexcept {
    if constexpr (has_edge_data) return edge_data_[e];
    else return no_edge_data_;
  }

  // Every local edge's data, in out-edge order (empty without edge data).
  std::span<EdgeData> edge_data() noexcept { return edge_data_; }
  std::span<const EdgeData> edge_data() const noexcept { return edge_data_; }

  // Index into edge data of the in-edge stored at CSC `position`.
  edge_index in_edge(edge_index position) const noexcept {
    if constexpr (has_edge_data) return structure_.in_edge(position);
    else return 0;
  }

  std::uint64_t memory_bytes() const noexcept {
    return structure_.memory_bytes() + vertex_data_.capacity() * sizeof(VertexData) +
           (has_edge_data ? edge_data_.capacity() * sizeof(EdgeData) : 0);
  }

 private:
  topology structure_;
  large_vector<VertexData> vertex_data_;
  std::vector<EdgeData> edge_data_;
  [[no_unique_address]] EdgeData no_edge_data_{};
};

}  // namespace gasworks
