// The vertex-cut built by multi-rank ingress, checked from the shards
// themselves for every partitioner: every edge on exactly one rank, one
// master per vertex, replicas exactly on the ranks that hold the vertex's
// edges, whole-graph degrees, matching master/mirror tables, and a reported
// replication factor equal to one recomputed here.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <vector>

#include "engine/ingress/distributed_ingress.hpp"
#include "engine/io/graph_format.hpp"
#include "tests/distributed/world.hpp"

namespace gasworks {
namespace {

using testing::this_process_only;
using testing::world;
using shard_graph = graph<char>;

// Every rank's `mine`, at rank 0 (empty elsewhere).
template <class T>
std::vector<std::vector<T>> collect_at_root(const std::vector<T>& mine) {
  std::vector<std::vector<std::byte>> out(static_cast<std::size_t>(world()->size()));
  wire_writer(out[0]).put_all(std::span<const T>(mine));
  std::vector<std::vector<T>> all;
  for (const auto& bytes : world()->all_to_all(out)) {
    all.emplace_back();
    for (wire_reader r(bytes); !r.done();) all.back().push_back(r.get<T>());
  }
  if (world()->rank() != 0) all.clear();
  return all;
}

struct id_edge {
  vertex_id source, target;
  auto operator<=>(const id_edge&) const = default;
};

void check_shards(const std::filesystem::path& file, io::graph_format format, ingress_policy policy) {
  ingress_options one;
  one.policy = policy;
  const auto reference = load_graph<char>(this_process_only(), file, format, one);
  const auto& rs = reference.structure();

  for (partition::method m : partition::all_methods) {
    SCOPED_TRACE(std::string(partition::name(m)));
    ingress_options options = one;
    options.method = m;
    ingress_report report;
    const auto g = load_graph<char>(world(), file, format, options, &report);
    const auto& s = g.structure();
    const int me = world()->rank(), n = world()->size();
    EXPECT_EQ(s.num_vertices(), rs.num_vertices());
    EXPECT_EQ(s.num_edges(), rs.num_edges());

    std::vector<id_edge> edges;
    std::vector<vertex_id> masters, held;
    for (local_id v = 0; v < s.num_local_vertices(); ++v) {
      const vertex_id id = s.global_id(v);
      held.push_back(id);
      if (s.is_master(v)) masters.push_back(id);
      for (edge_index e = s.out_begin(v); e < s.out_end(v); ++e) edges.push_back({id, s.global_id(s.out_target(e))});
      // Degrees are the whole graph's.
      const auto r = rs.find(id);
      EXPECT_TRUE(r.has_value()) << id;
      if (r) {
        EXPECT_EQ(s.out_degree(v), rs.out_degree(*r)) << id;
        EXPECT_EQ(s.in_degree(v), rs.in_degree(*r)) << id;
      }
      // A replica exists only where the vertex has an edge (or, without any
      // edge in the graph, as a lone master).
      const bool has_local_edge = s.out_end(v) > s.out_begin(v) || s.in_end(v) > s.in_begin(v);
      EXPECT_TRUE(has_local_edge || (s.is_master(v) && s.out_degree(v) + s.in_degree(v) == 0)) << id;
    }
    // Replicas hold no edge endpoints they do not list: every endpoint is local by construction.

    // Master and mirror tables name the same vertices, in the same order, on both sides.
    std::vector<std::vector<std::byte>> out(static_cast<std::size_t>(n));
    for (int p = 0; p < n; ++p) {
      if (p == me) {
        EXPECT_TRUE(s.masters_mirrored_on(p).empty());
        EXPECT_TRUE(s.mirrors_mastered_on(p).empty());
        continue;
      }
      wire_writer w(out[p]);
      for (local_id v : s.masters_mirrored_on(p)) w.put(s.global_id(v));
    }
    const auto in = world()->all_to_all(out);
    for (int p = 0; p < n; ++p) {
      if (p == me) continue;
      std::vector<vertex_id> theirs, mine;
      for (wire_reader r(in[p]); !r.done();) theirs.push_back(r.get<vertex_id>());
      for (local_id v : s.mirrors_mastered_on(p)) {
        mine.push_back(s.global_id(v));
        EXPECT_EQ(s.master_rank(v), p);
      }
      EXPECT_EQ(mine, theirs) << "mirrors on rank " << me << " of masters on rank " << p;
    }

    const auto all_edges = collect_at_root(edges);
    const auto all_masters = collect_at_root(masters);
    const auto all_held = collect_at_root(held);
    if (me != 0) continue;

    // Every edge on exactly one rank: the shards' edges are the graph's.
    std::vector<id_edge> together, expected;
    for (const auto& part : all_edges) together.insert(together.end(), part.begin(), part.end());
    for (local_id v = 0; v < rs.num_local_vertices(); ++v)
      for (edge_index e = rs.out_begin(v); e < rs.out_end(v); ++e)
        expected.push_back({rs.global_id(v), rs.global_id(rs.out_target(e))});
    std::sort(together.begin(), together.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(together, expected);

    // Exactly one master per vertex.
    std::vector<vertex_id> master_ids;
    for (const auto& part : all_masters) master_ids.insert(master_ids.end(), part.begin(), part.end());
    std::sort(master_ids.begin(), master_ids.end());
    std::vector<vertex_id> all_ids(rs.global_ids().begin(), rs.global_ids().end());
    std::sort(all_ids.begin(), all_ids.end());
    EXPECT_EQ(master_ids, all_ids);

    // Replicas of a vertex = the ranks holding one of its edges.
    std::map<vertex_id, std::set<int>> replicas, edge_holders;
    std::uint64_t replica_count = 0;
    for (int r = 0; r < n; ++r) {
      for (vertex_id id : all_held[r]) replicas[id].insert(r);
      replica_count += all_held[r].size();
      for (const auto& e : all_edges[r]) {
        edge_holders[e.source].insert(r);
        edge_holders[e.target].insert(r);
      }
    }
    for (const auto& [id, ranks] : replicas) {
      const auto it = edge_holders.find(id);
      if (it != edge_holders.end()) EXPECT_EQ(ranks, it->second) << id;
      else EXPECT_EQ(ranks.size(), 1u) << "a vertex without edges lives on one rank: " << id;
    }
    EXPECT_EQ(report.replicas, replica_count);
    EXPECT_DOUBLE_EQ(report.replication_factor,
                     static_cast<double>(replica_count) / static_cast<double>(rs.num_vertices()));
    std::size_t most_edges = 0;
    for (const auto& part : all_edges) most_edges = std::max(most_edges, part.size());
    EXPECT_DOUBLE_EQ(report.edge_balance,
                     static_cast<double>(most_edges) / (static_cast<double>(rs.num_edges()) / n));
  }
}

TEST(ShardInvariants, EmailEuCoreForEveryPartitioner) {
  check_shards(std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt", io::graph_format::snap, {});
}

TEST(ShardInvariants, DegreeOrderedShardsForEveryPartitioner) {
  ingress_policy by_degree;
  by_degree.order = ingress_policy::vertex_order::by_degree;
  check_shards(std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt", io::graph_format::snap, by_degree);
}

// A shared scratch file: rank 0 writes it, every rank reads the same path.
std::filesystem::path shared_file(const std::string& name, const std::string& text) {
  const auto path = testing::job_temp_path("gasworks-distributed-" + name);
  if (world()->rank() == 0) {
    std::ofstream(path) << text;
  }
  world()->barrier();
  return path;
}

TEST(ShardInvariants, IsolatedVerticesSelfLoopsAndDuplicates) {
  // adj: vertices 7 and 9 have no edges; 3 has a self-loop; 1 -> 2 twice.
  std::string text;
  for (int v = 0; v < 40; ++v) text += std::to_string(v) + " 2 " + std::to_string((v * 7) % 40) + " " + std::to_string((v + 1) % 40) + "\n";
  text += "1 2 2 2\n3 1 3\n7 0\n9 0\n100 0\n";
  const auto file = shared_file("mixed.adj", text);
  check_shards(file, io::graph_format::adj, {});
  ingress_policy symmetric;
  symmetric.symmetrize = true;
  symmetric.loops = ingress_policy::self_loops::drop;
  check_shards(file, io::graph_format::adj, symmetric);
  ingress_policy multigraph;
  multigraph.parallel_edges = ingress_policy::duplicates::keep;
  check_shards(file, io::graph_format::adj, multigraph);
}

}  // namespace
}  // namespace gasworks
