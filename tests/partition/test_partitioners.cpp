// Every method places every edge on exactly one part in range, the same way
// every time; each method keeps its own promise (grid's replica bound,
// streaming state carried across batches, metis's whole-graph placement).
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/core/error.hpp"
#include "partition/grid_partitioner.hpp"
#include "partition/partition_quality.hpp"
#include "partition/partitioner.hpp"
#include "partition/simulate.hpp"
#include "tests/partition/sample_graphs.hpp"

namespace gasworks::partition {

// Names the method in test parameters instead of printing its bytes.
void PrintTo(method m, std::ostream* out) { *out << name(m); }

namespace {

std::vector<part_id> place_all(method m, part_id parts, std::span<const edge> edges) {
  std::vector<part_id> placement(edges.size(), ~part_id{0});
  make_partitioner(m, parts)->place(edges, placement);
  return placement;
}

class EveryMethod : public ::testing::TestWithParam<std::tuple<method, part_id>> {
 protected:
  method kind() const { return std::get<0>(GetParam()); }
  part_id parts() const { return std::get<1>(GetParam()); }
};

TEST_P(EveryMethod, PlacesEveryEdgeOnOnePartInRange) {
  for (const auto& edges : {testing::kronecker_edges(9), testing::awkward_edges()}) {
    for (const auto& placement : {place_all(kind(), parts(), edges), place_as_ranks(kind(), parts(), edges)}) {
      ASSERT_EQ(placement.size(), edges.size());
      for (part_id p : placement) ASSERT_LT(p, parts());
    }
  }
}

TEST_P(EveryMethod, ReportsTheReplicationFactorOfItsPlacement) {
  const auto edges = testing::kronecker_edges(10);
  const auto placement = place_as_ranks(kind(), parts(), edges);
  const partition_quality q = simulate(kind(), parts(), edges);
  EXPECT_DOUBLE_EQ(q.replication_factor, testing::replication_factor(edges, placement));
  EXPECT_EQ(q.edges, edges.size());
  EXPECT_EQ(q.parts, parts());
  EXPECT_GE(q.replication_factor, 1.0);
  EXPECT_LE(q.replication_factor, static_cast<double>(parts()));
  EXPECT_GE(q.edge_balance, 1.0);
  EXPECT_GE(q.vertex_balance, 1.0);
  if (parts() == 1) {
    EXPECT_DOUBLE_EQ(q.replication_factor, 1.0);
    EXPECT_DOUBLE_EQ(q.edge_balance, 1.0);
  }
}

TEST_P(EveryMethod, IsDeterministic) {
  const auto edges = testing::kronecker_edges(10);
  EXPECT_EQ(place_as_ranks(kind(), parts(), edges), place_as_ranks(kind(), parts(), edges));
  EXPECT_EQ(place_all(kind(), parts(), edges), place_all(kind(), parts(), edges));
}

TEST_P(EveryMethod, DescribesItself) {
  const auto p = make_partitioner(kind(), parts());
  EXPECT_EQ(p->kind(), kind());
  EXPECT_EQ(p->parts(), parts());
  EXPECT_EQ(p->needs_whole_graph(), kind() == method::metis);
}

TEST_P(EveryMethod, RejectsMismatchedSpansAndAcceptsEmptyBatches) {
  auto p = make_partitioner(kind(), parts());
  const std::vector<edge> edges = {{1, 2}, {2, 3}};
  std::vector<part_id> one(1);
  EXPECT_THROW(p->place(edges, one), usage_error);
  EXPECT_NO_THROW(p->place({}, {}));
}

TEST(StreamingPartitioners, CarryTheirStateAcrossBatches) {
  const auto edges = testing::kronecker_edges(9);
  for (method m : {method::random, method::grid, method::oblivious, method::hdrf}) {
    for (part_id parts : {2u, 3u, 7u}) {
      auto p = make_partitioner(m, parts);
      std::vector<part_id> in_batches(edges.size());
      for (std::size_t first = 0; first < edges.size(); first += 1000) {
        const std::size_t count = std::min<std::size_t>(1000, edges.size() - first);
        p->place(std::span(edges).subspan(first, count), std::span(in_batches).subspan(first, count));
      }
      EXPECT_EQ(in_batches, place_all(m, parts, edges)) << name(m) << ' ' << parts;
    }
  }
}

std::string param_name(const ::testing::TestParamInfo<std::tuple<method, part_id>>& info) {
  return std::string(name(std::get<0>(info.param))) + "_" + std::to_string(std::get<1>(info.param)) + "_parts";
}

INSTANTIATE_TEST_SUITE_P(Partition, EveryMethod,
                         ::testing::Combine(::testing::ValuesIn(all_methods), ::testing::Values(1u, 2u, 3u, 4u, 7u)), param_name);

TEST(Partitioner, NamesRoundTripAndUnknownNamesAreUsageErrors) {
  for (method m : all_methods) EXPECT_EQ(parse_method(name(m)), m);
  try {
    parse_method("kahip");
    FAIL() << "no exception";
  } catch (const usage_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'kahip'"), std::string::npos) << message;
    for (method m : all_methods) EXPECT_NE(message.find(name(m)), std::string::npos) << message;
  }
  EXPECT_THROW(parse_method(""), usage_error);
  EXPECT_THROW(parse_method("HDRF"), usage_error);
  for (method m : all_methods) EXPECT_THROW(make_partitioner(m, 0), usage_error);
}

TEST(Partitioner, RandomIsTheHashOfTheEdge) {
  const auto edges = testing::awkward_edges();
  const auto placement = place_all(method::random, 5, edges);
  for (std::size_t i = 0; i < edges.size(); ++i)
    EXPECT_EQ(placement[i], mix_hash(mix_hash(edges[i].source) ^ edges[i].target) % 5);
}

TEST(Partitioner, MasterIsOneOfTheReplicasAndAgreedByAll) {
  const std::vector<part_id> replicas = {1, 4, 6};
  std::vector<std::size_t> chosen(8, 0);
  for (vertex_id v = 0; v < 3000; ++v) {
    const part_id master = choose_master(v, replicas);
    ASSERT_TRUE(std::find(replicas.begin(), replicas.end(), master) != replicas.end());
    EXPECT_EQ(master, choose_master(v, replicas));
    ++chosen[master];
  }
  for (part_id p : replicas) EXPECT_GT(chosen[p], 800u) << "masters spread over the replicas";
  EXPECT_EQ(choose_master(42, std::vector<part_id>{3}), 3u);
}

TEST(GridPartitioner, FactorsThePartCountAsSquareAsItCan) {
  const std::tuple<part_id, part_id, part_id> expected[] = {{1, 1, 1}, {2, 1, 2}, {4, 2, 2}, {7, 1, 7}, {8, 2, 4},
                                                            {12, 3, 4}, {16, 4, 4}, {18, 3, 6}, {64, 8, 8}};
  for (const auto& [parts, rows, columns] : expected) {
    const grid_partitioner g(parts);
    EXPECT_EQ(g.rows(), rows) << parts;
    EXPECT_EQ(g.columns(), columns) << parts;
    EXPECT_EQ(g.parts(), parts);
    EXPECT_EQ(g.replica_bound(), rows + columns - 1);
  }
}

TEST(GridPartitioner, KeepsEveryVertexInItsRowAndColumn) {
  const auto edges = testing::kronecker_edges(11);
  for (part_id parts : {1u, 2u, 3u, 4u, 7u, 9u, 12u, 16u}) {
    const grid_partitioner grid(parts);
    for (const auto& placement : {place_all(method::grid, parts, edges), place_as_ranks(method::grid, parts, edges)}) {
      for (std::size_t i = 0; i < edges.size(); ++i) {
        ASSERT_TRUE(grid.in_constraint_set(edges[i].source, placement[i])) << parts;
        ASSERT_TRUE(grid.in_constraint_set(edges[i].target, placement[i])) << parts;
      }
      for (const auto& [v, where] : testing::replica_parts(edges, placement)) ASSERT_LE(where.size(), grid.replica_bound()) << v;
    }
  }
}

TEST(GridPartitioner, BalancesEdgesWithinTheConstraint) {
  const auto edges = testing::kronecker_edges(12);
  const partition_quality q = simulate(method::grid, 16, edges);
  EXPECT_LT(q.edge_balance, 1.05);
  EXPECT_LE(q.replication_factor, 7.0);
}

TEST(ObliviousPartitioner, KeepsAnEdgeWhereBothEndpointsAlreadyAre) {
  auto p = make_partitioner(method::oblivious, 4);
  const std::vector<edge> first = {{1, 2}};
  std::vector<part_id> where(1);
  p->place(first, where);
  // (2, 1) and (1, 2) again: both endpoints live only on that part.
  const std::vector<edge> again = {{2, 1}, {1, 2}};
  std::vector<part_id> where_again(2);
  p->place(again, where_again);
  EXPECT_EQ(where_again[0], where[0]);
  EXPECT_EQ(where_again[1], where[0]);
  // A new vertex joins the part of its placed neighbour.
  const std::vector<edge> neighbour = {{1, 99}};
  std::vector<part_id> where_neighbour(1);
  p->place(neighbour, where_neighbour);
  EXPECT_EQ(where_neighbour[0], where[0]);
}

TEST(HdrfPartitioner, FillsPartsInOrderOnTiesAndFollowsPlacedVertices) {
  auto p = make_partitioner(method::hdrf, 3);
  // Disjoint edges: no replica to follow, so balance decides, lowest part on a tie.
  const std::vector<edge> disjoint = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
  std::vector<part_id> where(disjoint.size());
  p->place(disjoint, where);
  EXPECT_EQ(where, (std::vector<part_id>{0, 1, 2, 0}));
  // (1, 9): vertex 1 lives on part 0; following it beats the balance term.
  const std::vector<edge> follow = {{9, 1}};
  std::vector<part_id> where_follow(1);
  p->place(follow, where_follow);
  EXPECT_EQ(where_follow[0], 0u);
}

TEST(HdrfPartitioner, ReplicatesTheHigherDegreeEndpoint) {
  // A star around 10 fills one part (9 edges), a star around 0 the other
  // (8 edges). Edge (0, 15) joins the hub 0 to leaf 15 of the other star:
  // HDRF keeps the leaf whole and replicates the hub, although the leaf's
  // part is the fuller one; oblivious, blind to degrees, picks the emptier.
  std::vector<edge> edges;
  for (vertex_id leaf = 11; leaf <= 19; ++leaf) edges.push_back({10, leaf});
  for (vertex_id leaf = 1; leaf <= 8; ++leaf) edges.push_back({0, leaf});
  edges.push_back({0, 15});
  for (method m : {method::hdrf, method::oblivious}) {
    const auto placement = place_all(m, 2, edges);
    const part_id leaf_part = placement[4], hub_part = placement[9];
    ASSERT_NE(leaf_part, hub_part) << name(m);
    EXPECT_EQ(placement.back(), m == method::hdrf ? leaf_part : hub_part) << name(m);
  }
}

TEST(MetisPartitioner, HandlesTinyGraphsSelfLoopsAndMorePartsThanVertices) {
  const std::vector<edge> loops_only = {{5, 5}, {6, 6}, {5, 5}};
  const std::vector<edge> pair = {{10, 20}, {20, 10}};
  const std::vector<edge> triangle = {{1, 2}, {2, 3}, {3, 1}, {1, 1}};
  for (const auto* edges : {&loops_only, &pair, &triangle}) {
    for (part_id parts : {1u, 2u, 3u, 4u, 7u, 64u}) {
      const auto placement = place_all(method::metis, parts, *edges);
      for (part_id p : placement) EXPECT_LT(p, parts);
    }
  }
  // With a part per vertex, no vertex is replicated unless its edges must be.
  const auto placement = place_all(method::metis, 7, triangle);
  EXPECT_LE(testing::replication_factor(triangle, placement), 2.0);
}

TEST(MetisPartitioner, DependsOnTheSetOfEdgesNotTheirOrder) {
  auto edges = testing::kronecker_edges(10);
  const auto forward = place_all(method::metis, 4, edges);
  std::vector<edge> reversed(edges.rbegin(), edges.rend());
  auto backward = place_all(method::metis, 4, reversed);
  std::reverse(backward.begin(), backward.end());
  EXPECT_EQ(forward, backward);
}

TEST(MetisPartitioner, PlacesEachEdgeWithItsLowerDegreeEndpoint) {
  // A star: each edge goes with its leaf, so no leaf is replicated and only
  // the centre is.
  std::vector<edge> star;
  for (vertex_id leaf = 1; leaf <= 50; ++leaf) star.push_back({leaf, 0});
  const auto placement = place_all(method::metis, 4, star);
  const auto parts = testing::replica_parts(star, placement);
  for (vertex_id leaf = 1; leaf <= 50; ++leaf) EXPECT_EQ(parts.at(leaf).size(), 1u) << leaf;
  EXPECT_EQ(parts.at(0).size(), 4u) << "the leaves are spread over the parts";
}

}  // namespace
}  // namespace gasworks::partition
