// The synchronous engine across ranks: exact results of integer programs
// (signals and messages routed through masters), and errors every rank
// raises alike.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "apps/examples/hop_distance.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "engine/ingress/gather_at_root.hpp"
#include "engine/sync/sync_engine.hpp"
#include "tests/distributed/world.hpp"
#include "tests/support/message_programs.hpp"
#include "tests/support/summing_programs.hpp"

namespace gasworks {
namespace {

using testing::this_process_only;
using testing::world;

const std::filesystem::path email = std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt";

// Hops from `source`, started the way the worked example starts it: each
// rank marks its replica of the source and signals the out-neighbours it sees.
std::vector<vertex_value<std::uint32_t>> hops_from(const std::shared_ptr<communicator>& ranks, vertex_id source,
                                                   partition::method m, run_summary* summary) {
  ingress_options options;
  options.method = m;
  auto g = load_graph<hops::vertex_state>(ranks, email, io::graph_format::snap, options);
  sync_engine<hops::program> engine(g, hops::program{});
  if (const auto s = g.structure().find(source)) {
    g.vertex_data(*s).hops = 0;
    for (auto e = g.structure().out_begin(*s); e < g.structure().out_end(*s); ++e)
      engine.signal(g.structure().global_id(g.structure().out_target(e)));
  }
  *summary = engine.run();
  return gather_at_root(g, [](const auto& v) { return v.data().hops; });
}

TEST(EngineAcrossRanks, HopDistancesAreExactForEveryPartitioner) {
  run_summary one{};
  const auto reference = hops_from(this_process_only(), 0, partition::default_method, &one);
  for (partition::method m : partition::all_methods) {
    SCOPED_TRACE(std::string(partition::name(m)));
    run_summary many{};
    const auto result = hops_from(world(), 0, m, &many);
    EXPECT_EQ(many.supersteps, one.supersteps);
    EXPECT_EQ(many.updates, one.updates);
    if (world()->rank() != 0) continue;
    ASSERT_EQ(result.size(), reference.size());
    for (std::size_t i = 0; i < result.size(); ++i) {
      EXPECT_EQ(result[i].id, reference[i].id);
      EXPECT_EQ(result[i].value, reference[i].value) << "vertex " << result[i].id;
    }
  }
}

using testing::id_sum_message;
using testing::sum_of_in_neighbour_ids;

TEST(EngineAcrossRanks, MessagesFromEveryRankCombineOnceAtTheMaster) {
  ingress_options options;
  options.method = partition::method::random;
  auto g = load_graph<id_sum_message>(world(), email, io::graph_format::snap, options);
  auto reference = load_graph<id_sum_message>(this_process_only(), email, io::graph_format::snap);
  for (auto* graph : {&g, &reference}) {
    sync_engine<sum_of_in_neighbour_ids> engine(*graph, {});
    engine.signal_all();
    engine.run();
  }
  const auto sums = gather_at_root(g, [](const auto& v) { return v.data(); });
  const auto expected = gather_at_root(reference, [](const auto& v) { return v.data(); });
  if (world()->rank() != 0) return;
  ASSERT_EQ(sums.size(), expected.size());
  for (std::size_t i = 0; i < sums.size(); ++i) {
    EXPECT_EQ(sums[i].value.sum, expected[i].value.sum) << sums[i].id;
    EXPECT_EQ(sums[i].value.count, expected[i].value.count) << sums[i].id;
  }
}

// Applies run at masters only, so each vertex counts once in the sum that
// every rank's end_superstep reads.
TEST(EngineAcrossRanks, AppliedSumsCountEachVertexOnceOnEveryRank) {
  auto tally = [](const std::shared_ptr<communicator>& ranks, partition::method m) {
    ingress_options options;
    options.method = m;
    auto g = load_graph<std::uint64_t>(ranks, email, io::graph_format::snap, options);
    testing::in_edge_tally program;
    sync_engine<testing::in_edge_tally> engine(g, program);
    engine.signal_all();
    engine.run();
    return *program.sums;
  };
  const auto reference = tally(this_process_only(), partition::default_method);
  ASSERT_EQ(reference.size(), 2u);
  EXPECT_EQ(reference[0].vertices, 1005u);  // email-Eu-core: 1005 vertices, 25571 edges
  EXPECT_EQ(reference[0].in_edges, 25571u);
  for (partition::method m : partition::all_methods) {
    SCOPED_TRACE(std::string(partition::name(m)));
    EXPECT_EQ(tally(world(), m), reference);
  }
}

TEST(EngineAcrossRanks, SignallingAVertexNoRankHoldsFailsOnEveryRank) {
  auto g = load_graph<hops::vertex_state>(world(), email, io::graph_format::snap);
  sync_engine<hops::program> engine(g, hops::program{});
  try {
    if (world()->rank() == world()->size() - 1) engine.signal(987654321);  // one rank asks
    engine.run();
    ADD_FAILURE() << "no error";
  } catch (const collective_error& e) {
    EXPECT_GT(world()->size(), 1);
    EXPECT_EQ(e.error_kind(), collective_error::kind::usage);
    EXPECT_NE(std::string(e.what()).find("cannot signal vertex 987654321"), std::string::npos) << e.what();
  } catch (const usage_error& e) {
    EXPECT_EQ(world()->size(), 1);  // one process: at once
  }
}

TEST(EngineAcrossRanks, AReadErrorOnOneRankFailsEveryRankWithItsMessage) {
  // The bad line is the file's last, so it lies in the last rank's range.
  const auto file = testing::job_temp_path("gasworks-distributed-bad.txt");
  if (world()->rank() == 0) {
    std::ofstream out(file);
    for (int i = 0; i < 200; ++i) out << i << ' ' << (i + 1) << '\n';
    out << "7 x\n";
  }
  world()->barrier();
  try {
    load_graph<char>(world(), file, io::graph_format::snap);
    ADD_FAILURE() << "no error";
  } catch (const collective_error& e) {
    EXPECT_EQ(e.failing_rank(), world()->size() - 1);
    EXPECT_EQ(e.error_kind(), collective_error::kind::input);
    EXPECT_NE(std::string(e.what()).find(file.string() + ":201: expected a non-negative integer vertex id, got 'x'"),
              std::string::npos)
        << e.what();
  } catch (const input_error& e) {
    // One process: the reader's own error.
    EXPECT_EQ(world()->size(), 1);
    EXPECT_EQ(e.line(), 201u);
  }
}

}  // namespace
}  // namespace gasworks

namespace gasworks {
namespace {

TEST(IngressAcrossRanks, MatrixMarketEntryCountIsCheckedOverAllParts) {
  const auto good = testing::job_temp_path("gasworks-distributed-good.mtx");
  const auto short_one = testing::job_temp_path("gasworks-distributed-short.mtx");
  if (world()->rank() == 0) {
    std::string entries;
    for (int i = 1; i <= 60; ++i) entries += std::to_string(i) + " " + std::to_string(i % 60 + 1) + "\n";
    std::ofstream(good) << "%%MatrixMarket matrix coordinate pattern general\n% a ring and 20 lone vertices\n80 80 60\n"
                        << entries;
    std::ofstream(short_one) << "%%MatrixMarket matrix coordinate pattern general\n80 80 61\n" << entries;
  }
  world()->barrier();
  const auto g = load_graph<char>(world(), good, io::graph_format::mtx);
  EXPECT_EQ(g.num_vertices(), 80u);  // declared vertices without edges included
  EXPECT_EQ(g.num_edges(), 60u);
  try {
    load_graph<char>(world(), short_one, io::graph_format::mtx);
    ADD_FAILURE() << "no error";
  } catch (const std::exception& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(short_one.string()), std::string::npos) << what;
    EXPECT_NE(what.find("61 entries"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace gasworks
