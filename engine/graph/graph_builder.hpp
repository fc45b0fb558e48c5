#pragma once
// Builds a graph from edges given in any order with 64-bit ids. The result is
// immutable in structure; there is no finalize() step to forget.
//
// Local ids follow ascending external id (or descending degree when the
// policy asks, vertex_order.hpp), and each vertex's edges are sorted by
// neighbour, so a graph's layout depends only on its edges, never on the
// order they arrived in or on the thread count.
//
// Edges arrive one at a time (add_edge) or, when a whole edge list is at
// hand, all at once (from_edges), which numbers their ends on all threads.
// The build is a counting sort: count each vertex's edges, prefix-sum the
// counts into row offsets, fill the rows in parallel, then sort (and
// de-duplicate) each row on its own, once by source and once by target.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "engine/core/error.hpp"
#include "engine/core/release.hpp"
#include "engine/core/types.hpp"
#include "engine/graph/graph.hpp"
#include "engine/graph/id_index.hpp"
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

  // A builder holding `count` edges (source(i), target(i)) with data(i), and
  // the `declared` vertices, whose ids are numbered in bulk on all threads.
  // Takes no further edges or vertices.
  template <class Source, class Target, class Data>
  static graph_builder from_edges(std::size_t count, const Source& source, const Target& target, const Data& data,
                                  std::span<const vertex_id> declared, ingress_policy policy = {}) {
    id_index index = id_index::of_edges(count, source, target, declared);
    graph_builder b(policy);
    const std::size_t copies = policy.symmetrize ? 2 : 1;
    b.edges_.resize(copies * count);
    const bool drop_loops = policy.loops == ingress_policy::self_loops::drop;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1 << 14), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        const std::uint64_t s = index.number(source(i)), t = index.number(target(i));
        keyed_edge& e = b.edges_[copies * i];
        e = {s == t && drop_loops ? absent : s << 32 | t, data(i)};
        if (copies == 2) b.edges_[2 * i + 1] = {s == t ? absent : t << 32 | s, e.data};
      }
    });
    b.numbered_ids_ = std::move(index).take_ids();
    return b;
  }

  void reserve_edges(std::size_t count) { edges_.reserve(policy_.symmetrize ? 2 * count : count); }

  // Declares a vertex that may have no edges.
  void add_vertex(vertex_id id) {
    refuse_when_numbered();
    intern(id);
  }

  void add_edge(vertex_id source, vertex_id target, EdgeData data = {}) {
    refuse_when_numbered();
    if (source == target && policy_.loops == ingress_policy::self_loops::drop) return;
    const std::uint64_t s = intern(source), t = intern(target);
    edges_.push_back({s << 32 | t, data});
    if (policy_.symmetrize && s != t) edges_.push_back({t << 32 | s, std::move(data)});
  }

  std::uint64_t num_vertices() const noexcept {
    return dense_count_ ? *dense_count_ : numbered_ids_ ? numbered_ids_->size() : numbering_.size();
  }
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
  // The key of an edge from_edges left out (a dropped self-loop, or the
  // reverse of a loop when symmetrizing); no vertex has its source number.
  static constexpr std::uint64_t absent = ~std::uint64_t{0};

  void refuse_when_numbered() const {
    if (numbered_ids_) throw std::logic_error("graph_builder: from_edges builders take no further edges or vertices");
  }

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
  std::optional<std::vector<vertex_id>> numbered_ids_;  // from_edges: the ids, ascending
  vertex_numbering numbering_;
  std::vector<keyed_edge> edges_;
};

namespace detail {

// Adds one to counts[k] from any thread.
inline void count_in(large_vector<edge_index>& counts, std::size_t k) noexcept {
  std::atomic_ref<edge_index>(counts[k]).fetch_add(1, std::memory_order_relaxed);
}
// The next free slot of row k from any thread: its cursor, then one on.
inline edge_index claim_slot(std::vector<edge_index>& cursors, std::size_t k) noexcept {
  return std::atomic_ref<edge_index>(cursors[k]).fetch_add(1, std::memory_order_relaxed);
}

// Row offsets from per-row counts held at counts[v + 1]: an inclusive prefix sum.
inline void counts_to_offsets(large_vector<edge_index>& counts) { std::partial_sum(counts.begin(), counts.end(), counts.begin()); }

// Parallel over the rows of an offsets array, in chunks of rows.
template <class Body>
void for_each_row(local_id n, const Body& body) {
  tbb::parallel_for(tbb::blocked_range<local_id>(0, n, 16), [&](const tbb::blocked_range<local_id>& r) {
    for (local_id v = r.begin(); v != r.end(); ++v) body(v);
  });
}

}  // namespace detail

template <class EdgeData>
std::pair<topology::arrays, std::vector<EdgeData>> graph_builder<EdgeData>::build_arrays() && {
  constexpr bool has_data = !std::is_empty_v<EdgeData>;
  const auto n = static_cast<local_id>(num_vertices());
  const bool drop_duplicates = policy_.parallel_edges == ingress_policy::duplicates::drop;
  topology::arrays a;

  // Local ids ascend with external ids.
  if (dense_count_) {
    a.global_ids.resize(n);
    std::iota(a.global_ids.begin(), a.global_ids.end(), vertex_id{0});
  } else if (numbered_ids_) {
    a.global_ids = std::move(*numbered_ids_);
  } else {
    // Renumber provisional (first-seen) ids.
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
    numbering_ = vertex_numbering();  // frees its memory before the rows are filled
  }
  auto source_of = [](std::uint64_t key) { return static_cast<local_id>(key >> 32); };
  auto target_of = [](std::uint64_t key) { return static_cast<local_id>(key & 0xffffffffu); };
  using edge_range = tbb::blocked_range<std::size_t>;
  const edge_range all_edges(0, edges_.size(), 1 << 14);

  // Out-edges (CSR): count, fill in any order, then sort each row by target;
  // edges with data also by arrival, so that of equal edges the first comes
  // first (and is the one kept). The degree order, when asked for, is taken
  // from the counts, so that the rows are filled in their final numbering.
  const bool by_degree = policy_.order == ingress_policy::vertex_order::by_degree;
  large_vector<edge_index> filled_offsets(std::size_t{n} + 1, 0);
  std::optional<degree_order> order;
  {
    large_vector<edge_index> in_count(by_degree ? std::size_t{n} + 1 : 0, 0);
    tbb::parallel_for(all_edges, [&](const edge_range& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        const std::uint64_t key = edges_[i].key;
        if (key == absent) continue;
        detail::count_in(filled_offsets, source_of(key) + std::size_t{1});
        if (by_degree) detail::count_in(in_count, target_of(key) + std::size_t{1});
      }
    });
    if (by_degree) {
      // Edges held before duplicates are dropped: the final count unless there are duplicates (see below).
      order = order_by_degree(n, [&](local_id v) { return filled_offsets[v + 1] + in_count[v + 1]; });
      detail::permute_by(filled_offsets, std::span<const local_id>(order->old_of), 1);
    }
  }
  detail::counts_to_offsets(filled_offsets);
  const edge_index filled = filled_offsets[n];
  if (has_data && filled > std::numeric_limits<std::uint32_t>::max())
    throw usage_error("too many edges with data for one shard: " + std::to_string(filled));
  auto number = [&](local_id v) { return order ? order->new_of[v] : v; };
  large_vector<local_id> targets(filled);
  large_vector<std::uint32_t> arrival(has_data ? filled : 0);  // the slot's index into edges_
  {
    std::vector<edge_index> cursor(filled_offsets.begin(), filled_offsets.end() - 1);
    tbb::parallel_for(all_edges, [&](const edge_range& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        const std::uint64_t key = edges_[i].key;
        if (key == absent) continue;
        const edge_index slot = detail::claim_slot(cursor, number(source_of(key)));
        targets[slot] = number(target_of(key));
        if constexpr (has_data) arrival[slot] = static_cast<std::uint32_t>(i);
      }
    });
  }
  // Each row sorted, and its length once duplicates are dropped.
  a.out_offsets.assign(std::size_t{n} + 1, 0);
  detail::for_each_row(n, [&](local_id v) {
    const edge_index begin = filled_offsets[v], end = filled_offsets[v + 1];
    const auto first = targets.begin() + static_cast<std::ptrdiff_t>(begin), last = targets.begin() + static_cast<std::ptrdiff_t>(end);
    if constexpr (has_data) {
      std::vector<std::pair<local_id, std::uint32_t>> row(end - begin);
      for (edge_index k = begin; k < end; ++k) row[k - begin] = {targets[k], arrival[k]};
      std::sort(row.begin(), row.end());
      if (drop_duplicates)
        row.erase(std::unique(row.begin(), row.end(), [](const auto& x, const auto& y) { return x.first == y.first; }), row.end());
      for (std::size_t k = 0; k < row.size(); ++k) std::tie(targets[begin + k], arrival[begin + k]) = row[k];
      a.out_offsets[v + 1] = row.size();
    } else {
      std::sort(first, last);
      a.out_offsets[v + 1] = static_cast<edge_index>((drop_duplicates ? std::unique(first, last) : last) - first);
    }
  });
  detail::counts_to_offsets(a.out_offsets);
  const edge_index m = a.out_offsets[n];
  // Rows that lost duplicates close up; without any, the filled rows are final.
  std::vector<EdgeData> edge_data;
  if constexpr (has_data) edge_data.resize(m);
  if (m == filled) {
    a.out_targets = std::move(targets);
  } else {
    a.out_targets.resize(m);
    large_vector<std::uint32_t> kept_arrival(has_data ? m : 0);
    detail::for_each_row(n, [&](local_id v) {
      const edge_index from = filled_offsets[v];
      for (edge_index k = a.out_offsets[v]; k < a.out_offsets[v + 1]; ++k) {
        a.out_targets[k] = targets[from + k - a.out_offsets[v]];
        if constexpr (has_data) kept_arrival[k] = arrival[from + k - a.out_offsets[v]];
      }
    });
    release(targets);
    arrival.swap(kept_arrival);
  }
  release(filled_offsets);
  if constexpr (has_data) {
    tbb::parallel_for(std::size_t{0}, std::size_t{m}, [&](std::size_t e) { edge_data[e] = std::move(edges_[arrival[e]].data); });
    release(arrival);
  }
  release(edges_);

  if (order && m != filled) {
    // Duplicates were dropped, so the counts that ordered the vertices may
    // be off: back to external id order, then order by the edges now held.
    renumber_out_edges(a, edge_data, degree_order{order->new_of, order->old_of});
    large_vector<edge_index> in_count(std::size_t{n} + 1, 0);
    tbb::parallel_for(edge_range(0, m, 1 << 14), [&](const edge_range& r) {
      for (std::size_t e = r.begin(); e != r.end(); ++e) detail::count_in(in_count, a.out_targets[e] + std::size_t{1});
    });
    order = order_by_degree(n, [&](local_id v) { return a.out_offsets[v + 1] - a.out_offsets[v] + in_count[v + 1]; });
    renumber_out_edges(a, edge_data, *order);
  }
  if (order) renumber_vertices(a, std::move(*order));

  // In-edges (CSC): the same by target, from the rows just built; sources
  // ascend within each row (and edge indices, for parallel edges kept).
  a.in_offsets.assign(std::size_t{n} + 1, 0);
  tbb::parallel_for(edge_range(0, m, 1 << 14), [&](const edge_range& r) {
    for (std::size_t e = r.begin(); e != r.end(); ++e) detail::count_in(a.in_offsets, a.out_targets[e] + std::size_t{1});
  });
  detail::counts_to_offsets(a.in_offsets);
  a.in_sources.resize(m);
  if constexpr (has_data) a.in_edge_index.resize(m);
  {
    std::vector<edge_index> cursor(a.in_offsets.begin(), a.in_offsets.end() - 1);
    detail::for_each_row(n, [&](local_id v) {
      for (edge_index e = a.out_offsets[v]; e < a.out_offsets[v + 1]; ++e) {
        const edge_index slot = detail::claim_slot(cursor, a.out_targets[e]);
        a.in_sources[slot] = v;
        if constexpr (has_data) a.in_edge_index[slot] = static_cast<std::uint32_t>(e);
      }
    });
  }
  detail::for_each_row(n, [&](local_id v) {
    const auto begin = static_cast<std::ptrdiff_t>(a.in_offsets[v]), end = static_cast<std::ptrdiff_t>(a.in_offsets[v + 1]);
    if constexpr (has_data) {
      // (source, edge) pairs: the edge index orders parallel edges.
      std::vector<std::pair<local_id, std::uint32_t>> row(static_cast<std::size_t>(end - begin));
      for (std::ptrdiff_t k = begin; k < end; ++k) row[static_cast<std::size_t>(k - begin)] = {a.in_sources[k], a.in_edge_index[k]};
      std::sort(row.begin(), row.end());
      for (std::ptrdiff_t k = begin; k < end; ++k) std::tie(a.in_sources[k], a.in_edge_index[k]) = row[static_cast<std::size_t>(k - begin)];
    } else {
      std::sort(a.in_sources.begin() + begin, a.in_sources.begin() + end);
    }
  });

  a.out_degree.resize(n);
  a.in_degree.resize(n);
  tbb::parallel_for(local_id{0}, n, [&](local_id v) {
    a.out_degree[v] = static_cast<std::uint32_t>(a.out_offsets[v + 1] - a.out_offsets[v]);
    a.in_degree[v] = static_cast<std::uint32_t>(a.in_offsets[v + 1] - a.in_offsets[v]);
  });
  a.global_vertices = n;
  a.global_edges = m;
  return {std::move(a), std::move(edge_data)};
}

}  // namespace gasworks
