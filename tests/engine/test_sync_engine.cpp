// The synchronous engine: gather directions, messages, signals, termination,
// aggregators, and a user program checked against a serial BFS.
#include <gtest/gtest.h>

#include <deque>
#include <sstream>

#include <tbb/global_control.h>

#include "apps/examples/hop_distance.hpp"
#include "engine/cli/stats_json.hpp"
#include "engine/gas/frontier.hpp"
#include "engine/graph/build_from_edge_list.hpp"
#include "engine/graph/graph_builder.hpp"
#include "engine/io/read_edge_list.hpp"
#include "engine/sync/sync_engine.hpp"
#include "tests/support/message_programs.hpp"
#include "tests/support/shared_datasets.hpp"
#include "tests/support/small_graphs.hpp"
#include "tests/support/summing_programs.hpp"

namespace gasworks {
namespace {

using testing::edge_pairs;
using testing::make_graph;


// Counts the edges a gather visits in the chosen direction.
struct degree_count : program_types<std::uint64_t> {
  using gather_type = std::uint64_t;
  edge_dir dir = edge_dir::none;
  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return dir; }
  template <class C> std::uint64_t gather(const C&, const vertex_type&, const edge_type&) const { return 1; }
  template <class C> void apply(const C&, vertex_type& v, std::uint64_t n) const { v.data() = n; }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> void scatter(const C&, const vertex_type&, edge_type&) const {}
};

TEST(SyncEngine, GatherVisitsTheChosenEdges) {
  const edge_pairs edges = {{0, 1}, {0, 2}, {1, 2}, {2, 0}, {3, 3}};
  for (auto [dir, expected] : std::vector<std::pair<edge_dir, std::vector<std::uint64_t>>>{
           {edge_dir::in, {1, 1, 2, 1}}, {edge_dir::out, {2, 1, 1, 1}}, {edge_dir::all, {3, 2, 3, 2}}, {edge_dir::none, {0, 0, 0, 0}}}) {
    auto g = make_graph<std::uint64_t>(edges);
    degree_count program;
    program.dir = dir;
    sync_engine<degree_count> engine(g, program);
    engine.signal_all();
    auto summary = engine.run();
    EXPECT_EQ(summary.supersteps, 1u);
    EXPECT_EQ(summary.updates, 4u);
    EXPECT_EQ(summary.reason, termination::converged);
    EXPECT_EQ(std::vector<std::uint64_t>(g.vertex_data().begin(), g.vertex_data().end()), expected);
  }
}

using testing::id_sum_message;
using testing::sum_of_in_neighbour_ids;

TEST(SyncEngine, MessagesToOneVertexCombine) {
  edge_pairs edges;
  for (vertex_id s = 1; s <= 300; ++s) edges.emplace_back(s, 0);  // many senders, one receiver
  edges.emplace_back(0, 7);
  auto g = make_graph<id_sum_message>(edges, {1000});
  sync_engine<sum_of_in_neighbour_ids> engine(g, {});
  engine.signal_all();
  auto summary = engine.run();
  EXPECT_EQ(summary.supersteps, 2u);
  EXPECT_EQ(summary.updates, g.num_vertices() + 2);  // all, then the two receivers
  const auto& s = g.structure();
  EXPECT_EQ(g.vertex_data(*s.find(0)).sum, 300u * 301 / 2);
  EXPECT_EQ(g.vertex_data(*s.find(0)).count, 300u);
  EXPECT_EQ(g.vertex_data(*s.find(7)).sum, 0u);
  EXPECT_EQ(g.vertex_data(*s.find(7)).count, 1u);
  EXPECT_EQ(g.vertex_data(*s.find(1000)).count, 0u);
}

// Scatter may write edge data: each superstep adds 1 to every out-edge.
struct count_visits : program_types<int, int> {
  using gather_type = empty;
  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> empty gather(const C&, const vertex_type&, const edge_type&) const { return {}; }
  template <class C> void apply(const C&, vertex_type&, empty) const {}
  template <class C> edge_dir scatter_edges(const C&, const vertex_type&) const { return edge_dir::out; }
  template <class C> void scatter(const C& ctx, const vertex_type&, edge_type& e) const {
    e.data() += 1;
    if (ctx.iteration() == 4) ctx.stop();
    ctx.signal(e.target());
  }
};

TEST(SyncEngine, ScatterWritesEdgeDataAndStopEndsTheRun) {
  auto g = make_graph<int, int>({{0, 1}, {1, 0}, {1, 2}});
  sync_engine<count_visits> engine(g, {});
  engine.signal_all();
  auto summary = engine.run();
  EXPECT_EQ(summary.reason, termination::stopped);
  EXPECT_EQ(summary.supersteps, 5u);
  EXPECT_EQ(g.edge_data(0), 5);  // 0 -> 1 is active every superstep
  EXPECT_EQ(g.edge_data(1), 5);  // 1 -> 0
}

engine_options limit_iterations(std::uint64_t n) {
  engine_options o;
  o.max_iterations = n;
  return o;
}

TEST(SyncEngine, MaxIterationsTimeoutAndEmptyFrontier) {
  auto g = make_graph<int, int>({{0, 1}, {1, 0}});
  {
    sync_engine<count_visits> engine(g, {}, limit_iterations(3));
    engine.signal_all();
    auto summary = engine.run();
    EXPECT_EQ(summary.reason, termination::max_iterations);
    EXPECT_EQ(summary.supersteps, 3u);
  }
  {
    engine_options no_time;
    no_time.timeout_seconds = 0.0;
    sync_engine<count_visits> engine(g, {}, no_time);
    engine.signal_all();
    auto summary = engine.run();
    EXPECT_EQ(summary.reason, termination::timeout);
    EXPECT_EQ(summary.supersteps, 0u);
  }
  {
    sync_engine<count_visits> engine(g, {});
    auto summary = engine.run();  // nothing signalled
    EXPECT_EQ(summary.reason, termination::converged);
    EXPECT_EQ(summary.updates, 0u);
  }
}

TEST(SyncEngine, AggregatorsRunEveryKSuperstepsAndReport) {
  auto g = make_graph<int, int>({{0, 1}, {1, 2}, {2, 0}});
  sync_engine<count_visits> engine(g, {}, limit_iterations(4));
  std::vector<double> seen;
  engine.add_aggregator("vertices", 2, [](const auto&) { return 1.0; }, [&](double total) { seen.push_back(total); });
  std::vector<superstep_report> reports;
  engine.on_superstep([&](const superstep_report& r) { reports.push_back(r); });
  engine.signal_all();
  engine.run();
  EXPECT_EQ(seen, (std::vector<double>{3, 3}));
  ASSERT_EQ(reports.size(), 4u);
  for (const auto& r : reports) {
    EXPECT_EQ(r.active, 3u);
    const bool due = r.superstep % 2 == 1;
    ASSERT_EQ(r.metrics.size(), due ? 1u : 0u) << "superstep " << r.superstep;
    if (due) {
      EXPECT_EQ(r.metrics[0], (std::pair<std::string, double>{"vertices", 3.0}));
    }
  }
}

TEST(SyncEngine, SignallingAnUnknownVertexIsAnError) {
  auto g = make_graph<int, int>({{0, 1}});
  sync_engine<count_visits> engine(g, {});
  EXPECT_THROW(engine.signal(42), usage_error);
}

TEST(VertexReductions, SumIsIdenticalForAnyThreadCount) {
  graph_builder<> b;
  for (vertex_id v = 0; v < 100'000; ++v) b.add_edge(v, (v * 7919) % 100'000);
  auto g = std::move(b).build<double>();
  transform_vertices(g, [](auto& v) { v.data() = 1.0 / static_cast<double>(v.id() + 1); });
  std::vector<double> sums;
  for (int threads : {1, 2, 3}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    sums.push_back(map_reduce_vertices(g, [](const auto& v) { return v.data(); }));
  }
  EXPECT_EQ(sums[0], sums[1]);
  EXPECT_EQ(sums[0], sums[2]);
  EXPECT_NEAR(sums[0], 12.090146129863428, 1e-12);  // H(100000)
}

TEST(Frontier, SparseAndDenseTraversalsVisitExactlyTheMembers) {
  for (std::size_t members : {0, 3, 500, 5000}) {
    frontier f(5000);
    std::vector<int> expected(5000, 0);
    for (std::size_t i = 0; i < members; ++i) {
      const auto v = static_cast<local_id>((i * 2654435761u) % 5000);
      expected[v] = 1;
      f.insert(v);
      EXPECT_FALSE(f.insert(v));
    }
    std::vector<std::atomic<int>> visits(5000);
    f.parallel_for_each(f.count(), [&](local_id v) { visits[v].fetch_add(1); });
    for (local_id v = 0; v < 5000; ++v) ASSERT_EQ(visits[v].load(), expected[v]) << v;
    EXPECT_EQ(f.contains(4999), expected[4999] == 1);
  }
  frontier all(130);
  all.insert_all();
  EXPECT_EQ(all.count(), 130u);
  all.clear();
  EXPECT_TRUE(all.empty());
}

TEST(Frontier, SumOverMembersIsTheSerialSumForAnyThreadCount) {
  const local_id n = 200'000;
  for (std::size_t stride : {1u, 7u, 997u}) {  // dense, dense, sparse
    SCOPED_TRACE(stride);
    frontier f(n);
    double serial = 0;
    for (local_id v = 0; v < n; v += static_cast<local_id>(stride)) {
      f.insert(v);
      serial += 1.0 / (v + 1.0);
    }
    const std::vector<std::size_t> bounds = f.balanced_word_bounds(std::vector<std::uint64_t>(n + 1, 0), 8);
    std::vector<double> sums;
    for (int threads : {1, 2, 3}) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
      const auto term = [](local_id v) { return 1.0 / (v + 1.0); };
      sums.push_back(f.parallel_sum_each<double>(f.count(), term));
      sums.push_back(f.parallel_sum_each<double>(f.count(), term, bounds));
    }
    for (double s : sums) {
      EXPECT_NEAR(s, serial, 1e-12);
      EXPECT_EQ(s == sums[0] || s == sums[1], true);  // one result per split, whatever the thread count
    }
    EXPECT_EQ(sums[0], sums[2]);
    EXPECT_EQ(sums[0], sums[4]);
    EXPECT_EQ(sums[1], sums[3]);
    EXPECT_EQ(sums[1], sums[5]);
  }
}

TEST(SyncEngine, EndSuperstepReadsTheSumOfWhatAppliesReturned) {
  const edge_pairs edges = {{0, 1}, {0, 2}, {1, 2}, {2, 0}, {3, 3}, {3, 2}};
  auto g = make_graph<std::uint64_t>(edges, {4});
  testing::in_edge_tally program;
  sync_engine<testing::in_edge_tally> engine(g, program);
  engine.signal_all();
  const auto summary = engine.run();
  EXPECT_EQ(summary.supersteps, 2u);
  // Superstep 0: all 5 vertices and all 6 edges; superstep 1: ids 0, 2, 4,
  // whose in-edges are 2->0 and 0->2, 1->2, 3->2.
  EXPECT_EQ(*program.sums, (std::vector<testing::applied_tally>{{5, 6}, {3, 4}}));
}

// Runs published_diffusion for 8 supersteps from x(v) = id + 1; returns the
// values and, per superstep, whether it had an apply phase of its own.
template <bool Fused>
std::pair<std::vector<double>, std::vector<bool>> diffuse(const edge_pairs& edges, std::vector<std::uint64_t> partial_supersteps) {
  auto g = make_graph<double>(edges);
  transform_vertices(g, [](auto& v) { v.data() = static_cast<double>(v.id() + 1); });
  testing::published_diffusion<Fused> program;
  program.partial_supersteps = std::move(partial_supersteps);
  engine_options limits;
  limits.max_iterations = 8;
  sync_engine<testing::published_diffusion<Fused>> engine(g, program, limits);
  std::vector<bool> applied_apart;
  engine.on_superstep([&](const superstep_report& r) { applied_apart.push_back(r.times[phase::apply] > 0); });
  engine.signal_all();
  engine.run();
  return {std::vector<double>(g.vertex_data().begin(), g.vertex_data().end()), applied_apart};
}

TEST(SyncEngine, FusedGatherApplyEqualsSeparatePhases) {
  edge_pairs edges;
  for (vertex_id v = 0; v < 3000; ++v) {
    edges.emplace_back(v, (v * 7919 + 13) % 3000);
    edges.emplace_back(v, (v * 104729 + 7) % 3000);
    if (v % 10 == 0) edges.emplace_back((v * 31) % 3000, 0);  // a hub
  }
  for (const std::vector<std::uint64_t>& partial : {std::vector<std::uint64_t>{}, std::vector<std::uint64_t>{2, 3, 6}}) {
    SCOPED_TRACE(partial.size());
    const auto [separate, separate_phases] = diffuse<false>(edges, partial);
    EXPECT_EQ(separate_phases, std::vector<bool>(8, true));
    for (int threads : {1, 2, 4}) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
      const auto [fused, fused_phases] = diffuse<true>(edges, partial);
      EXPECT_EQ(fused, separate) << threads << " threads";
      // Only the supersteps with a partial frontier have an apply phase of their own.
      std::vector<bool> expected(8, false);
      for (auto step : partial) expected[step] = true;
      EXPECT_EQ(fused_phases, expected);
    }
  }
}

std::vector<std::uint32_t> serial_bfs(const topology& s, local_id source) {
  std::vector<std::uint32_t> hops(s.num_local_vertices(), hops::unreached);
  std::deque<local_id> queue{source};
  hops[source] = 0;
  while (!queue.empty()) {
    const local_id v = queue.front();
    queue.pop_front();
    for (edge_index e = s.out_begin(v); e < s.out_end(v); ++e) {
      const local_id t = s.out_target(e);
      if (hops[t] == hops::unreached) {
        hops[t] = hops[v] + 1;
        queue.push_back(t);
      }
    }
  }
  return hops;
}

std::vector<std::uint32_t> engine_bfs(graph<hops::vertex_state>& g, local_id source) {
  g.vertex_data(source).hops = 0;
  sync_engine<hops::program> engine(g, {});
  for (auto e = g.structure().out_begin(source); e < g.structure().out_end(source); ++e)
    engine.signal(g.structure().global_id(g.structure().out_target(e)));
  engine.run();
  std::vector<std::uint32_t> result;
  for (const auto& d : g.vertex_data()) result.push_back(d.hops);
  return result;
}

TEST(UserProgram, HopDistanceOnATinyGraph) {
  auto g = make_graph<hops::vertex_state>({{0, 1}, {1, 2}, {0, 3}, {3, 2}, {2, 4}, {5, 0}}, {6});
  EXPECT_EQ(engine_bfs(g, 0), (std::vector<std::uint32_t>{0, 1, 2, 1, 3, hops::unreached, hops::unreached}));
}

TEST(UserProgram, HopDistanceEqualsSerialBfsOnCaGrQc) {
  GASWORKS_REQUIRE_DATASET(path, "graphs/ca-GrQc.txt");
  auto g = build_graph<hops::vertex_state>(io::read_edge_list(path, io::graph_format::snap));
  const local_id source = *g.structure().find(3466);
  const auto expected = serial_bfs(g.structure(), source);
  EXPECT_EQ(engine_bfs(g, source), expected);
}

TEST(StatsJson, OneObjectPerLine) {
  superstep_report r;
  r.superstep = 2;
  r.active = 10;
  r.elapsed = 0.5;
  r.times[phase::gather] = 0.25;
  r.metrics.emplace_back("l1_change", 1e-3);
  std::ostringstream out;
  write_json_line(out, r);
  EXPECT_EQ(out.str(),
            "{\"superstep\":2,\"active\":10,\"elapsed_s\":0.5,\"phase_s\":{\"init\":0,\"gather\":0.25,\"apply\":0,"
            "\"scatter\":0,\"exchange\":0,\"hooks\":0},\"metrics\":{\"l1_change\":0.001}}\n");
}

}  // namespace
}  // namespace gasworks
