// Replication and balance figures on hand-counted placements, and the
// one-process imitation of N loaders.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "engine/core/error.hpp"
#include "partition/partition_quality.hpp"
#include "partition/simulate.hpp"
#include "tests/partition/sample_graphs.hpp"

namespace gasworks::partition {
namespace {

TEST(PartitionQuality, CountsReplicasAndBalanceByHand) {
  const std::vector<edge> edges = {{1, 2}, {2, 3}, {3, 1}};
  const std::vector<part_id> placement = {0, 1, 1};
  const partition_quality q = measure_quality(edges, placement, 2);
  // 1 on {0, 1}, 2 on {0, 1}, 3 on {1}.
  EXPECT_EQ(q.vertices, 3u);
  EXPECT_EQ(q.edges, 3u);
  EXPECT_EQ(q.replicas, 5u);
  EXPECT_DOUBLE_EQ(q.replication_factor, 5.0 / 3);
  EXPECT_DOUBLE_EQ(q.edge_balance, 2 / 1.5);         // edges per part 1, 2
  EXPECT_DOUBLE_EQ(q.vertex_balance, 3 / 2.5);       // replicas per part 2, 3
  EXPECT_EQ(q.parts, 2u);
  EXPECT_EQ(q.seconds, 0.0);
}

TEST(PartitionQuality, IsolatedVerticesCountOnceOnTheirHomePart) {
  const std::vector<edge> edges = {{1, 2}};
  const std::vector<part_id> placement = {0};
  // 1 has an edge and is counted through it; 7 and 8 are isolated.
  const std::vector<vertex_id> isolated = {1, 7, 8, 8};
  const partition_quality q = measure_quality(edges, placement, 3, isolated);
  EXPECT_EQ(q.vertices, 4u);
  EXPECT_EQ(q.replicas, 4u);
  EXPECT_DOUBLE_EQ(q.replication_factor, 1.0);
  std::vector<double> per_part(3, 0);
  per_part[0] += 2;
  ++per_part[home_part(7, 3)];
  ++per_part[home_part(8, 3)];
  EXPECT_DOUBLE_EQ(q.vertex_balance, *std::max_element(per_part.begin(), per_part.end()) / (4.0 / 3));
  EXPECT_DOUBLE_EQ(q.edge_balance, 3.0);
}

TEST(PartitionQuality, EmptyGraphsAndBadArguments) {
  const partition_quality empty = measure_quality({}, {}, 4);
  EXPECT_EQ(empty.vertices, 0u);
  EXPECT_DOUBLE_EQ(empty.replication_factor, 1.0);
  EXPECT_DOUBLE_EQ(empty.edge_balance, 1.0);
  EXPECT_DOUBLE_EQ(empty.vertex_balance, 1.0);

  const std::vector<edge> edges = {{1, 2}, {2, 3}};
  EXPECT_THROW(measure_quality(edges, std::vector<part_id>{0}, 2), usage_error);
  EXPECT_THROW(measure_quality(edges, std::vector<part_id>{0, 2}, 2), usage_error);
  EXPECT_THROW(measure_quality(edges, std::vector<part_id>{0, 0}, 0), usage_error);
}

TEST(Simulate, EachLoaderPlacesAContiguousChunkWithItsOwnInstance) {
  const auto edges = testing::kronecker_edges(9);
  for (method m : {method::grid, method::oblivious, method::hdrf}) {
    for (part_id parts : {2u, 3u, 7u}) {
      std::vector<part_id> expected(edges.size());
      for (part_id k = 0; k < parts; ++k) {
        const std::size_t first = edges.size() * k / parts, last = edges.size() * (k + 1) / parts;
        make_partitioner(m, parts)->place(std::span(edges).subspan(first, last - first),
                                          std::span(expected).subspan(first, last - first));
      }
      EXPECT_EQ(place_as_ranks(m, parts, edges), expected) << name(m) << ' ' << parts;
    }
  }
}

TEST(Simulate, WholeGraphMethodsPlaceEverythingAtOnce) {
  const auto edges = testing::kronecker_edges(9);
  std::vector<part_id> expected(edges.size());
  make_partitioner(method::metis, 4)->place(edges, expected);
  EXPECT_EQ(place_as_ranks(method::metis, 4, edges), expected);
}

TEST(Simulate, ReportsTimeAndCountsIsolatedVertices) {
  const auto edges = testing::kronecker_edges(9);
  const std::vector<vertex_id> isolated = {1ull << 40, (1ull << 40) + 1};
  const partition_quality with = simulate(method::hdrf, 4, edges, isolated);
  const partition_quality without = simulate(method::hdrf, 4, edges);
  EXPECT_EQ(with.vertices, without.vertices + 2);
  EXPECT_EQ(with.replicas, without.replicas + 2);
  EXPECT_GE(with.seconds, 0.0);
  EXPECT_THROW(simulate(method::hdrf, 0, edges), usage_error);
}

}  // namespace
}  // namespace gasworks::partition
