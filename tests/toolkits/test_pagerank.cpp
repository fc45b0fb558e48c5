// PageRank: exact values on hand-solved graphs, agreement with the serial
// reference on real graphs, the fixed-point property, thread independence.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <string_view>
#include <numeric>

#include <tbb/global_control.h>

#include "engine/graph/build_from_edge_list.hpp"
#include "engine/io/read_edge_list.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/pagerank/pagerank.hpp"
#include "toolkits/pagerank/pagerank_reference.hpp"

namespace gasworks::pagerank {
namespace {

using graph_type = program::graph_type;
using edge_pairs = std::vector<std::pair<vertex_id, vertex_id>>;

io::edge_list make_list(edge_pairs edges, std::vector<vertex_id> vertices = {}) {
  io::edge_list list;
  list.edges = std::move(edges);
  list.vertices = std::move(vertices);
  return list;
}

std::vector<double> ranks_of(const graph_type& g) {
  std::vector<double> r;
  for (const auto& d : g.vertex_data()) r.push_back(d.rank);
  return r;
}

options fixed(std::uint64_t iterations) {
  options o;
  o.run_mode = mode::fixed;
  o.iterations = iterations;
  return o;
}

options converge(double tolerance) {
  options o;
  o.run_mode = mode::converge;
  o.tolerance = tolerance;
  return o;
}

TEST(PageRank, CycleKeepsUniformRanks) {
  auto g = build_graph<vertex_state>(make_list({{0, 1}, {1, 2}, {2, 0}}));
  auto summary = run(g, fixed(7));
  EXPECT_EQ(summary.supersteps, 7u);
  EXPECT_EQ(summary.reason, termination::max_iterations);
  for (double r : ranks_of(g)) EXPECT_NEAR(r, 1.0 / 3, 1e-15);
}

// 0 <-> 1, 1 -> 2; vertex 2 dangles and vertex 3 is isolated. Solving the
// four linear equations x = (1-d)/n + d (P x + D/n) by hand (d = 0.85, n = 4,
// D = x2 + x3) gives x = (1140, 1480, 1140, 511) / 4271.
io::edge_list dangling_and_isolated() { return make_list({{0, 1}, {1, 0}, {1, 2}}, {3}); }

TEST(PageRank, ConvergesToHandSolvedRanksWithDanglingAndIsolatedVertices) {
  auto g = build_graph<vertex_state>(dangling_and_isolated());
  auto summary = run(g, converge(1e-15));
  EXPECT_EQ(summary.reason, termination::stopped);
  const std::vector<double> expected = {1140.0 / 4271, 1480.0 / 4271, 1140.0 / 4271, 511.0 / 4271};
  auto ranks = ranks_of(g);
  for (std::size_t v = 0; v < 4; ++v) EXPECT_NEAR(ranks[v], expected[v], 1e-14) << "vertex " << v;
  EXPECT_NEAR(std::accumulate(ranks.begin(), ranks.end(), 0.0), 1.0, 1e-14);
}

TEST(PageRank, OneStepFromUniformByHand) {
  // From 1/4 each: D = 1/2, so x0 = x2 = .0375 + .85 (1/8 + 1/8), x1 = .0375 + .85 (1/4 + 1/8), x3 = .0375 + .85/8.
  auto g = build_graph<vertex_state>(dangling_and_isolated());
  run(g, fixed(1));
  auto ranks = ranks_of(g);
  EXPECT_NEAR(ranks[0], 0.0375 + 0.85 * 0.25, 1e-16);
  EXPECT_NEAR(ranks[1], 0.0375 + 0.85 * 0.375, 1e-16);
  EXPECT_NEAR(ranks[2], 0.0375 + 0.85 * 0.25, 1e-16);
  EXPECT_NEAR(ranks[3], 0.0375 + 0.85 * 0.125, 1e-16);
}

TEST(PageRank, SelfLoopsAndDuplicatesFollowThePolicy) {
  const edge_pairs edges = {{0, 0}, {0, 1}, {0, 1}, {1, 0}, {2, 1}};
  for (auto loops : {ingress_policy::self_loops::keep, ingress_policy::self_loops::drop}) {
    for (auto dups : {ingress_policy::duplicates::drop, ingress_policy::duplicates::keep}) {
      ingress_policy policy{loops, dups, false};
      auto g = build_graph<vertex_state>(make_list(edges), policy);
      run(g, fixed(25));
      reference oracle(edges, {}, policy);
      auto expected = oracle.iterate(25, 0.85);
      auto ranks = ranks_of(g);
      for (std::size_t v = 0; v < expected.size(); ++v) EXPECT_NEAR(ranks[v], expected[v], 1e-15);
    }
  }
}

TEST(PageRank, DampingZeroGivesUniformRanksAndOutOfRangeIsRejected) {
  auto g = build_graph<vertex_state>(dangling_and_isolated());
  options o = fixed(1);
  o.damping = 0;
  run(g, o);
  for (double r : ranks_of(g)) EXPECT_DOUBLE_EQ(r, 0.25);
  o.damping = 1.5;
  EXPECT_THROW(run(g, o), usage_error);
}

// A file the project ships (datasets/) is read from there, so that a fresh
// clone runs its tests without ../shared; others come from ../shared.
TEST(SharedDatasets, AShippedFileIsReadFromTheProject) {
  using ::gasworks::testing::dataset_path;
  EXPECT_EQ(dataset_path("graphs/email-Eu-core.txt"), ::gasworks::testing::project_datasets() / "email-Eu-core.txt");
  EXPECT_EQ(dataset_path("factor-graphs/uai2014/ObjectDetection_11.uai"),
            ::gasworks::testing::project_datasets() / "uai" / "ObjectDetection_11.uai");
  EXPECT_EQ(dataset_path("graphs/ca-GrQc.txt"), ::gasworks::testing::shared_datasets() / "graphs" / "ca-GrQc.txt");
}

class RealGraph : public ::testing::TestWithParam<const char*> {};

TEST_P(RealGraph, MatchesSerialReferenceAndIsAFixedPoint) {
  GASWORKS_REQUIRE_DATASET(path, std::string("graphs/") + GetParam());
  const auto list = io::read_edge_list(path, io::graph_format::snap);
  const reference oracle(list.edges, list.vertices);

  auto g = build_graph<vertex_state>(list);
  ASSERT_EQ(g.structure().num_local_vertices(), oracle.ids().size());
  for (local_id v = 0; v < g.structure().num_local_vertices(); ++v) ASSERT_EQ(g.structure().global_id(v), oracle.ids()[v]);

  // Fixed iterations.
  run(g, fixed(30));
  const auto expected_fixed = oracle.iterate(30, 0.85);
  auto ranks = ranks_of(g);
  for (std::size_t v = 0; v < ranks.size(); ++v) ASSERT_NEAR(ranks[v], expected_fixed[v], 1e-9) << "vertex " << oracle.ids()[v];

  // Until convergence: same number of steps, same ranks, sum 1, and one more
  // serial step moves the result by less than the tolerance.
  const double tol = 1e-10;
  auto summary = run(g, converge(tol));
  const auto [expected, steps] = oracle.converge(tol, 0.85, 1000);
  EXPECT_EQ(summary.supersteps, steps);
  ranks = ranks_of(g);
  for (std::size_t v = 0; v < ranks.size(); ++v) ASSERT_NEAR(ranks[v], expected[v], 1e-9);
  EXPECT_NEAR(std::accumulate(ranks.begin(), ranks.end(), 0.0), 1.0, 1e-9);
  EXPECT_LT(reference::l1_distance(oracle.step(ranks, 0.85), ranks), tol);
}

TEST_P(RealGraph, DynamicModeReachesTheConvergedRanks) {
  GASWORKS_REQUIRE_DATASET(path, std::string("graphs/") + GetParam());
  const auto list = io::read_edge_list(path, io::graph_format::snap);
  auto exact = build_graph<vertex_state>(list);
  run(exact, converge(1e-13));
  auto g = build_graph<vertex_state>(list);
  options o;
  o.run_mode = mode::dynamic;
  o.tolerance = 1e-10;
  auto summary = run(g, o);
  EXPECT_EQ(summary.reason, termination::converged);
  // Dynamic updates touch fewer vertices than full sweeps to the same accuracy.
  EXPECT_LT(summary.updates, summary.supersteps * g.structure().num_local_vertices());
  const auto a = ranks_of(g), b = ranks_of(exact);
  double worst = 0;
  for (std::size_t v = 0; v < a.size(); ++v) worst = std::max(worst, std::abs(a[v] - b[v]));
  EXPECT_LT(worst, 1e-7);
}

std::size_t largest_id_plus_one(const io::edge_list& list) {
  vertex_id largest = 0;
  for (auto [s, t] : list.edges) largest = std::max({largest, s, t});
  return static_cast<std::size_t>(largest) + 1;
}

TEST_P(RealGraph, AsynchronousDynamicModeReachesTheConvergedRanksWithEveryScheduler) {
  GASWORKS_REQUIRE_DATASET(path, std::string("graphs/") + GetParam());
  const auto list = io::read_edge_list(path, io::graph_format::snap);
  auto exact = build_graph<vertex_state>(list);
  run(exact, converge(1e-13));
  const auto b = ranks_of(exact);
  // Every scheduler on 1, 2 and 4 threads on the small graph; on the large
  // one, each scheduler once (the priority heap is the slowest per update).
  const bool small = largest_id_plus_one(list) < 10000;
  for (auto scheduler : {scheduler_kind::fifo, scheduler_kind::sweep, scheduler_kind::priority})
    for (int threads : {1, 2, 4}) {
      if (!small && threads != (scheduler == scheduler_kind::priority ? 1 : 2)) continue;
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
      auto g = build_graph<vertex_state>(list);
      options o;
      o.run_mode = mode::dynamic;
      o.tolerance = 1e-10;
      o.asynchronous = async_choice{};
      o.asynchronous->scheduler.kind = scheduler;
      const auto summary = run(g, o);
      EXPECT_EQ(summary.reason, termination::converged);
      const auto a = ranks_of(g);
      double worst = 0;
      for (std::size_t v = 0; v < a.size(); ++v) worst = std::max(worst, std::abs(a[v] - b[v]));
      EXPECT_LT(worst, 1e-7) << to_string(scheduler) << ", " << threads << " threads";
      EXPECT_NEAR(std::accumulate(a.begin(), a.end(), 0.0), 1.0, 1e-10);
    }
}

TEST_P(RealGraph, IdenticalForOneTwoAndFourThreads) {
  GASWORKS_REQUIRE_DATASET(path, std::string("graphs/") + GetParam());
  const auto list = io::read_edge_list(path, io::graph_format::snap);
  std::vector<std::vector<double>> results;
  for (int threads : {1, 2, 4}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    auto g = build_graph<vertex_state>(list);
    run(g, converge(1e-10));
    results.push_back(ranks_of(g));
  }
  EXPECT_EQ(results[0], results[1]);  // bit for bit
  EXPECT_EQ(results[0], results[2]);
}

std::string dataset_test_name(const ::testing::TestParamInfo<const char*>& param) {
  std::string name;
  for (char c : std::string_view(param.param).substr(0, std::string_view(param.param).find('.')))
    if (std::isalnum(static_cast<unsigned char>(c))) name.push_back(c);
  return name;
}

INSTANTIATE_TEST_SUITE_P(Snap, RealGraph, ::testing::Values("email-Eu-core.txt", "soc-Epinions1.txt.gz"), dataset_test_name);

}  // namespace
}  // namespace gasworks::pagerank
