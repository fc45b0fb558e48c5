// The asynchronous engine across ranks (colour phases): the consistency
// models hold across ranks, greedy colouring stays valid, dynamic PageRank
// reaches the synchronous ranks with every scheduler, and termination and
// aggregators are exact.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <tbb/global_control.h>

#include "engine/async_engine.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "engine/ingress/gather_at_root.hpp"
#include "engine/io/read_edge_list.hpp"
#include "tests/distributed/world.hpp"
#include "tests/support/async_programs.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/pagerank/pagerank.hpp"

namespace gasworks {
namespace {

using testing::this_process_only;
using testing::world;

const std::filesystem::path email = std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt";

// Words that every rank of the job maps (the ranks share this machine): a
// file in /dev/shm named after rank 0's process id.
class words_shared_by_ranks {
 public:
  words_shared_by_ranks(communicator& ranks, std::size_t count) : ranks_(ranks), bytes_(count * sizeof(std::uint32_t)) {
    const ::pid_t mine = ::getpid();
    const auto pids = ranks.all_gather(std::as_bytes(std::span<const ::pid_t>(&mine, 1)));
    ::pid_t first;
    std::memcpy(&first, pids[0].data(), sizeof first);
    path_ = "/dev/shm/gasworks-test-" + std::to_string(first);
    if (ranks.rank() == 0) {
      const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
      if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(bytes_)) != 0) throw std::runtime_error("cannot create " + path_);
      ::close(fd);
    }
    ranks.barrier();
    const int fd = ::open(path_.c_str(), O_RDWR);
    if (fd < 0) throw std::runtime_error("cannot open " + path_);
    void* at = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    if (at == MAP_FAILED) throw std::runtime_error("cannot map " + path_);
    words_ = static_cast<std::uint32_t*>(at);
  }
  ~words_shared_by_ranks() {
    ::munmap(words_, bytes_);
    ranks_.barrier();
    if (ranks_.rank() == 0) ::unlink(path_.c_str());
  }
  words_shared_by_ranks(const words_shared_by_ranks&) = delete;
  words_shared_by_ranks& operator=(const words_shared_by_ranks&) = delete;

  std::uint32_t* data() const noexcept { return words_; }

 private:
  communicator& ranks_;
  std::size_t bytes_;
  std::string path_;
  std::uint32_t* words_ = nullptr;
};

// The conflict detector over email-Eu-core on the world's ranks; returns
// the violations seen by all ranks together.
std::uint64_t conflicts_across_ranks(consistency_model model, partition::method method) {
  const auto list = io::read_edge_list(email, io::graph_format::snap);
  const auto neighbours = testing::undirected_neighbours(list.edges);
  words_shared_by_ranks in_flight(*world(), neighbours.size());
  std::atomic<std::uint64_t> violations{0};
  testing::conflict_detector program;
  program.in_flight = in_flight.data();
  program.neighbours = &neighbours;
  program.distance = model == consistency_model::full ? 2 : 1;
  program.violations = &violations;
  program.pause = std::chrono::microseconds(5);
  ingress_options ingress;
  ingress.method = method;
  auto g = load_graph<std::uint32_t>(world(), email, io::graph_format::snap, ingress);
  async_engine<testing::conflict_detector> engine(g, program, async_options{.consistency = model});
  engine.signal_all();
  const auto summary = engine.run();
  EXPECT_EQ(summary.reason, termination::converged);
  EXPECT_GT(summary.updates, g.num_vertices());
  return world()->all_reduce_sum(violations.load());
}

TEST(AsyncAcrossRanks, EdgeAndFullConsistencyHoldAcrossRanks) {
  for (partition::method m : {partition::method::random, partition::method::hdrf}) {
    SCOPED_TRACE(std::string(partition::name(m)));
    EXPECT_EQ(conflicts_across_ranks(consistency_model::edge, m), 0u);
    EXPECT_EQ(conflicts_across_ranks(consistency_model::full, m), 0u);
  }
}

TEST(AsyncAcrossRanks, VertexConsistencyLetsNeighboursRunTogether) {
  // Across ranks, the ranks themselves run neighbours at once. One rank is
  // the threaded engine, proven by test_engine (mpiexec may bind a lone
  // rank to one core, leaving it one thread).
  if (world()->size() == 1) GTEST_SKIP() << "one rank: see AsyncEngine.VertexConsistencyLetsNeighboursRunTogether";
  EXPECT_GT(conflicts_across_ranks(consistency_model::vertex, partition::method::random), 0u);
}

TEST(AsyncAcrossRanks, GreedyColouringUnderEdgeConsistencyIsValid) {
  for (const char* name : {"graphs/ca-GrQc.txt", "graphs/soc-Epinions1.txt.gz"}) {
    GASWORKS_REQUIRE_DATASET(path, name);
    ingress_options ingress;
    ingress.method = partition::method::hdrf;
    auto g = load_graph<std::uint32_t>(world(), path, io::graph_format::snap, ingress);
    for (auto& c : g.vertex_data()) c = testing::no_colour;
    async_engine<testing::greedy_colouring> engine(g, {}, async_options{.consistency = consistency_model::edge});
    engine.signal_all();
    const auto summary = engine.run();
    EXPECT_EQ(summary.reason, termination::converged);
    EXPECT_EQ(summary.updates, g.num_vertices()) << name;
    // Every edge lives on one rank, whose replicas of both ends hold their final colours.
    const auto& s = g.structure();
    std::uint64_t bad = 0;
    for (local_id v = 0; v < s.num_local_vertices(); ++v) {
      if (g.vertex_data(v) == testing::no_colour) ++bad;
      for (edge_index e = s.out_begin(v); e != s.out_end(v); ++e)
        if (s.out_target(e) != v && g.vertex_data(s.out_target(e)) == g.vertex_data(v)) ++bad;
    }
    EXPECT_EQ(world()->all_reduce_sum(bad), 0u) << name;
  }
}

TEST(AsyncAcrossRanks, DynamicPageRankReachesTheSynchronousRanksWithEveryScheduler) {
  pagerank::options sync_opts;
  sync_opts.run_mode = pagerank::mode::dynamic;
  sync_opts.tolerance = 1e-11;
  auto exact = load_graph<pagerank::vertex_state>(this_process_only(), email, io::graph_format::snap);
  pagerank::run(exact, sync_opts);
  const auto expected = gather_at_root(exact, [](const auto& v) { return v.data().rank; });
  for (auto scheduler : {scheduler_kind::fifo, scheduler_kind::sweep, scheduler_kind::priority}) {
    SCOPED_TRACE(std::string(to_string(scheduler)));
    pagerank::options opts = sync_opts;
    opts.asynchronous = async_choice{.options = {.consistency = consistency_model::edge}, .scheduler = {.kind = scheduler}};
    ingress_options ingress;
    ingress.method = partition::method::random;
    auto g = load_graph<pagerank::vertex_state>(world(), email, io::graph_format::snap, ingress);
    const auto summary = pagerank::run(g, opts);
    EXPECT_EQ(summary.reason, termination::converged);
    const auto ranks = gather_at_root(g, [](const auto& v) { return v.data().rank; });
    if (world()->rank() != 0) continue;
    ASSERT_EQ(ranks.size(), expected.size());
    double worst = 0;
    for (std::size_t i = 0; i < ranks.size(); ++i) worst = std::max(worst, std::abs(ranks[i].value - expected[i].value));
    EXPECT_LT(worst, 1e-8);
  }
}

TEST(AsyncAcrossRanks, ChainTerminatesWithTheExactUpdateCountAndAggregatorsAgree) {
  // One thread, so that on one rank, too, no update overlaps an aggregator's pause.
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  testing::scratch_directory dir("async_chain_" + std::to_string(world()->rank()));
  std::string chain;
  for (int v = 0; v + 1 < 300; ++v) chain += std::to_string(v) + "\t" + std::to_string(v + 1) + "\n";
  const auto file = dir.write("chain.txt", chain);
  ingress_options ingress;
  ingress.method = partition::method::random;
  auto g = load_graph<std::uint32_t>(world(), file, io::graph_format::snap, ingress);
  async_engine<testing::signal_along_chain> engine(g, {});
  std::vector<std::uint64_t> done;
  engine.add_aggregator("done", aggregation_period{100, 0}, [](const auto& v) { return std::uint64_t{v.data()}; },
                        [&](std::uint64_t total) { done.push_back(total); });
  engine.signal(0);
  const auto summary = engine.run();
  EXPECT_EQ(summary.reason, termination::converged);
  EXPECT_EQ(summary.updates, 300u);
  // One vertex per phase, so the periodic values are exact; then the final one.
  EXPECT_EQ(done, (std::vector<std::uint64_t>{100, 200, 300, 300}));
  const auto runs = gather_at_root(g, [](const auto& v) { return v.data(); });
  if (world()->rank() != 0) return;
  ASSERT_EQ(runs.size(), 300u);
  for (const auto& r : runs) EXPECT_EQ(r.value, 1u) << r.id;
}

}  // namespace
}  // namespace gasworks
