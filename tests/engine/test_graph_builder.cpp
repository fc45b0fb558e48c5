// The builder: id renumbering, CSR/CSC consistency, ingress policies.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/graph/graph_builder.hpp"

namespace gasworks {
namespace {

using edge_pairs = std::vector<std::pair<vertex_id, vertex_id>>;

template <class G>
edge_pairs out_edges_of(const G& g) {
  edge_pairs result;
  const auto& s = g.structure();
  for (local_id v = 0; v < s.num_local_vertices(); ++v)
    for (edge_index e = s.out_begin(v); e < s.out_end(v); ++e) result.emplace_back(s.global_id(v), s.global_id(s.out_target(e)));
  return result;
}

template <class G>
edge_pairs in_edges_of(const G& g) {
  edge_pairs result;
  const auto& s = g.structure();
  for (local_id v = 0; v < s.num_local_vertices(); ++v)
    for (edge_index p = s.in_begin(v); p < s.in_end(v); ++p) result.emplace_back(s.global_id(s.in_source(p)), s.global_id(v));
  return result;
}

TEST(GraphBuilder, RenumbersByExternalIdAndSortsEdges) {
  graph_builder<> b;
  b.add_edge(900, 5);
  b.add_edge(5, 77);
  b.add_edge(900, 77);
  b.add_vertex(1'000'000'000'000ULL);
  auto g = std::move(b).build<int>();
  const auto& s = g.structure();
  ASSERT_EQ(s.num_local_vertices(), 4u);
  EXPECT_EQ(s.global_id(0), 5u);
  EXPECT_EQ(s.global_id(1), 77u);
  EXPECT_EQ(s.global_id(2), 900u);
  EXPECT_EQ(s.global_id(3), 1'000'000'000'000ULL);
  EXPECT_EQ(out_edges_of(g), (edge_pairs{{5, 77}, {900, 5}, {900, 77}}));
  EXPECT_EQ(s.out_degree(2), 2u);
  EXPECT_EQ(s.in_degree(1), 2u);
  EXPECT_EQ(s.out_degree(3), 0u);
  EXPECT_EQ(s.find(900), std::optional<local_id>(2));
  EXPECT_FALSE(s.find(6).has_value());
}

TEST(GraphBuilder, CscListsTheSameEdgesAsCsr) {
  std::mt19937_64 rng(7);
  graph_builder<> b(ingress_policy{ingress_policy::self_loops::keep, ingress_policy::duplicates::keep, false});
  edge_pairs added;
  for (int i = 0; i < 2000; ++i) {
    vertex_id s = rng() % 300, t = rng() % 300;
    b.add_edge(s * 1000, t * 1000);
    added.emplace_back(s * 1000, t * 1000);
  }
  auto g = std::move(b).build<int>();
  auto out = out_edges_of(g), in = in_edges_of(g);
  std::sort(added.begin(), added.end());
  std::sort(in.begin(), in.end());
  EXPECT_EQ(out, added);  // CSR order is sorted already
  EXPECT_EQ(in, added);
}

TEST(GraphBuilder, EdgeDataFollowsItsEdgeInBothDirections) {
  graph_builder<double> b;
  b.add_edge(3, 1, 31.0);
  b.add_edge(1, 3, 13.0);
  b.add_edge(2, 3, 23.0);
  auto g = std::move(b).build<int>();
  const auto& s = g.structure();
  for (local_id v = 0; v < s.num_local_vertices(); ++v) {
    for (edge_index e = s.out_begin(v); e < s.out_end(v); ++e)
      EXPECT_EQ(g.edge_data(e), static_cast<double>(s.global_id(v) * 10 + s.global_id(s.out_target(e))));
    for (edge_index p = s.in_begin(v); p < s.in_end(v); ++p)
      EXPECT_EQ(g.edge_data(g.in_edge(p)), static_cast<double>(s.global_id(s.in_source(p)) * 10 + s.global_id(v)));
  }
}

// Degree order: the vertices with most edges first (ties by id), every edge
// and its data kept, rows sorted under the new ids, ids still found.
TEST(GraphBuilder, DegreeOrderNumbersHubsFirstAndKeepsEveryEdgeWithItsData) {
  std::mt19937_64 rng(11);
  ingress_policy by_id{ingress_policy::self_loops::keep, ingress_policy::duplicates::keep, false};
  ingress_policy by_degree = by_id;
  by_degree.order = ingress_policy::vertex_order::by_degree;
  graph_builder<double> a(by_id), b(by_degree);
  for (int i = 0; i < 3000; ++i) {
    // Skewed: low ids are hubs; weights name the edge (and its arrival, for parallel edges).
    const vertex_id s = (rng() % 400) * (rng() % 400) / 400 * 7, t = (rng() % 400) * 7;
    const double weight = static_cast<double>(s * 100000 + t) + i * 1e-4;
    a.add_edge(s, t, weight);
    b.add_edge(s, t, weight);
  }
  a.add_vertex(5);  // no edges: last
  b.add_vertex(5);
  const auto by_id_graph = std::move(a).build<int>();
  const auto g = std::move(b).build<int>();
  const auto& r = by_id_graph.structure();
  const auto& s = g.structure();
  ASSERT_EQ(s.num_local_vertices(), r.num_local_vertices());
  ASSERT_EQ(s.num_local_edges(), r.num_local_edges());

  auto held = [&](local_id v) { return (s.out_end(v) - s.out_begin(v)) + (s.in_end(v) - s.in_begin(v)); };
  for (local_id v = 1; v < s.num_local_vertices(); ++v) {
    ASSERT_TRUE(held(v - 1) > held(v) || (held(v - 1) == held(v) && s.global_id(v - 1) < s.global_id(v))) << v;
  }
  EXPECT_EQ(s.global_id(s.num_local_vertices() - 1), 5u);
  EXPECT_GT(held(0), 3 * held(s.num_local_vertices() / 2));

  // Ids are found, and listed in ascending order by in_external_id_order.
  for (local_id k = 0; k < r.num_local_vertices(); ++k) {
    const vertex_id id = r.global_id(k);
    EXPECT_EQ(s.global_id(s.in_external_id_order(k)), id);
    const auto v = s.find(id);
    ASSERT_TRUE(v.has_value()) << id;
    EXPECT_EQ(s.global_id(*v), id);
    // The same out- and in-edges, each with its data, in both numberings;
    // rows sorted by the new ids.
    const local_id u = *r.find(id);
    std::vector<std::pair<vertex_id, double>> out_here, out_there, in_here, in_there;
    for (edge_index e = s.out_begin(*v); e < s.out_end(*v); ++e) {
      if (e > s.out_begin(*v)) {
        EXPECT_LE(s.out_target(e - 1), s.out_target(e));
      }
      out_here.emplace_back(s.global_id(s.out_target(e)), g.edge_data(e));
    }
    for (edge_index p = s.in_begin(*v); p < s.in_end(*v); ++p) {
      if (p > s.in_begin(*v)) {
        EXPECT_LE(s.in_source(p - 1), s.in_source(p));
      }
      in_here.emplace_back(s.global_id(s.in_source(p)), g.edge_data(g.in_edge(p)));
    }
    for (edge_index e = r.out_begin(u); e < r.out_end(u); ++e)
      out_there.emplace_back(r.global_id(r.out_target(e)), by_id_graph.edge_data(e));
    for (edge_index p = r.in_begin(u); p < r.in_end(u); ++p)
      in_there.emplace_back(r.global_id(r.in_source(p)), by_id_graph.edge_data(by_id_graph.in_edge(p)));
    for (auto* list : {&out_here, &out_there, &in_here, &in_there}) std::sort(list->begin(), list->end());
    EXPECT_EQ(out_here, out_there) << id;
    EXPECT_EQ(in_here, in_there) << id;
    EXPECT_EQ(s.out_degree(*v), r.out_degree(u));
    EXPECT_EQ(s.in_degree(*v), r.in_degree(u));
  }
  EXPECT_FALSE(s.find(6).has_value());
  EXPECT_FALSE(s.find(1'000'000).has_value());
}

TEST(GraphBuilder, DuplicatesDroppedByDefaultKeepingTheFirst) {
  graph_builder<double> b;
  b.add_edge(1, 2, 1.5);
  b.add_edge(1, 2, 9.0);
  b.add_edge(2, 2, 4.0);
  auto g = std::move(b).build<int>();
  EXPECT_EQ(g.num_edges(), 2u);
  EXPECT_EQ(g.edge_data(0), 1.5);
  EXPECT_EQ(out_edges_of(g), (edge_pairs{{1, 2}, {2, 2}}));
}

TEST(GraphBuilder, PolicyCanKeepDuplicatesAndDropSelfLoops) {
  ingress_policy p;
  p.loops = ingress_policy::self_loops::drop;
  p.parallel_edges = ingress_policy::duplicates::keep;
  graph_builder<> b(p);
  b.add_edge(1, 2);
  b.add_edge(1, 2);
  b.add_edge(2, 2);
  auto g = std::move(b).build<int>();
  EXPECT_EQ(out_edges_of(g), (edge_pairs{{1, 2}, {1, 2}}));
  EXPECT_EQ(g.structure().num_local_vertices(), 2u);  // the self-loop's vertex still exists
}

TEST(GraphBuilder, SymmetrizeAddsReverseEdgesOnce) {
  ingress_policy p;
  p.symmetrize = true;
  graph_builder<> b(p);
  b.add_edge(1, 2);
  b.add_edge(2, 1);
  b.add_edge(3, 3);
  auto g = std::move(b).build<int>();
  EXPECT_EQ(out_edges_of(g), (edge_pairs{{1, 2}, {2, 1}, {3, 3}}));
}

// The whole layout of a graph: ids in local order, each row with its data.
template <class G>
std::string layout_of(const G& g) {
  const auto& s = g.structure();
  std::string text;
  for (local_id v = 0; v < s.num_local_vertices(); ++v) {
    text += std::to_string(s.global_id(v)) + " out";
    for (edge_index e = s.out_begin(v); e < s.out_end(v); ++e)
      text += " " + std::to_string(s.global_id(s.out_target(e))) + ":" + std::to_string(g.edge_data(e));
    text += " in";
    for (edge_index p = s.in_begin(v); p < s.in_end(v); ++p)
      text += " " + std::to_string(s.global_id(s.in_source(p))) + ":" + std::to_string(g.edge_data(g.in_edge(p)));
    text += " degrees " + std::to_string(s.out_degree(v)) + "/" + std::to_string(s.in_degree(v)) + "\n";
  }
  return text;
}

// Numbering a whole edge list at once (dense ids: a direct table; sparse: a
// hash index) builds exactly what adding the edges one by one builds, under
// every policy.
TEST(GraphBuilder, BulkNumberingBuildsWhatOneByOneBuilds) {
  for (const vertex_id spread : {vertex_id{1}, vertex_id{1'000'000'007}}) {
    std::mt19937_64 rng(spread);
    std::vector<std::pair<vertex_id, vertex_id>> edges;
    std::vector<double> weights;
    for (int i = 0; i < 4000; ++i) {
      edges.emplace_back((rng() % 300) * (rng() % 300) / 300 * spread, (rng() % 300) * spread);
      weights.push_back(i);  // names the edge's arrival
    }
    const std::vector<vertex_id> declared = {7 * spread + 1, 3 * spread};
    for (const auto loops : {ingress_policy::self_loops::keep, ingress_policy::self_loops::drop})
      for (const auto duplicates : {ingress_policy::duplicates::keep, ingress_policy::duplicates::drop})
        for (const bool symmetrize : {false, true})
          for (const auto order : {ingress_policy::vertex_order::by_id, ingress_policy::vertex_order::by_degree}) {
            const ingress_policy policy{loops, duplicates, symmetrize, order};
            graph_builder<double> one_by_one(policy);
            for (const vertex_id v : declared) one_by_one.add_vertex(v);
            for (std::size_t i = 0; i < edges.size(); ++i) one_by_one.add_edge(edges[i].first, edges[i].second, weights[i]);
            auto bulk = graph_builder<double>::from_edges(
                edges.size(), [&](std::size_t i) { return edges[i].first; }, [&](std::size_t i) { return edges[i].second; },
                [&](std::size_t i) { return weights[i]; }, declared, policy);
            EXPECT_EQ(layout_of(std::move(bulk).build<int>()), layout_of(std::move(one_by_one).build<int>()))
                << "spread " << spread << " loops " << (loops == ingress_policy::self_loops::keep) << " duplicates "
                << (duplicates == ingress_policy::duplicates::keep) << " symmetrize " << symmetrize << " by degree "
                << (order == ingress_policy::vertex_order::by_degree);
          }
  }
}

// Degree order counts the edges a vertex holds once duplicates are gone:
// five copies of 1 -> 2 are one edge, fewer than vertex 3's three.
TEST(GraphBuilder, DegreeOrderCountsEdgesAfterDuplicatesAreDropped) {
  ingress_policy policy;
  policy.order = ingress_policy::vertex_order::by_degree;
  graph_builder<> b(policy);
  for (int copy = 0; copy < 5; ++copy) b.add_edge(1, 2);
  for (const vertex_id t : {4, 5, 6}) b.add_edge(3, t);
  const auto g = std::move(b).build<int>();
  const auto& s = g.structure();
  ASSERT_EQ(s.num_local_edges(), 4u);
  EXPECT_EQ(s.global_id(0), 3u);
  EXPECT_EQ(s.global_id(1), 1u);  // held 1, as 2, 4, 5 and 6: first by id
  for (local_id k = 0; k < s.num_local_vertices(); ++k) EXPECT_EQ(s.global_id(*s.find(s.global_id(k))), s.global_id(k));
  EXPECT_EQ(out_edges_of(g), (edge_pairs{{3, 4}, {3, 5}, {3, 6}, {1, 2}}));
}

TEST(GraphBuilder, DenseBuilderRejectsIdsOutsideItsRange) {
  auto b = graph_builder<>::dense(4);
  b.add_edge(0, 3);
  EXPECT_THROW(b.add_edge(4, 0), usage_error);
  auto g = std::move(b).build<int>();
  EXPECT_EQ(g.structure().num_local_vertices(), 4u);
  EXPECT_EQ(g.num_edges(), 1u);
}

}  // namespace
}  // namespace gasworks
