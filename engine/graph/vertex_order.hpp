#pragma once
// Degree ordering of a shard's local ids ("degree sorting").
//
// A pull gather reads one neighbour value per edge at random. On power-law
// graphs most of those reads go to a few hubs; numbered first, the hubs'
// values share cache lines and pages and stay in cache, where numbered by
// external id they are scattered over the whole array. On Kronecker graphs
// this makes PageRank two to three times faster (see bench/).
//
// renumber_by_degree takes arrays built with local ids ascending with external
// id and renumbers the vertices in descending count of edges held in the
// shard, ties in ascending external id, so the layout still depends on the
// edges alone. Each vertex's neighbours are re-sorted under the new ids; edge
// data move with their edges. The replica lists keep their order (ascending
// external id on both sides of every pair of ranks) with the new ids.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include "engine/core/large_vector.hpp"
#include "engine/core/release.hpp"
#include "engine/core/types.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

namespace detail {

// Rows of a compressed adjacency array renumbered: new row i is old row
// old_of[i], with every neighbour n replaced by new_of[n] and the row sorted.
// `edge_of_slot` (when not null) gives each old slot's edge index and is
// permuted along; returns the new offsets and neighbours.
inline std::pair<large_vector<edge_index>, large_vector<local_id>> renumber_rows(
    const large_vector<edge_index>& offsets, const large_vector<local_id>& neighbours, std::span<const local_id> old_of,
    std::span<const local_id> new_of, large_vector<std::uint32_t>* edge_of_slot) {
  const std::size_t n = old_of.size();
  large_vector<edge_index> new_offsets(n + 1);
  new_offsets[0] = 0;
  for (std::size_t i = 0; i < n; ++i) new_offsets[i + 1] = new_offsets[i] + (offsets[old_of[i] + 1] - offsets[old_of[i]]);
  large_vector<local_id> new_neighbours(neighbours.size());
  large_vector<std::uint32_t> new_edge_of_slot(edge_of_slot ? neighbours.size() : 0);
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
    const edge_index from = offsets[old_of[i]], to = new_offsets[i], size = new_offsets[i + 1] - to;
    if (!edge_of_slot) {
      for (edge_index k = 0; k < size; ++k) new_neighbours[to + k] = new_of[neighbours[from + k]];
      const auto row = new_neighbours.begin() + static_cast<std::ptrdiff_t>(to);
      std::sort(row, row + static_cast<std::ptrdiff_t>(size));
      return;
    }
    // Sort (neighbour, edge) pairs; equal neighbours (parallel edges) keep their order.
    std::vector<std::pair<local_id, std::uint32_t>> row(size);
    for (edge_index k = 0; k < size; ++k) row[k] = {new_of[neighbours[from + k]], (*edge_of_slot)[from + k]};
    std::stable_sort(row.begin(), row.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (edge_index k = 0; k < size; ++k) std::tie(new_neighbours[to + k], new_edge_of_slot[to + k]) = row[k];
  });
  if (edge_of_slot) edge_of_slot->swap(new_edge_of_slot);
  return {std::move(new_offsets), std::move(new_neighbours)};
}

// values[first + i] becomes values[first + old_of[i]]; entries before `first` stay.
template <class T, class Alloc>
void permute_by(std::vector<T, Alloc>& values, std::span<const local_id> old_of, std::size_t first = 0) {
  if (values.empty()) return;
  std::vector<T, Alloc> permuted(values.size());
  std::copy_n(values.begin(), first, permuted.begin());
  tbb::parallel_for(std::size_t{0}, old_of.size(), [&](std::size_t i) { permuted[first + i] = values[first + old_of[i]]; });
  values.swap(permuted);
}

}  // namespace detail

// The degree order of n vertices numbered by external id: descending count
// of edges held (held(v)), ties in ascending external id.
struct degree_order {
  std::vector<local_id> old_of;  // old id of each new id
  std::vector<local_id> new_of;  // new id of each old id
};

template <class Held>
degree_order order_by_degree(std::size_t n, const Held& held) {
  degree_order order;
  order.old_of.resize(n);
  std::iota(order.old_of.begin(), order.old_of.end(), local_id{0});
  tbb::parallel_sort(order.old_of.begin(), order.old_of.end(), [&](local_id x, local_id y) {
    const edge_index dx = held(x), dy = held(y);
    return dx != dy ? dx > dy : x < y;
  });
  order.new_of.resize(n);
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) { order.new_of[order.old_of[i]] = static_cast<local_id>(i); });
  return order;
}

// Renumbers the out-edges (CSR) of `a` and their data by `order`; in-edges,
// when there are some, keep naming their edges by the new CSR indices.
template <class EdgeData>
void renumber_out_edges(topology::arrays& a, std::vector<EdgeData>& edge_data, const degree_order& order) {
  constexpr bool has_data = !std::is_empty_v<EdgeData>;
  // With edge data, the data follow their edges into the new CSR order.
  large_vector<std::uint32_t> old_edge_of_new_slot;
  if constexpr (has_data) {
    old_edge_of_new_slot.resize(a.out_targets.size());
    std::iota(old_edge_of_new_slot.begin(), old_edge_of_new_slot.end(), std::uint32_t{0});
  }
  {
    auto [offsets, targets] = detail::renumber_rows(a.out_offsets, a.out_targets, order.old_of, order.new_of,
                                                    has_data ? &old_edge_of_new_slot : nullptr);
    a.out_offsets.swap(offsets);
    a.out_targets.swap(targets);
  }
  if constexpr (has_data) {
    std::vector<EdgeData> data(edge_data.size());
    large_vector<std::uint32_t> new_edge_of_old(edge_data.size());
    tbb::parallel_for(std::size_t{0}, data.size(), [&](std::size_t e) {
      data[e] = std::move(edge_data[old_edge_of_new_slot[e]]);
      new_edge_of_old[old_edge_of_new_slot[e]] = static_cast<std::uint32_t>(e);
    });
    edge_data.swap(data);
    release(old_edge_of_new_slot);
    // In-edges name their edges by CSR index, which has changed.
    tbb::parallel_for(std::size_t{0}, a.in_edge_index.size(),
                      [&](std::size_t p) { a.in_edge_index[p] = new_edge_of_old[a.in_edge_index[p]]; });
  }
}

// Renumbers the per-vertex arrays of `a` and its replica lists by `order`,
// and records the ids' external order.
inline void renumber_vertices(topology::arrays& a, degree_order order) {
  detail::permute_by(a.global_ids, order.old_of);
  detail::permute_by(a.out_degree, order.old_of);
  detail::permute_by(a.in_degree, order.old_of);
  detail::permute_by(a.master_rank, order.old_of);
  for (auto* lists : {&a.masters_mirrored_on, &a.mirrors_mastered_on})
    for (auto& list : *lists)
      for (auto& v : list) v = order.new_of[v];
  a.by_external_id = std::move(order.new_of);
}

// Renumbers the shard `a` (local ids ascending with external id) by
// descending degree; `edge_data` is in CSR order and stays so.
template <class EdgeData>
void renumber_by_degree(topology::arrays& a, std::vector<EdgeData>& edge_data) {
  const std::size_t n = a.global_ids.size();
  if (!std::is_sorted(a.global_ids.begin(), a.global_ids.end()))
    throw std::logic_error("renumber_by_degree: local ids must ascend with external id");
  constexpr bool has_data = !std::is_empty_v<EdgeData>;
  degree_order order = order_by_degree(n, [&](local_id v) {
    return (a.out_offsets[v + 1] - a.out_offsets[v]) + (a.in_offsets[v + 1] - a.in_offsets[v]);
  });
  renumber_out_edges(a, edge_data, order);
  {
    auto [offsets, sources] = detail::renumber_rows(a.in_offsets, a.in_sources, order.old_of, order.new_of,
                                                    has_data ? &a.in_edge_index : nullptr);
    a.in_offsets.swap(offsets);
    a.in_sources.swap(sources);
  }
  renumber_vertices(a, std::move(order));
}

}  // namespace gasworks
