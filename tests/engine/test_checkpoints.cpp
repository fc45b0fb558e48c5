// Checkpoints: the checksum, one rank's state file, the manifest, the
// directory that keeps them, and the synchronous engine resuming from them
// to the bit-identical result of an uninterrupted run.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>

#include <tbb/global_control.h>

#include "engine/async_engine.hpp"
#include "engine/checkpoint/checkpointing.hpp"
#include "engine/checkpoint/checksum.hpp"
#include "engine/checkpoint/state_file.hpp"
#include "engine/generators/kronecker.hpp"
#include "engine/graph/build_from_edge_list.hpp"
#include "engine/sync/sync_engine.hpp"
#include "tests/support/damaged_files.hpp"
#include "tests/support/message_programs.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/small_graphs.hpp"
#include "toolkits/pagerank/pagerank.hpp"

namespace gasworks {
namespace {

using testing::flip_byte;
using testing::scratch_directory;

std::vector<std::byte> bytes_of(const std::string& text) {
  std::vector<std::byte> b(text.size());
  std::memcpy(b.data(), text.data(), text.size());
  return b;
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

TEST(Checksum, PiecesGiveTheChecksumOfTheWholeAndEveryByteCounts) {
  std::string text(1000, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i * 7 + 3);
  const auto whole = bytes_of(text);
  const std::uint64_t expected = checkpoint::checksum(whole);
  for (std::size_t cut : {0u, 1u, 31u, 32u, 33u, 500u, 999u}) {
    checkpoint::checksum_stream s;
    s.add(std::span(whole).first(cut));
    s.add(std::span(whole).subspan(cut));
    EXPECT_EQ(s.value(), expected) << "cut at " << cut;
  }
  for (std::size_t at : {0u, 31u, 32u, 990u, 999u}) {
    auto changed = whole;
    changed[at] ^= std::byte{1};
    EXPECT_NE(checkpoint::checksum(changed), expected) << "flipped bit in byte " << at;
  }
  // Length counts too: trailing zero bytes change the checksum.
  auto longer = whole;
  longer.push_back(std::byte{0});
  EXPECT_NE(checkpoint::checksum(longer), expected);
}

TEST(StateFile, RoundTripsAndRefusesDamage) {
  scratch_directory dir("state_file");
  const auto file = dir.path() / "rank-0.state";
  const auto state = bytes_of("vertex data and then some more vertex data");
  const checkpoint::state_owner owner{0, 2, 7};
  checkpoint::write_state_file(file, owner, state);
  EXPECT_EQ(checkpoint::read_state_file(file, owner), state);

  EXPECT_NE(error_of([&] { checkpoint::read_state_file(file, {1, 2, 7}); }).find("belongs to rank 0 of 2 at step 7"),
            std::string::npos);
  EXPECT_NE(error_of([&] { checkpoint::read_state_file(file, {0, 2, 8}); }).find("belongs to"), std::string::npos);

  flip_byte(file, 60);  // inside the state
  EXPECT_NE(error_of([&] { checkpoint::read_state_file(file, owner); }).find("is damaged"), std::string::npos);
  checkpoint::write_state_file(file, owner, state);
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 1);
  const std::string truncated = error_of([&] { checkpoint::read_state_file(file, owner); });
  EXPECT_NE(truncated.find("truncated"), std::string::npos) << truncated;
  EXPECT_NE(truncated.find(file.string()), std::string::npos) << truncated;
  std::filesystem::resize_file(file, 10);
  EXPECT_NE(error_of([&] { checkpoint::read_state_file(file, owner); }).find("shorter than its header"), std::string::npos);
  std::filesystem::remove(file);
  EXPECT_NE(error_of([&] { checkpoint::read_state_file(file, owner); }).find("cannot be read"), std::string::npos);
}

checkpoint::run_identity identity(const std::string& damping = "0.85") {
  checkpoint::run_identity run;
  run.command = "pagerank";
  run.settings = {"damping=" + damping, "tol=1e-9"};
  run.inputs = {{"graph file.txt", 1234, 0xfeedULL}};
  run.ranks = 1;
  run.threads = 2;
  return run;
}

TEST(Manifest, RoundTripsAndNamesTheBadLine) {
  checkpoint::manifest m{identity(), 12};
  m.run.settings.push_back("odd=100%\nsure");
  const auto parsed = checkpoint::parse_manifest(checkpoint::to_text(m), "manifest");
  EXPECT_EQ(parsed.step, 12u);
  EXPECT_EQ(parsed.run.command, "pagerank");
  EXPECT_EQ(parsed.run.settings, m.run.settings);
  EXPECT_EQ(parsed.run.inputs, m.run.inputs);
  EXPECT_EQ(parsed.run.threads, 2u);
  EXPECT_FALSE(checkpoint::incompatibility(parsed.run, m.run));

  std::string text = checkpoint::to_text(m);
  text.replace(text.find("step 12"), 7, "step x");
  EXPECT_NE(error_of([&] { checkpoint::parse_manifest(text, "dir/manifest"); }).find("dir/manifest:9: expected a step number"),
            std::string::npos);
  EXPECT_NE(error_of([&] { checkpoint::parse_manifest("hello\n", "m"); }).find("m:1: expected 'gasworks-checkpoint"),
            std::string::npos);
  EXPECT_NE(error_of([&] { checkpoint::parse_manifest("gasworks-checkpoint 1\ncommand x\n", "m"); }).find("incomplete"),
            std::string::npos);
}

TEST(Manifest, SaysWhyAnotherRunsCheckpointCannotContinueThisOne) {
  const auto saved = identity();
  auto now = identity();
  now.threads = 1;  // threads may differ
  EXPECT_FALSE(checkpoint::incompatibility(saved, now));
  now = identity("0.9");
  EXPECT_NE(checkpoint::incompatibility(saved, now).value_or("").find("damping=0.85"), std::string::npos);
  now = identity();
  now.inputs[0].checksum ^= 1;
  EXPECT_NE(checkpoint::incompatibility(saved, now).value_or("").find("different input"), std::string::npos);
  now = identity();
  now.ranks = 2;
  EXPECT_NE(checkpoint::incompatibility(saved, now).value_or("").find("mpiexec -n 1"), std::string::npos);
  now = identity();
  now.command = "als";
  EXPECT_NE(checkpoint::incompatibility(saved, now).value_or("").find("'gasworks pagerank'"), std::string::npos);
}

std::vector<std::uint64_t> steps_in(const std::filesystem::path& dir) {
  std::vector<std::uint64_t> steps;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    steps.push_back(std::stoull(entry.path().filename().string().substr(5)));
  std::sort(steps.begin(), steps.end());
  return steps;
}

TEST(CheckpointStore, KeepsTheNewestTwoAndFallsBackPastDamage) {
  scratch_directory dir("checkpoint_store");
  communicator one;
  checkpoint::checkpoint_store store(dir.path() / "ckpt", one);
  for (std::uint64_t step = 1; step <= 4; ++step) store.save({identity(), step}, bytes_of("state " + std::to_string(step)));
  EXPECT_EQ(steps_in(store.directory()), (std::vector<std::uint64_t>{3, 4}));

  auto loaded = store.load_latest(identity());
  EXPECT_EQ(loaded.made.step, 4u);
  EXPECT_EQ(loaded.state, bytes_of("state 4"));
  EXPECT_TRUE(loaded.skipped.empty());

  // A damaged newest checkpoint: the one before it serves, and the reason is given.
  flip_byte(store.folder(4) / "rank-0.state", 50);
  loaded = store.load_latest(identity());
  EXPECT_EQ(loaded.made.step, 3u);
  ASSERT_EQ(loaded.skipped.size(), 1u);
  EXPECT_NE(loaded.skipped[0].find("is damaged"), std::string::npos) << loaded.skipped[0];

  // One without its manifest (a crash before it was complete) is skipped too.
  std::filesystem::create_directories(store.folder(9));
  checkpoint::write_state_file(store.folder(9) / "rank-0.state", {0, 1, 9}, bytes_of("state 9"));
  loaded = store.load_latest(identity());
  EXPECT_EQ(loaded.made.step, 3u);
  ASSERT_EQ(loaded.skipped.size(), 2u);
  EXPECT_NE(loaded.skipped[0].find("incomplete"), std::string::npos) << loaded.skipped[0];

  // Another run's checkpoint is refused outright.
  EXPECT_NE(error_of([&] { store.load_latest(identity("0.5")); }).find("belongs to another run"), std::string::npos);

  // The next save clears the incomplete and the damaged ones, keeping 3 as the fallback.
  store.save({identity(), 5}, bytes_of("state 5"));
  EXPECT_EQ(steps_in(store.directory()), (std::vector<std::uint64_t>{3, 5}));

  // Nothing usable at all: an error that lists what was skipped.
  std::filesystem::remove(store.folder(5) / "rank-0.state");
  std::filesystem::remove(store.folder(3) / "manifest");
  const std::string none = error_of([&] { store.load_latest(identity()); });
  EXPECT_NE(none.find("no complete checkpoint"), std::string::npos) << none;
  EXPECT_NE(none.find("rank-0.state"), std::string::npos) << none;
  checkpoint::checkpoint_store empty(dir.path() / "nothing-here", one);
  EXPECT_NE(error_of([&] { empty.load_latest(identity()); }).find("holds no checkpoint"), std::string::npos);
}

using pagerank_graph = pagerank::program::graph_type;

pagerank_graph kronecker_graph(unsigned scale = 9) {
  generators::kronecker_params params;
  params.scale = scale;
  params.edge_factor = 8;
  params.seed = 5;
  io::edge_list list;
  generators::generate_kronecker(params, [&](vertex_id s, vertex_id t) { list.edges.emplace_back(s, t); });
  return build_graph<pagerank::vertex_state>(list);
}

std::vector<double> ranks_of(const pagerank_graph& g) {
  std::vector<double> r;
  for (const auto& v : g.vertex_data()) r.push_back(v.rank);
  return r;
}

// Runs the fixed-iteration PageRank program for supersteps [.., stop_after)
// with checkpoints every superstep, resuming from `dir` if asked.
std::vector<double> run_pagerank(const std::filesystem::path& dir, std::uint64_t stop_after, bool resume) {
  communicator one;
  checkpoint::checkpointing checkpoints(one, identity());
  if (resume) checkpoints.resume_from(dir);
  checkpoints.save_to(dir, {1, std::nullopt});
  auto g = kronecker_graph();
  pagerank::initialize(g);
  pagerank::options opts;
  opts.run_mode = pagerank::mode::fixed;
  engine_options limits;
  limits.max_iterations = stop_after;
  limits.checkpoints = &checkpoints;
  sync_engine<pagerank::program> engine(g, pagerank::program(opts), limits);
  engine.signal_all();
  const auto summary = engine.run();
  EXPECT_EQ(summary.supersteps, stop_after);
  return ranks_of(g);
}

TEST(SyncEngineCheckpoints, AResumedRunEndsBitIdenticalToAnUninterruptedOne) {
  scratch_directory dir("sync_checkpoints");
  const auto uninterrupted = run_pagerank(dir.path() / "whole", 12, false);
  const auto stopped = run_pagerank(dir.path() / "split", 5, false);
  EXPECT_NE(stopped, uninterrupted);
  // The last checkpoint is after superstep 4 (none after the run's last).
  EXPECT_EQ(steps_in(dir.path() / "split"), (std::vector<std::uint64_t>{3, 4}));
  const auto resumed = run_pagerank(dir.path() / "split", 12, true);
  EXPECT_EQ(resumed, uninterrupted);  // bit for bit

  // Damage the newest: the run resumes one superstep earlier, same result.
  flip_byte(dir.path() / "split" / "step-000000000011" / "rank-0.state", 100);
  EXPECT_EQ(run_pagerank(dir.path() / "split", 12, true), uninterrupted);
}

TEST(SyncEngineCheckpoints, PendingMessagesSurviveAResume) {
  using testing::sum_of_in_neighbour_ids;
  const testing::edge_pairs edges = {{0, 1}, {2, 1}, {3, 1}, {1, 2}, {3, 2}};
  scratch_directory dir("message_checkpoints");
  communicator one;
  auto whole = testing::make_graph<testing::id_sum_message>(edges);
  sync_engine<sum_of_in_neighbour_ids> plain(whole, {});
  plain.signal_all();
  plain.run();

  {
    checkpoint::checkpointing checkpoints(one, identity());
    checkpoints.save_to(dir.path(), {1, std::nullopt});
    auto g = testing::make_graph<testing::id_sum_message>(edges);
    engine_options limits;
    limits.max_iterations = 1;  // stops with the messages of superstep 0 pending...
    limits.checkpoints = &checkpoints;
    sync_engine<sum_of_in_neighbour_ids> first(g, {}, limits);
    first.signal_all();
    first.run();
  }
  EXPECT_TRUE(steps_in(dir.path()).empty());  // ...but no checkpoint after a run's last superstep
  {
    checkpoint::checkpointing checkpoints(one, identity());
    checkpoints.save_to(dir.path(), {1, std::nullopt});
    auto g = testing::make_graph<testing::id_sum_message>(edges);
    engine_options limits;
    limits.max_iterations = 2;
    limits.checkpoints = &checkpoints;
    sync_engine<sum_of_in_neighbour_ids> first(g, {}, limits);
    first.signal_all();
    first.run();
  }
  EXPECT_EQ(steps_in(dir.path()), (std::vector<std::uint64_t>{1}));
  checkpoint::checkpointing checkpoints(one, identity());
  checkpoints.resume_from(dir.path());
  auto g = testing::make_graph<testing::id_sum_message>(edges);
  engine_options limits;
  limits.checkpoints = &checkpoints;
  sync_engine<sum_of_in_neighbour_ids> resumed(g, {}, limits);
  resumed.run();  // no signal given: the checkpoint's signals and messages drive it
  for (local_id v = 0; v < g.num_local_vertices(); ++v) {
    EXPECT_EQ(g.vertex_data(v).sum, whole.vertex_data(v).sum) << v;
    EXPECT_EQ(g.vertex_data(v).count, whole.vertex_data(v).count) << v;
  }
  EXPECT_EQ(g.vertex_data(1).count, 3u);
}

TEST(SyncEngineCheckpoints, StateFromAnotherGraphIsRefused) {
  scratch_directory dir("layout_checkpoints");
  run_pagerank(dir.path(), 3, false);
  communicator one;
  checkpoint::checkpointing checkpoints(one, identity());
  checkpoints.resume_from(dir.path());
  auto g = kronecker_graph(8);
  engine_options limits;
  limits.checkpoints = &checkpoints;
  pagerank::options opts;
  sync_engine<pagerank::program> engine(g, pagerank::program(opts), limits);
  // Refused before any of the state is read: the counts are the saved graph's.
  const std::string message = error_of([&] { engine.run(); });
  EXPECT_NE(message.find("cannot resume from the checkpoint in '" + (dir.path() / "step-000000000002").string() + "'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("laid out differently (" + std::to_string(kronecker_graph().num_local_vertices()) + " vertices"),
            std::string::npos)
      << message;
}

// Dynamic PageRank on the asynchronous engine (one rank, fifo), with a
// checkpoint after every progress report when `dir` is given.
struct async_outcome {
  std::vector<double> ranks;
  run_summary summary;
};

async_outcome run_async_pagerank(const std::filesystem::path* dir, std::uint64_t max_updates, bool resume) {
  communicator one;
  checkpoint::checkpointing checkpoints(one, identity());
  if (resume) checkpoints.resume_from(*dir);
  if (dir) checkpoints.save_to(*dir, {1, std::nullopt});
  auto g = kronecker_graph();
  pagerank::initialize(g);
  async_options options;
  options.max_updates = max_updates;
  if (dir) options.checkpoints = &checkpoints;
  async_engine<pagerank::dynamic_program> engine(g, pagerank::dynamic_program(0.85, 1e-12), options);
  engine.signal_all(priority{1.0});
  async_outcome out;
  out.summary = engine.run();
  pagerank::normalize_dynamic_ranks(g);
  out.ranks = ranks_of(g);
  return out;
}

TEST(AsyncEngineCheckpoints, AResumedRunReachesTheUninterruptedAnswerAndGoesOnCounting) {
  // One worker, so that the runs before the resume take the same path.
  const tbb::global_control one_worker(tbb::global_control::max_allowed_parallelism, 1);
  scratch_directory dir("async_checkpoints");
  const auto whole = run_async_pagerank(nullptr, std::numeric_limits<std::uint64_t>::max(), false);
  ASSERT_EQ(whole.summary.reason, termination::converged);
  const std::uint64_t vertices = kronecker_graph().num_vertices();

  // Stopped halfway, with checkpoints after each report (every |V| updates).
  const auto path = dir.path() / "ck";
  const std::uint64_t half = whole.summary.updates / 2;
  const auto stopped = run_async_pagerank(&path, half, false);
  EXPECT_EQ(stopped.summary.reason, termination::max_updates);
  const auto steps = steps_in(path);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps.back(), half / vertices);  // the reports so far
  const auto copy = dir.path() / "copy";
  std::filesystem::copy(path, copy, std::filesystem::copy_options::recursive);

  // Resumed: the count goes on from the checkpoint's, and the answer is the
  // uninterrupted one within the tolerance's reach.
  const auto resumed = run_async_pagerank(&path, std::numeric_limits<std::uint64_t>::max(), true);
  EXPECT_EQ(resumed.summary.reason, termination::converged);
  EXPECT_GT(resumed.summary.updates, steps.back() * vertices);
  double largest = 0;
  for (std::size_t v = 0; v < whole.ranks.size(); ++v) largest = std::max(largest, std::abs(resumed.ranks[v] - whole.ranks[v]));
  EXPECT_LT(largest, 1e-9);

  // A limit on updates counts those before the checkpoint too.
  const auto limited = run_async_pagerank(&copy, half + 3 * vertices, true);
  EXPECT_EQ(limited.summary.reason, termination::max_updates);
  EXPECT_EQ(limited.summary.updates, half + 3 * vertices);
}

}  // namespace
}  // namespace gasworks
