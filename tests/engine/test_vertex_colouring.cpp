// Vertex colouring for colour-phased execution: exact colours on small
// graphs, validity at distance one and two on real graphs, and agreement
// with a serial greedy colouring in priority order, hand-written and (at
// distance one) Boost.Graph's.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include <tbb/global_control.h>

#include "engine/graph/build_from_edge_list.hpp"
#include "engine/graph/graph_builder.hpp"
#include "engine/io/read_edge_list.hpp"
#include "engine/phased/vertex_colouring.hpp"
#include "tests/support/boost_graph_oracles.hpp"
#include "tests/support/reference_colouring.hpp"
#include "tests/support/shared_datasets.hpp"

namespace gasworks {
namespace {

using edge_pairs = std::vector<std::pair<vertex_id, vertex_id>>;
using colour_map = std::map<vertex_id, std::uint32_t>;
using testing::colouring_conflict;
using testing::reference_colouring;

constexpr colouring_distance both_distances[] = {colouring_distance::one, colouring_distance::two};

graph<char> make_graph(const edge_pairs& edges, std::vector<vertex_id> isolated = {}) {
  graph_builder<empty> b;
  for (auto v : isolated) b.add_vertex(v);
  for (auto [s, t] : edges) b.add_edge(s, t);
  return std::move(b).build<char>();
}

colour_map by_id(const topology& shard, const vertex_colouring& c) {
  colour_map m;
  for (local_id v = 0; v < shard.num_local_vertices(); ++v) m.emplace(shard.global_id(v), c.colour[v]);
  return m;
}

struct coloured {
  colour_map colour;
  std::uint32_t colours;
  std::uint32_t rounds;
};
coloured colour_graph(const edge_pairs& edges, colouring_distance d, std::vector<vertex_id> isolated = {}) {
  auto g = make_graph(edges, std::move(isolated));
  const auto c = colour_vertices(g.structure(), d);
  return {by_id(g.structure(), c), c.colours, c.rounds};
}

// Small ids in descending priority (colouring_priority): 2, 8, 6, 4, 5, 9, 1, 11, 3, 7, 10, 0.
TEST(VertexColouring, PriorityOrderOfSmallIdsIsAsTheCasesBelowAssume) {
  const std::vector<vertex_id> order = {2, 8, 6, 4, 5, 9, 1, 11, 3, 7, 10, 0};
  for (std::size_t i = 1; i < order.size(); ++i)
    EXPECT_GT(colouring_priority(order[i - 1]), colouring_priority(order[i])) << order[i - 1] << " vs " << order[i];
}

TEST(VertexColouring, PathTakesTwoColoursAtDistanceOneAndThreeAtDistanceTwo) {
  // 0 - 1 - 2 - 3 - 4, edges in mixed directions.
  const edge_pairs path = {{0, 1}, {2, 1}, {2, 3}, {4, 3}};
  const auto one = colour_graph(path, colouring_distance::one);
  EXPECT_EQ(one.colour, (colour_map{{0, 0}, {1, 1}, {2, 0}, {3, 1}, {4, 0}}));
  EXPECT_EQ(one.colours, 2u);
  EXPECT_EQ(one.rounds, 3u);  // {2, 4}, then {1, 3}, then {0}
  const auto two = colour_graph(path, colouring_distance::two);
  EXPECT_EQ(two.colour, (colour_map{{0, 2}, {1, 1}, {2, 0}, {3, 2}, {4, 1}}));
  EXPECT_EQ(two.colours, 3u);
  EXPECT_EQ(two.rounds, 3u);  // {2}, then {1, 4}, then {0, 3}
}

TEST(VertexColouring, TriangleTakesThreeColoursInPriorityOrder) {
  for (auto d : both_distances) {
    const auto c = colour_graph({{0, 1}, {1, 2}, {2, 0}}, d);
    EXPECT_EQ(c.colour, (colour_map{{0, 2}, {1, 1}, {2, 0}}));
    EXPECT_EQ(c.colours, 3u);
    EXPECT_EQ(c.rounds, 3u);
  }
}

TEST(VertexColouring, StarNeedsDegreePlusOneColoursAtDistanceTwo) {
  // Centre 0 has the lowest priority, so at distance one every leaf wins
  // the first round.
  edge_pairs star;
  for (vertex_id leaf = 1; leaf <= 8; ++leaf) star.push_back(leaf % 2 ? std::pair{vertex_id{0}, leaf} : std::pair{leaf, vertex_id{0}});
  const auto one = colour_graph(star, colouring_distance::one);
  EXPECT_EQ(one.colour, (colour_map{{0, 1}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {6, 0}, {7, 0}, {8, 0}}));
  EXPECT_EQ(one.rounds, 2u);
  // Every two vertices are within two edges: one colour each, one winner per round.
  const auto two = colour_graph(star, colouring_distance::two);
  EXPECT_EQ(two.colour, (colour_map{{2, 0}, {8, 1}, {6, 2}, {4, 3}, {5, 4}, {1, 5}, {3, 6}, {7, 7}, {0, 8}}));
  EXPECT_EQ(two.colours, 9u);
  EXPECT_EQ(two.rounds, 9u);

  // Centre 2 has the highest priority: it wins alone, then every leaf.
  edge_pairs star2;
  for (vertex_id leaf : {0, 1, 3, 4, 5}) star2.emplace_back(2, leaf);
  const auto centre_first = colour_graph(star2, colouring_distance::one);
  EXPECT_EQ(centre_first.colour, (colour_map{{0, 1}, {1, 1}, {2, 0}, {3, 1}, {4, 1}, {5, 1}}));
  EXPECT_EQ(centre_first.rounds, 2u);
}

TEST(VertexColouring, SelfLoopsAndIsolatedVerticesDoNotConstrain) {
  for (auto d : both_distances) {
    const auto c = colour_graph({{3, 3}, {1, 0}, {0, 1}, {1, 1}}, d, {7});
    EXPECT_EQ(c.colour, (colour_map{{0, 1}, {1, 0}, {3, 0}, {7, 0}}));
    EXPECT_EQ(c.colours, 2u);
  }
}

TEST(VertexColouring, EmptyGraphHasNoColours) {
  const topology nothing;
  const auto c = colour_vertices(nothing, colouring_distance::two);
  EXPECT_TRUE(c.colour.empty());
  EXPECT_EQ(c.colours, 0u);
  EXPECT_EQ(c.rounds, 0u);
}

// A real graph coloured at both distances: valid, equal to the serial
// greedy colouring (ours, and at distance one Boost.Graph's), the same with
// one thread as with many, and at distance two at least one colour more
// than the largest degree.
void check_real_graph(const io::edge_list& input) {
  auto g = build_graph<char>(input);
  const topology& shard = g.structure();
  std::uint32_t max_degree = 0;
  for (local_id v = 0; v < shard.num_local_vertices(); ++v) {
    std::vector<local_id> around;
    detail::for_each_local_neighbour(shard, v, [&](local_id u) { around.push_back(u); });
    std::sort(around.begin(), around.end());
    max_degree = std::max(max_degree, static_cast<std::uint32_t>(std::unique(around.begin(), around.end()) - around.begin()));
  }
  for (auto d : both_distances) {
    SCOPED_TRACE(d == colouring_distance::one ? "distance one" : "distance two");
    const auto c = colour_vertices(shard, d);
    const auto colours = by_id(shard, c);
    const auto conflict = colouring_conflict(input.edges, d, colours);
    EXPECT_FALSE(conflict) << *conflict;
    EXPECT_EQ(colours, reference_colouring(input.edges, d));
    if (d == colouring_distance::one) {
      const auto boost_colours = testing::boost_greedy_colouring(input.edges, input.declared_vertices(), colouring_priority);
      EXPECT_EQ(colours, boost_colours) << "Boost.Graph's sequential_vertex_coloring differs";
    }
    EXPECT_EQ(c.colours, *std::max_element(c.colour.begin(), c.colour.end()) + 1);
    if (d == colouring_distance::two) {
      EXPECT_GE(c.colours, max_degree + 1);
    } else {
      EXPECT_LE(c.colours, max_degree + 1);
    }
    ::testing::Test::RecordProperty(d == colouring_distance::one ? "colours_one" : "colours_two", static_cast<int>(c.colours));
    ::testing::Test::RecordProperty(d == colouring_distance::one ? "rounds_one" : "rounds_two", static_cast<int>(c.rounds));

    tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
    const auto serial = colour_vertices(shard, d);
    EXPECT_EQ(serial.colour, c.colour);
    EXPECT_EQ(serial.rounds, c.rounds);
  }
}

TEST(VertexColouring, CollaborationGraphIsValidAndMatchesTheSerialColouring) {
  GASWORKS_REQUIRE_DATASET(path, "graphs/ca-GrQc.txt");
  check_real_graph(io::read_edge_list(path, io::graph_format::snap));
}

// Directed, with self-loops and edges in both directions.
TEST(VertexColouring, DirectedEmailGraphIsColouredAsUndirected) {
  check_real_graph(io::read_edge_list(std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt",
                                      io::graph_format::snap));
}

}  // namespace
}  // namespace gasworks
