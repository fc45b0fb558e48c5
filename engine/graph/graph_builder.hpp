#pragma once
// Builds a graph from edges given in any order with 64-bit ids. The result is
// immutable in structure; there is no finalize() step to forget.
//
// Local ids follow ascending external id (or descending degree when the
// policy asks, vertex_order.hpp), and each vertex's edges are sorted by
// neighbour, so a graph's layout depends only on its edges, never on the
// order they arrived in or on the thread count.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include "engine/core/error.hpp"
#include "engine/core/release.hpp"
#include "engine/core/types.hpp"
#include "engine/graph/graph.hpp"
#include "engine/graph/ingress_policy.hpp"
#include "engine/graph/topology.hpp"
#include "engine/graph/vertex_numbering.hpp"
#include "engine/graph/vertex_order.hpp"

namespace gasworks {

template <class EdgeData = empty>
class graph_builder {
 public:
  explicit graph_builder(ingress_policy policy = {}) : policy_(policy) {}

  // A builder for ids already dense in 0..vertex_count-1 (generated graphs):
  // every id in that range is a vertex and no id translation is needed.
  static graph_builder dense(std::uint64_t vertex_count, ingress_policy policy = {}) {
    if (vertex_count > max_vertices) throw usage_error("too many vertices for one shard: " + std::to_string(vertex_count));
    graph_builder b(policy);
    b.dense_count_ = vertex_count;
    return b;
  }

  void reserve_edges(std::size_t count) { edges_.reserve(policy_.symmetrize ? 2 * count : count); }

  // Declares a vertex that may have no edges.
  void add_vertex(vertex_id id) { intern(id); }

  void add_edge(vertex_id source, vertex_id target, EdgeData data = {}) {
    if (source == target && policy_.loops == ingress_policy::self_loops::drop) return;
    const std::uint64_t s = intern(source), t = intern(target);
    edges_.push_back({s << 32 | t, data});
    if (policy_.symmetrize && s != t) edges_.push_back({t << 32 | s, std::move(data)});
  }

  std::uint64_t num_vertices() const noexcept { return dense_count_ ? *dense_count_ : numbering_.size(); }
  std::uint64_t num_edges_added() const noexcept { return edges_.size(); }

  // The structure's arrays and the edge data in CSR order; degrees and
  // counts are this builder's own (multi-rank ingress replaces them by the
  // whole graph's).
  std::pair<topology::arrays, std::vector<EdgeData>> build_arrays() &&;

  // The structure and the edge data in CSR order.
  std::pair<topology, std::vector<EdgeData>> build_structure() && {
    auto [arrays, edge_data] = std::move(*this).build_arrays();
    return {topology(std::move(arrays)), std::move(edge_data)};
  }

  template <class VertexData>
  graph<VertexData, EdgeData> build() && {
    auto [structure, edge_data] = std::move(*this).build_structure();
    return graph<VertexData, EdgeData>(std::move(structure), std::move(edge_data));
  }

 private:
  static constexpr std::uint64_t max_vertices = std::numeric_limits<local_id>::max();

  // An edge as (source << 32 | target) in provisional local ids, so that sorting
  // the keys sorts edges by source, then target.
  struct keyed_edge {
    std::uint64_t key;
    [[no_unique_address]] EdgeData data;
  };

  // Provisional local id in first-seen order; renumbered by external id at build.
  std::uint64_t intern(vertex_id id) {
    if (dense_count_) {
      if (id >= *dense_count_)
        throw usage_error("vertex id " + std::to_string(id) + " outside 0.." + std::to_string(*dense_count_ - 1));
      return id;
    }
    return numbering_.number(id);
  }

  ingress_policy policy_;
  std::optional<std::uint64_t> dense_count_;
  vertex_numbering numbering_;
  std::vector<keyed_edge> edges_;
};

template <class EdgeData>
std::pair<topology::arrays, std::vector<EdgeData>> graph_builder<EdgeData>::build_arrays() && {
  constexpr bool has_data = !std::is_empty_v<EdgeData>;
  const auto n = static_cast<local_id>(num_vertices());
  topology::arrays a;

  // Renumber provisional ids so that local ids ascend with external ids.
  if (dense_count_) {
    a.global_ids.resize(n);
    std::iota(a.global_ids.begin(), a.global_ids.end(), vertex_id{0});
  } else {
    const std::vector<vertex_id>& ids = numbering_.ids();
    std::vector<local_id> order(n);
    std::iota(order.begin(), order.end(), local_id{0});
    std::sort(order.begin(), order.end(), [&](local_id x, local_id y) { return ids[x] < ids[y]; });
    std::vector<std::uint64_t> renumber(n);
    a.global_ids.resize(n);
    for (local_id i = 0; i < n; ++i) {
      renumber[order[i]] = i;
      a.global_ids[i] = ids[order[i]];
    }
    tbb::parallel_for(std::size_t{0}, edges_.size(), [&](std::size_t i) {
      auto& k = edges_[i].key;
      k = renumber[k >> 32] << 32 | renumber[k & 0xffffffffu];
    });
    numbering_ = vertex_numbering();  // frees its memory before the edges are sorted
  }

  // Sort by (source, target); equal keys keep their arrival order when they carry data.
  auto by_key = [](const keyed_edge& x, const keyed_edge& y) { return x.key < y.key; };
  if constexpr (has_data) std::stable_sort(edges_.begin(), edges_.end(), by_key);
  else tbb::parallel_sort(edges_.begin(), edges_.end(), by_key);
  if (policy_.parallel_edges == ingress_policy::duplicates::drop) {
    auto last = std::unique(edges_.begin(), edges_.end(), [](const keyed_edge& x, const keyed_edge& y) { return x.key == y.key; });
    edges_.erase(last, edges_.end());
  }
  const std::size_t m = edges_.size();
  if (has_data && m > std::numeric_limits<std::uint32_t>::max())
    throw usage_error("too many edges with data for one shard: " + std::to_string(m));

  // Out-edges (CSR) come straight from the sorted keys.
  a.out_offsets.assign(std::size_t{n} + 1, 0);
  a.out_targets.resize(m);
  std::vector<EdgeData> edge_data;
  if constexpr (has_data) edge_data.resize(m);
  for (std::size_t e = 0; e < m; ++e) {
    ++a.out_offsets[(edges_[e].key >> 32) + 1];
    a.out_targets[e] = static_cast<local_id>(edges_[e].key & 0xffffffffu);
    if constexpr (has_data) edge_data[e] = std::move(edges_[e].data);
  }
  release(edges_);
  std::partial_sum(a.out_offsets.begin(), a.out_offsets.end(), a.out_offsets.begin());

  // In-edges (CSC) by a counting sort on target; sources stay ascending.
  a.in_offsets.assign(std::size_t{n} + 1, 0);
  for (std::size_t e = 0; e < m; ++e) ++a.in_offsets[a.out_targets[e] + std::size_t{1}];
  std::partial_sum(a.in_offsets.begin(), a.in_offsets.end(), a.in_offsets.begin());
  a.in_sources.resize(m);
  if constexpr (has_data) a.in_edge_index.resize(m);
  {
    std::vector<edge_index> next(a.in_offsets.begin(), a.in_offsets.end() - 1);
    for (local_id v = 0; v < n; ++v) {
      for (edge_index e = a.out_offsets[v]; e < a.out_offsets[v + 1]; ++e) {
        const edge_index slot = next[a.out_targets[e]]++;
        a.in_sources[slot] = v;
        if constexpr (has_data) a.in_edge_index[slot] = static_cast<std::uint32_t>(e);
      }
    }
  }

  a.out_degree.resize(n);
  a.in_degree.resize(n);
  tbb::parallel_for(local_id{0}, n, [&](local_id v) {
    a.out_degree[v] = static_cast<std::uint32_t>(a.out_offsets[v + 1] - a.out_offsets[v]);
    a.in_degree[v] = static_cast<std::uint32_t>(a.in_offsets[v + 1] - a.in_offsets[v]);
  });
  a.global_vertices = n;
  a.global_edges = m;
  if (policy_.order == ingress_policy::vertex_order::by_degree) renumber_by_degree(a, edge_data);
  return {std::move(a), std::move(edge_data)};
}

}  // namespace gasworks
