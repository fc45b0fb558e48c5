#pragma once
// Multi-rank ingress: from a file (or edges already in memory) to this
// rank's shard of a vertex-cut.
//
//   1. Each rank reads its own byte range of the file (lines belong to the
//      range holding their first byte; a gzip file is read by rank 0 alone).
//   2. The ingress policy is applied to the edges read: self-loops dropped,
//      reverse edges added; when duplicates are dropped, edges first meet at
//      a rank chosen by their hash, where later copies of an edge are removed
//      (the first in file order keeps its data).
//   3. Each rank's partitioner places its edges; one all-to-all exchange takes
//      every edge to its rank (metis first collects all edges at rank 0).
//   4. Each rank builds its shard with the builder.
//   5. A directory rank per vertex (hash of its id) learns which ranks hold
//      the vertex, sums its degree, chooses its master among those ranks and
//      tells each replica its master and each master its mirrors. A declared
//      vertex without edges lives on its directory rank (whose shard is then
//      built again to include it).
//
// With one rank this is plain single-process ingress: the whole file, the
// builder, no exchange. Errors raised on some ranks only are raised on every
// rank (as collective_error, naming the failing rank), so no rank hangs.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include "engine/comm/collective_error.hpp"
#include "engine/comm/communicator.hpp"
#include "engine/comm/wire.hpp"
#include "engine/core/mix_hash.hpp"
#include "engine/core/release.hpp"
#include "engine/graph/build_from_edge_list.hpp"
#include "engine/graph/graph.hpp"
#include "engine/graph/graph_builder.hpp"
#include "engine/graph/ingress_policy.hpp"
#include "engine/ingress/ingress_report.hpp"
#include "engine/io/edge_list.hpp"
#include "engine/io/graph_format.hpp"
#include "partition/partitioner.hpp"

namespace gasworks {

struct ingress_options {
  ingress_policy policy;
  partition::method method = partition::default_method;
};

// An edge on its way to its rank.
template <class EdgeData>
struct routed_edge {
  vertex_id source;
  vertex_id target;
  [[no_unique_address]] EdgeData data;
};

// Seconds per named step of an ingress on this rank, in order.
using step_times = std::vector<std::pair<std::string, double>>;

// Times consecutive steps: mark(name) ends the step called name.
class step_clock {
 public:
  void mark(std::string name) {
    const auto now = std::chrono::steady_clock::now();
    steps_.emplace_back(std::move(name), std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }
  const step_times& steps() const noexcept { return steps_; }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  step_times steps_;
};

namespace detail {

// This rank's part of a graph file (the whole file with one rank).
io::edge_list read_rank_part(communicator& ranks, const std::filesystem::path& file, io::graph_format format);

// Step 4: what the directory tells one rank about each vertex it holds.
struct vertex_directory {
  std::vector<vertex_id> ids;        // ascending: the shard's vertices
  std::vector<std::uint32_t> out_degree;  // in the whole graph
  std::vector<std::uint32_t> in_degree;
  std::vector<std::uint32_t> master;
  std::vector<std::vector<std::uint32_t>> mirrors;  // ranks, for vertices mastered here
};
// `edge_vertices`: ascending ids of the vertices this rank's edges touch,
// with this rank's out/in edge counts; `declared`: vertices this rank read
// that may have no edge anywhere.
vertex_directory consult_directory(communicator& ranks, std::span<const vertex_id> edge_vertices,
                                   std::span<const std::uint32_t> local_out, std::span<const std::uint32_t> local_in,
                                   std::span<const vertex_id> declared);

// Fills the shard's whole-graph degrees, counts and replica tables.
void attach_replicas(topology::arrays& a, const vertex_directory& directory, const std::shared_ptr<communicator>& ranks);

// Replication and balance of the shards; every rank gets the same report.
ingress_report summarise(communicator& ranks, const topology& shard, partition::method m, double seconds,
                         const step_times& steps = {});

// Sends edges[i] to rank parts[i]; returns the edges this rank receives, in
// rank order (each rank's in the order it sent them).
template <class EdgeData>
std::vector<routed_edge<EdgeData>> send_to_parts(communicator& comm, std::vector<routed_edge<EdgeData>>& edges,
                                                 std::span<const partition::part_id> parts) {
  using edge_type = routed_edge<EdgeData>;
  const auto n = static_cast<std::size_t>(comm.size());
  // Counted first, so that every buffer is allocated once at its size.
  std::vector<std::size_t> count(n, 0);
  for (auto p : parts) ++count[p];
  std::vector<std::vector<std::byte>> out(n);
  std::vector<std::byte*> at(n);
  for (std::size_t p = 0; p < n; ++p) {
    out[p].resize(count[p] * sizeof(edge_type));
    at[p] = out[p].data();
  }
  for (std::size_t i = 0; i < edges.size(); ++i) {
    std::memcpy(at[parts[i]], &edges[i], sizeof(edge_type));
    at[parts[i]] += sizeof(edge_type);
  }
  release(edges);
  std::vector<std::vector<std::byte>> in;
  comm.all_to_all(out, in);
  in[comm.rank()] = std::move(out[comm.rank()]);
  release(out);
  std::size_t total = 0;
  for (const auto& b : in) total += b.size() / sizeof(edge_type);
  std::vector<edge_type> received(total);
  std::size_t filled = 0;
  for (auto& b : in) {
    if (!b.empty()) std::memcpy(static_cast<void*>(received.data() + filled), b.data(), b.size());
    filled += b.size() / sizeof(edge_type);
    release(b);
  }
  return received;
}

// Removes later copies of equal (source, target) pairs, keeping order.
template <class EdgeData>
void drop_duplicates_keep_order(std::vector<routed_edge<EdgeData>>& edges) {
  // Sorting (key, position) records, not positions through the edges, keeps
  // the sort's memory access sequential.
  struct record {
    vertex_id source, target;
    std::uint64_t position;
    bool operator<(const record& o) const noexcept {
      return source != o.source ? source < o.source : target != o.target ? target < o.target : position < o.position;
    }
  };
  std::vector<record> records(edges.size());
  tbb::parallel_for(std::size_t{0}, edges.size(), [&](std::size_t i) { records[i] = {edges[i].source, edges[i].target, i}; });
  tbb::parallel_sort(records.begin(), records.end());
  std::vector<bool> keep(edges.size(), false);
  for (std::size_t i = 0; i < records.size(); ++i)
    if (i == 0 || records[i].source != records[i - 1].source || records[i].target != records[i - 1].target)
      keep[records[i].position] = true;
  release(records);
  std::size_t out = 0;
  for (std::size_t i = 0; i < edges.size(); ++i)
    if (keep[i]) edges[out++] = edges[i];
  edges.resize(out);
}

// A shard's arrays built from its final edges, plus `vertices` without edges.
template <class EdgeData>
auto build_placed(const std::vector<routed_edge<EdgeData>>& edges, std::span<const vertex_id> vertices) {
  ingress_policy as_placed;  // edges are final here: keep them all
  as_placed.parallel_edges = ingress_policy::duplicates::keep;
  return graph_builder<EdgeData>::from_edges(
             edges.size(), [&](std::size_t i) { return edges[i].source; }, [&](std::size_t i) { return edges[i].target; },
             [&](std::size_t i) { return edges[i].data; }, vertices, as_placed)
      .build_arrays();
}

}  // namespace detail

// Builds this rank's shard from the edges this rank holds (any subset; the
// ranks' sets together are the graph) and the vertices it declares.
template <class VertexData, class EdgeData = empty>
graph<VertexData, EdgeData> build_shard(const std::shared_ptr<communicator>& ranks,
                                        std::vector<routed_edge<EdgeData>> edges, std::vector<vertex_id> declared,
                                        const ingress_options& options, ingress_report* report = nullptr,
                                        step_clock clock = {}) {
  static_assert(wire_copyable<EdgeData>, "edge data that cross ranks must be trivially copyable");
  const auto start = std::chrono::steady_clock::now();
  auto seconds_since_start = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  communicator& comm = *ranks;
  const int n = comm.size();

  if (n == 1) {
    auto builder = graph_builder<EdgeData>::from_edges(
        edges.size(), [&](std::size_t i) { return edges[i].source; }, [&](std::size_t i) { return edges[i].target; },
        [&](std::size_t i) { return edges[i].data; }, declared, options.policy);
    release(edges);
    auto g = std::move(builder).template build<VertexData>();
    if (report) *report = detail::summarise(comm, g.structure(), options.method, seconds_since_start());
    return g;
  }

  // Step 2: the policy, before placement (each copy of an edge is placed alone).
  const ingress_policy& policy = options.policy;
  if (policy.loops == ingress_policy::self_loops::drop)
    std::erase_if(edges, [](const routed_edge<EdgeData>& e) { return e.source == e.target; });
  if (policy.symmetrize) {
    const std::size_t m = edges.size();
    edges.reserve(2 * m);
    for (std::size_t i = 0; i < m; ++i)
      if (edges[i].source != edges[i].target) edges.push_back({edges[i].target, edges[i].source, edges[i].data});
  }
  if (policy.parallel_edges == ingress_policy::duplicates::drop) {
    std::vector<partition::part_id> by_hash(edges.size());
    tbb::parallel_for(std::size_t{0}, edges.size(), [&](std::size_t i) {
      by_hash[i] = static_cast<partition::part_id>(mix_hash(mix_hash(edges[i].source) ^ edges[i].target) %
                                                   static_cast<std::uint64_t>(n));
    });
    edges = detail::send_to_parts(comm, edges, by_hash);  // in rank order, so in file order
    detail::drop_duplicates_keep_order(edges);
  }
  clock.mark("deduplicate");

  // Step 3: placement and the exchange of edges.
  auto placer = partition::make_partitioner(options.method, static_cast<partition::part_id>(n));
  if (placer->needs_whole_graph()) {
    const std::vector<partition::part_id> to_root(edges.size(), 0);
    edges = detail::send_to_parts(comm, edges, to_root);
  }
  {
    std::vector<partition::edge> endpoints(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) endpoints[i] = {edges[i].source, edges[i].target};
    std::vector<partition::part_id> parts(edges.size());
    if (!placer->needs_whole_graph() || comm.rank() == 0) placer->place(endpoints, parts);
    release(endpoints);
    clock.mark("place");
    edges = detail::send_to_parts(comm, edges, parts);
    clock.mark("exchange");
  }

  // Steps 4 and 5: the shard of the edges, then the directory, which may
  // give this rank declared vertices that no rank holds an edge of: the
  // shard is then built again with them.
  auto [arrays, edge_data] = detail::build_placed(edges, {});
  clock.mark("build");
  const auto directory =
      detail::consult_directory(comm, arrays.global_ids, arrays.out_degree, arrays.in_degree, declared);
  if (directory.ids.size() != arrays.global_ids.size()) std::tie(arrays, edge_data) = detail::build_placed(edges, directory.ids);
  release(edges);
  detail::attach_replicas(arrays, directory, ranks);
  clock.mark("directory");
  if (options.policy.order == ingress_policy::vertex_order::by_degree) {
    renumber_by_degree(arrays, edge_data);
    clock.mark("order");
  }
  graph<VertexData, EdgeData> g(topology(std::move(arrays)), std::move(edge_data));
  if (report) *report = detail::summarise(comm, g.structure(), options.method, seconds_since_start(), clock.steps());
  return g;
}

// Reads a graph file on every rank of `ranks` and builds this rank's shard.
// Weights become edge data when EdgeData is arithmetic.
template <class VertexData, class EdgeData = empty>
graph<VertexData, EdgeData> load_graph(const std::shared_ptr<communicator>& ranks, const std::filesystem::path& file,
                                       io::graph_format format, const ingress_options& options = {},
                                       ingress_report* report = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  if (ranks->size() == 1) {
    auto g = build_graph<VertexData, EdgeData>(detail::read_rank_part(*ranks, file, format), options.policy);
    if (report) {
      *report = detail::summarise(*ranks, g.structure(), options.method,
                                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return g;
  }
  step_clock clock;
  std::vector<routed_edge<EdgeData>> edges;
  std::vector<vertex_id> declared;
  std::optional<std::uint64_t> announced_entries;
  std::uint64_t entries_read = 0;
  run_collectively(*ranks, [&] {
    io::edge_list part = detail::read_rank_part(*ranks, file, format);
    edges.resize(part.edges.size());
    for (std::size_t i = 0; i < part.edges.size(); ++i) {
      edges[i].source = part.edges[i].first;
      edges[i].target = part.edges[i].second;
      if constexpr (std::is_arithmetic_v<EdgeData>)
        edges[i].data = part.weighted() ? static_cast<EdgeData>(part.weights[i]) : EdgeData{1};
    }
    declared = part.declared_vertices();
    announced_entries = part.announced_entries;
    entries_read = part.entries_read;
  });
  // Parts of a file whose header announces its entry count: check the total.
  const std::uint64_t total_entries = ranks->all_reduce_sum(entries_read);
  if (announced_entries && total_entries != *announced_entries) {
    run_collectively(*ranks, [&] {
      if (ranks->rank() == 0)
        throw input_error(file, 0, "expected " + std::to_string(*announced_entries) +
                                       " entries as the size line declares, found " + std::to_string(total_entries));
    });
  }
  const std::uint64_t read = ranks->all_reduce_sum<std::uint64_t>(edges.size() + declared.size());
  if (read == 0) {
    // Every rank knows the total, so every rank raises the same error.
    run_collectively(*ranks, [&] { if (ranks->rank() == 0) throw input_error(file, 0, "empty graph: no edges or vertices found"); });
  }
  clock.mark("read");
  auto g = build_shard<VertexData, EdgeData>(ranks, std::move(edges), std::move(declared), options, report, clock);
  if (report) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report->seconds = ranks->all_reduce_max(seconds);
  }
  return g;
}

}  // namespace gasworks
