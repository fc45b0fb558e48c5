// The asynchronous engine on one rank: consistency models proven by a
// conflict detector, schedulers' orders, priorities and messages,
// termination, limits and periodic aggregators.
#include <gtest/gtest.h>

#include <atomic>
#include <numeric>
#include <vector>

#include <tbb/global_control.h>

#include "engine/async_engine.hpp"
#include "engine/generators/kronecker.hpp"
#include "engine/graph/build_from_edge_list.hpp"
#include "engine/graph/graph_builder.hpp"
#include "engine/io/read_edge_list.hpp"
#include "tests/support/async_programs.hpp"
#include "tests/support/order_log.hpp"
#include "tests/support/run_async.hpp"
#include "tests/support/shared_datasets.hpp"
#include "tests/support/small_graphs.hpp"

namespace gasworks {
namespace {

using testing::edge_pairs;
using testing::make_graph;
using testing::conflict_detector;
using testing::greedy_colouring;
using testing::no_colour;
using testing::signal_along_chain;

edge_pairs project_graph_edges() {
  const auto list = io::read_edge_list(std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt",
                                       io::graph_format::snap);
  return list.edges;
}

// Runs the conflict detector over `edges` and returns the violations seen.
std::uint64_t detect_conflicts(const edge_pairs& edges, consistency_model model, scheduler_kind scheduler, int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const auto neighbours = testing::undirected_neighbours(edges);
  std::vector<std::uint32_t> in_flight(neighbours.size(), 0);
  std::atomic<std::uint64_t> violations{0};
  conflict_detector program;
  program.in_flight = in_flight.data();
  program.neighbours = &neighbours;
  program.distance = model == consistency_model::full ? 2 : 1;
  program.violations = &violations;
  program.pause = std::chrono::microseconds(5);
  auto g = make_graph<std::uint32_t>(edges);
  const auto summary = testing::run_async(g, program, {.consistency = model}, {.kind = scheduler});
  EXPECT_EQ(summary.reason, termination::converged);
  for (auto runs : g.vertex_data()) EXPECT_GE(runs, 1u);
  EXPECT_GT(summary.updates, g.num_vertices());
  return violations.load();
}

TEST(AsyncEngine, EdgeAndFullConsistencyKeepApartWhatTheyPromise) {
  const auto edges = project_graph_edges();
  const std::vector<std::pair<int, scheduler_kind>> runs = {
      {1, scheduler_kind::fifo}, {2, scheduler_kind::fifo}, {4, scheduler_kind::fifo},
      {4, scheduler_kind::sweep}, {4, scheduler_kind::priority}};
  for (auto [threads, scheduler] : runs) {
    EXPECT_EQ(detect_conflicts(edges, consistency_model::edge, scheduler, threads), 0u)
        << threads << " threads, " << to_string(scheduler);
    EXPECT_EQ(detect_conflicts(edges, consistency_model::full, scheduler, threads), 0u)
        << threads << " threads, " << to_string(scheduler);
  }
}

TEST(AsyncEngine, VertexConsistencyLetsNeighboursRunTogether) {
  // The detector can fail: without neighbour locks it sees neighbours in flight.
  EXPECT_GT(detect_conflicts(project_graph_edges(), consistency_model::vertex, scheduler_kind::fifo, 4), 0u);
}

std::uint64_t colouring_conflicts(const graph<std::uint32_t>& g) {
  const auto& s = g.structure();
  std::uint64_t bad = 0;
  for (local_id v = 0; v < s.num_local_vertices(); ++v) {
    if (g.vertex_data(v) == no_colour) ++bad;
    for (edge_index e = s.out_begin(v); e != s.out_end(v); ++e)
      if (s.out_target(e) != v && g.vertex_data(s.out_target(e)) == g.vertex_data(v)) ++bad;
  }
  return bad;
}

TEST(AsyncEngine, GreedyColouringUnderEdgeConsistencyIsValidEveryRun) {
  for (const char* name : {"graphs/ca-GrQc.txt", "graphs/soc-Epinions1.txt.gz"}) {
    GASWORKS_REQUIRE_DATASET(path, name);
    const auto list = io::read_edge_list(path, io::graph_format::snap);
    for (int threads : {1, 2, 4}) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
      auto g = build_graph<std::uint32_t>(list);
      for (auto& c : g.vertex_data()) c = no_colour;
      async_engine<greedy_colouring> engine(g, greedy_colouring{}, async_options{.consistency = consistency_model::edge});
      engine.signal_all();
      const auto summary = engine.run();
      EXPECT_EQ(summary.reason, termination::converged);
      // One pass: no vertex ever needed recolouring.
      EXPECT_EQ(summary.updates, g.num_vertices()) << name << ", " << threads << " threads";
      EXPECT_EQ(colouring_conflicts(g), 0u) << name << ", " << threads << " threads";
    }
  }
}

TEST(AsyncEngine, ChainSignalsTerminateWithTheExactUpdateCount) {
  edge_pairs chain;
  for (vertex_id v = 0; v + 1 < 500; ++v) chain.emplace_back(v, v + 1);
  for (int threads : {1, 2, 4})
    for (auto scheduler : {scheduler_kind::fifo, scheduler_kind::sweep, scheduler_kind::priority}) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
      auto g = make_graph<std::uint32_t>(chain);
      const auto summary = testing::run_async(g, signal_along_chain{}, {.consistency = consistency_model::vertex},
                                              {.kind = scheduler}, [](auto& engine) { engine.signal(0); });
      EXPECT_EQ(summary.reason, termination::converged);
      EXPECT_EQ(summary.updates, 500u);
      for (auto runs : g.vertex_data()) EXPECT_EQ(runs, 1u);
    }
}

std::vector<vertex_id> run_order(scheduler_kind scheduler, double min_priority, sweep_order order = sweep_order::by_id) {
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  // Vertex 1, when it runs, raises vertex 5 above every other and signals 6 low.
  auto g = make_graph<std::uint32_t>({{1, 5}, {1, 6}}, {0, 2, 3, 4});
  std::vector<vertex_id> log;
  testing::order_log program;
  program.log = &log;
  program.raiser = 1;
  program.raised = 10;
  scheduler_choice choice{.kind = scheduler};
  choice.priority.min_priority = min_priority;
  choice.sweep.order = order;
  testing::run_async(g, program, {.consistency = consistency_model::edge}, choice, [](auto& engine) {
    const std::vector<std::pair<vertex_id, double>> signals = {{0, 0.5}, {2, 1}, {3, 2.5}, {4, 3}, {1, 3}, {5, 0.1}};
    for (auto [v, p] : signals) engine.signal(v, priority{p});
  });
  return log;
}

TEST(AsyncEngine, PrioritySchedulerRunsTheLargestPriorityFirst) {
  // 1 and 4 tie at 3: the smaller id first. 1 raises 5 to 10 (the maximum of
  // its 0.1 and 10), so 5 runs next; 6 gets 10 too and follows.
  EXPECT_EQ(run_order(scheduler_kind::priority, 0), (std::vector<vertex_id>{1, 5, 6, 4, 3, 2, 0}));
}

TEST(AsyncEngine, FifoAndSweepIgnorePriorities) {
  // Signals before the run enter in id order; 5 was already queued when 1 ran.
  EXPECT_EQ(run_order(scheduler_kind::fifo, 0), (std::vector<vertex_id>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(run_order(scheduler_kind::sweep, 0), (std::vector<vertex_id>{0, 1, 2, 3, 4, 5, 6}));
  // In a shuffled sweep, 5 runs twice if it came before 1.
  auto shuffled = run_order(scheduler_kind::sweep, 0, sweep_order::shuffled);
  const auto at = [&](vertex_id v) { return std::find(shuffled.begin(), shuffled.end(), v) - shuffled.begin(); };
  EXPECT_EQ(shuffled.size(), at(5) < at(1) ? 8u : 7u);
  std::sort(shuffled.begin(), shuffled.end());
  shuffled.erase(std::unique(shuffled.begin(), shuffled.end()), shuffled.end());
  EXPECT_EQ(shuffled, (std::vector<vertex_id>{0, 1, 2, 3, 4, 5, 6}));
}

TEST(AsyncEngine, MinPriorityDropsWeakSignals) {
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  auto g = make_graph<std::uint32_t>({{0, 1}, {0, 2}});
  std::vector<vertex_id> log;
  testing::order_log program;
  program.log = &log;
  program.raiser = 0;
  program.raised = 0.5;
  async_engine<testing::order_log, priority_scheduler> engine(g, program, {.consistency = consistency_model::edge}, {.min_priority = 1});
  engine.signal(0);  // signals before the run are never dropped
  const auto summary = engine.run();
  EXPECT_EQ(log, (std::vector<vertex_id>{0}));
  EXPECT_EQ(summary.updates, 1u);
}

// Messages to one vertex combine with +=, priorities by the program's rule.
struct summed_priorities : program_types<double> {
  using gather_type = empty;
  using message_type = double;
  static constexpr priority_rule priority_combine = priority_rule::sum;
  std::vector<vertex_id>* log = nullptr;
  template <class C> void init(const C&, vertex_type& v, const double& m) const { v.data() += m; }
  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> empty gather(const C&, const vertex_type&, const edge_type&) const { return {}; }
  template <class C> void apply(const C&, vertex_type& v, empty) const { log->push_back(v.id()); }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> void scatter(const C&, const vertex_type&, edge_type&) const {}
};

TEST(AsyncEngine, MessagesAddUpAndPrioritiesFollowTheProgramsRule) {
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  auto g = make_graph<double>({}, {0, 1});
  std::vector<vertex_id> log;
  summed_priorities program;
  program.log = &log;
  async_engine<summed_priorities, priority_scheduler> engine(g, program, async_options{.consistency = consistency_model::edge});
  engine.signal(0, 1.5, priority{2});
  engine.signal(1, 0.25, priority{3});
  engine.signal(0, 2.0, priority{2});  // 0 now has priority 4 > 3
  engine.run();
  EXPECT_EQ(log, (std::vector<vertex_id>{0, 1}));
  EXPECT_EQ(g.vertex_data(0), 3.5);
  EXPECT_EQ(g.vertex_data(1), 0.25);
}

TEST(AsyncEngine, MaxUpdatesStopsExactlyAndTheNextRunGoesOn) {
  edge_pairs chain;
  for (vertex_id v = 0; v + 1 < 300; ++v) chain.emplace_back(v, v + 1);
  tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
  auto g = make_graph<std::uint32_t>(chain);
  async_options o{.consistency = consistency_model::edge};
  o.max_updates = 120;
  async_engine<signal_along_chain> engine(g, signal_along_chain{}, o);
  engine.signal(0);
  const auto first = engine.run();
  EXPECT_EQ(first.reason, termination::max_updates);
  EXPECT_EQ(first.updates, 120u);
  const auto second = engine.run();
  EXPECT_EQ(second.reason, termination::max_updates);
  EXPECT_EQ(second.updates, 120u);
  const auto third = engine.run();
  EXPECT_EQ(third.reason, termination::converged);
  EXPECT_EQ(third.updates, 60u);
  for (auto runs : g.vertex_data()) EXPECT_EQ(runs, 1u);
}

// Stops the run from inside a program.
struct stop_at_vertex : signal_along_chain {
  vertex_id at = 0;
  template <class C> void apply(const C& ctx, vertex_type& v, empty) const {
    ++v.data();
    if (v.id() == at) ctx.stop();
  }
};

TEST(AsyncEngine, StopAndTimeoutEndTheRun) {
  edge_pairs chain;
  for (vertex_id v = 0; v + 1 < 100; ++v) chain.emplace_back(v, v + 1);
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  {
    auto g = make_graph<std::uint32_t>(chain);
    stop_at_vertex program;
    program.at = 40;
    async_engine<stop_at_vertex> engine(g, program);
    engine.signal(0);
    const auto summary = engine.run();
    EXPECT_EQ(summary.reason, termination::stopped);
    EXPECT_EQ(summary.updates, 41u);
  }
  {
    auto g = make_graph<std::uint32_t>(chain);
    async_options o;
    o.timeout_seconds = 0;
    async_engine<signal_along_chain> engine(g, signal_along_chain{}, o);
    engine.signal(0);
    const auto summary = engine.run();
    EXPECT_EQ(summary.reason, termination::timeout);
    EXPECT_EQ(summary.updates, 1u);  // the limit is checked after each update
  }
}

TEST(AsyncEngine, SignallingAnUnknownVertexIsAUsageError) {
  auto g = make_graph<std::uint32_t>({{0, 1}});
  async_engine<signal_along_chain> engine(g, signal_along_chain{});
  EXPECT_THROW(engine.signal(7), usage_error);
}

TEST(AsyncEngine, AggregatorsRunPeriodicallyAndAtTheEnd) {
  edge_pairs chain;
  for (vertex_id v = 0; v + 1 < 1000; ++v) chain.emplace_back(v, v + 1);
  for (int threads : {1, 2, 4}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    auto g = make_graph<std::uint32_t>(chain);
    async_options o;
    o.report_every_updates = 250;
    async_engine<signal_along_chain> engine(g, signal_along_chain{}, o);
    std::vector<std::uint64_t> done;
    engine.add_aggregator("done", aggregation_period{100, 0}, [](const auto& v) { return std::uint64_t{v.data()}; },
                          [&](std::uint64_t total) { done.push_back(total); });
    std::vector<superstep_report> reports;
    engine.on_progress([&](const superstep_report& r) { reports.push_back(r); });
    engine.signal(0);
    const auto summary = engine.run();
    ASSERT_EQ(summary.updates, 1000u);
    // Every 100 updates, then at the end. The worker that reaches a multiple
    // of 100 pauses the others, each of which may finish one more update.
    ASSERT_EQ(done.size(), 11u);
    for (std::size_t i = 0; i + 1 < done.size(); ++i) {
      EXPECT_GE(done[i], 100 * (i + 1)) << threads << " threads";
      EXPECT_LT(done[i], 100 * (i + 1) + static_cast<std::uint64_t>(threads)) << threads << " threads";
    }
    EXPECT_EQ(done.back(), 1000u);
    std::uint64_t reported = 0;
    for (const auto& r : reports) reported += r.active;
    EXPECT_EQ(reported, 1000u);
  }
}

// A program that needs supersteps.
struct counts_supersteps : signal_along_chain {
  template <class View> void end_superstep(View&) {}
};

TEST(AsyncEngine, ProgramsWithSuperstepHooksAreRefused) {
  // The asynchronous engine static_asserts on this concept.
  static_assert(has_superstep_hooks<counts_supersteps>);
  static_assert(!has_superstep_hooks<signal_along_chain>);
  static_assert(!has_superstep_hooks<conflict_detector>);
}

}  // namespace
}  // namespace gasworks
