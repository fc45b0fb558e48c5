// PageRank on several ranks gives the one-process result, for every
// partitioner, and global reductions agree on every rank.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <vector>

#include "engine/ingress/distributed_ingress.hpp"
#include "engine/ingress/gather_at_root.hpp"
#include "tests/distributed/world.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/pagerank/pagerank.hpp"

namespace gasworks {
namespace {

using testing::this_process_only;
using testing::world;

using ranks_by_id = std::vector<vertex_value<double>>;

struct pagerank_result {
  ranks_by_id ranks;  // at rank 0 only
  run_summary summary;
  ingress_report ingress;
};

pagerank_result run_pagerank(const std::shared_ptr<communicator>& ranks, const std::filesystem::path& file,
                             partition::method method, const pagerank::options& opts,
                             ingress_policy::vertex_order order = ingress_policy::vertex_order::by_id) {
  ingress_options ingress;
  ingress.method = method;
  ingress.policy.order = order;
  pagerank_result r;
  auto g = load_graph<pagerank::vertex_state>(ranks, file, io::guess_graph_format(file), ingress, &r.ingress);
  r.summary = pagerank::run(g, opts);
  r.ranks = gather_at_root(g, [](const auto& v) { return v.data().rank; });
  return r;
}

// Largest difference between two id-sorted rank vectors over the same ids.
double max_difference(const ranks_by_id& a, const ranks_by_id& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id) return INFINITY;
    worst = std::max(worst, std::abs(a[i].value - b[i].value));
  }
  return worst;
}

// The reference numbers vertices by id, the ranks by `order`.
void expect_same_as_one_process(const std::filesystem::path& file, const pagerank::options& opts,
                                ingress_policy::vertex_order order = ingress_policy::vertex_order::by_id) {
  const auto reference = run_pagerank(this_process_only(), file, partition::default_method, opts);
  for (partition::method m : partition::all_methods) {
    SCOPED_TRACE(std::string(partition::name(m)));
    const auto r = run_pagerank(world(), file, m, opts, order);
    EXPECT_EQ(r.ingress.ranks, world()->size());
    EXPECT_EQ(r.summary.supersteps, reference.summary.supersteps);
    EXPECT_EQ(r.summary.updates, reference.summary.updates);
    if (world()->rank() == 0) {
      ASSERT_EQ(r.ranks.size(), reference.ranks.size());
      EXPECT_LE(max_difference(r.ranks, reference.ranks), 1e-9);
    } else {
      EXPECT_TRUE(r.ranks.empty());
    }
  }
}

TEST(PageRankAcrossRanks, EmailEuCoreEqualsOneProcessForEveryPartitioner) {
  // Plain text: every rank reads its own byte range.
  expect_same_as_one_process(std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt", {});
  SCOPED_TRACE("degree order");
  expect_same_as_one_process(std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt", {},
                             ingress_policy::vertex_order::by_degree);
}

TEST(PageRankAcrossRanks, SocEpinionsEqualsOneProcessForEveryPartitioner) {
  // Gzip: rank 0 reads the file and placement spreads the edges.
  GASWORKS_REQUIRE_DATASET(file, "graphs/soc-Epinions1.txt.gz");
  pagerank::options opts;
  opts.run_mode = pagerank::mode::fixed;
  opts.iterations = 30;
  expect_same_as_one_process(file, opts, ingress_policy::vertex_order::by_degree);  // the tools' order
}

TEST(PageRankAcrossRanks, DynamicModeRoutesSignalsToTheSameFixedPoint) {
  const auto file = std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt";
  pagerank::options opts;
  opts.run_mode = pagerank::mode::dynamic;
  opts.tolerance = 1e-12;
  const auto reference = run_pagerank(this_process_only(), file, partition::default_method, opts);
  const auto r = run_pagerank(world(), file, partition::method::random, opts);
  if (world()->rank() == 0) {
    ASSERT_EQ(r.ranks.size(), reference.ranks.size());
    EXPECT_LE(max_difference(r.ranks, reference.ranks), 1e-9);
  }
}

TEST(PageRankAcrossRanks, AggregatorsGiveTheSameBitsOnEveryRank) {
  const auto file = std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt";
  auto g = load_graph<pagerank::vertex_state>(world(), file, io::graph_format::snap);
  pagerank::initialize(g);
  pagerank::options opts;
  engine_options limits;
  limits.max_iterations = 5;
  sync_engine<pagerank::program> engine(g, pagerank::program(opts), limits);
  std::vector<double> totals;
  std::vector<std::uint64_t> counts;
  engine.add_aggregator("rank_sum", 1, [](const auto& v) { return v.data().rank; },
                        [&](double total) { totals.push_back(total); });
  engine.add_aggregator("vertices", 2, [](const auto&) { return std::uint64_t{1}; },
                        [&](std::uint64_t count) { counts.push_back(count); });
  engine.signal_all();
  engine.run();
  ASSERT_EQ(totals.size(), 5u);
  EXPECT_EQ(counts, (std::vector<std::uint64_t>{1005, 1005}));
  for (double t : totals) EXPECT_NEAR(t, 1.0, 1e-12);
  // Every rank got the same bits.
  std::vector<std::byte> mine(totals.size() * sizeof(double));
  std::memcpy(mine.data(), totals.data(), mine.size());
  for (const auto& theirs : world()->all_gather(mine)) EXPECT_EQ(theirs, mine);
}

}  // namespace
}  // namespace gasworks
