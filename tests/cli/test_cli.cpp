// The gasworks program as a user runs it: exit codes, help, flag checking,
// error messages naming file and line, output files written atomically.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/scratch_directory.hpp"
#include "tests/support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;

using result = gasworks::testing::command_result;

class Cli : public ::testing::Test {
 protected:
  fs::path file(const std::string& name, const std::string& content) const { return scratch_.write(name, content); }

  result run(const std::string& args) const { return gasworks::testing::run_shell(GASWORKS_BINARY " " + args, dir_); }

  static std::string read(const fs::path& p) { return gasworks::testing::read_text(p); }

  gasworks::testing::scratch_directory scratch_{"gasworks_cli"};
  const fs::path& dir_ = scratch_.path();
};

// 0 <-> 1, 1 -> 2, and isolated 3 (as an adjacency list). Hand-solved ranks
// with d = 0.85: (1140, 1480, 1140, 511) / 4271.
constexpr const char* tiny_adj = "0 1 1\n1 2 0 2\n2 0\n3 0\n";

TEST_F(Cli, HelpAndVersion) {
  auto r = run("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("pagerank"), std::string::npos);
  r = run("pagerank --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag : {"--graph", "--format", "--iterations", "--tol", "--dynamic", "--damping", "--out", "--top",
                           "--threads", "--stats", "--quiet", "--self-loops", "--duplicates", "--vertex-order"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  EXPECT_EQ(run("--version").exit_code, 0);
}

TEST_F(Cli, UsageErrorsExitWithTwo) {
  const auto g = file("g.txt", "0 1\n1 0\n");
  EXPECT_EQ(run("").exit_code, 2);
  EXPECT_EQ(run("frobnicate").exit_code, 2);
  for (const std::string args : {"--bogus", "--threads 0", "--threads abc", "--threads -2", "--damping 1.5",
                                 "--damping x", "--iterations -3", "--iterations 2.5", "--iterations 5 --tol 1e-3",
                                 "--tol -1", "--top 1e3", "--format xml", "--self-loops maybe", "--vertex-order fast",
                                 "--iterations", "extra-word"}) {
    auto r = run("pagerank --graph " + g.string() + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("gasworks pagerank --help"), std::string::npos) << args << ": " << r.err;
  }
  auto r = run("pagerank");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--graph"), std::string::npos);
}

TEST_F(Cli, BadInputNamesFileAndLineAndLeavesNoOutput) {
  const auto g = file("bad.txt", "# comment\n0 1\n1 x\n");
  const auto out = dir_ / "ranks.tsv";
  auto r = run("pagerank --graph " + g.string() + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.txt:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'x'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));

  // A failed run leaves an existing result untouched.
  file("ranks.tsv", "old\n");
  EXPECT_EQ(run("pagerank --graph " + g.string() + " --out " + out.string()).exit_code, 1);
  EXPECT_EQ(read(out), "old\n");
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();

  r = run("pagerank --graph " + (dir_ / "missing.txt").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.txt"), std::string::npos);
  r = run("pagerank --graph " + file("empty.txt", "").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("empty"), std::string::npos);
}

TEST_F(Cli, WritesRanksStatsAndSummary) {
  const auto g = file("tiny.adj", tiny_adj);
  const auto out = dir_ / "ranks.tsv", stats = dir_ / "stats.jsonl";
  auto r = run("pagerank --graph " + g.string() + " --tol 1e-15 --out " + out.string() + " --stats " + stats.string() + " --top 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4 vertices, 3 edges"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("top 2 vertices"), std::string::npos);
  EXPECT_NE(r.out.find("wrote 4 ranks to"), std::string::npos);

  const std::map<std::string, double> expected = {
      {"0", 1140.0 / 4271}, {"1", 1480.0 / 4271}, {"2", 1140.0 / 4271}, {"3", 511.0 / 4271}};
  std::ifstream in(out);
  std::string line;
  std::size_t lines = 0;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    const std::string id = line.substr(0, tab);
    ASSERT_EQ(id, std::to_string(lines)) << "ascending ids";
    EXPECT_NEAR(std::stod(line.substr(tab + 1)), expected.at(id), 1e-14);
    ++lines;
  }
  EXPECT_EQ(lines, 4u);

  std::ifstream stats_in(stats);
  ASSERT_TRUE(std::getline(stats_in, line));
  EXPECT_EQ(line.rfind("{\"ingress\":{\"ranks\":1,\"partition\":", 0), 0u) << line;
  EXPECT_NE(line.find("\"replication_factor\":1,\"edge_balance\":1,"), std::string::npos) << line;
  std::size_t stat_lines = 0;
  while (std::getline(stats_in, line)) {
    EXPECT_EQ(line.rfind("{\"superstep\":" + std::to_string(stat_lines) + ",\"active\":4,", 0), 0u) << line;
    EXPECT_NE(line.find("\"l1_change\":"), std::string::npos);
    ++stat_lines;
  }
  EXPECT_GT(stat_lines, 10u);
}

// Vertex 1 has the most edges, so degree order (the default) numbers it
// first in memory; the output lists ids ascending either way.
TEST_F(Cli, EitherVertexOrderWritesTheSameRanksInIdOrder) {
  const auto g = file("tiny.adj", tiny_adj);
  std::vector<std::string> outputs;
  for (const char* order : {"degree", "id"}) {
    const auto out = dir_ / (std::string("ranks-") + order + ".tsv");
    auto r = run("pagerank --graph " + g.string() + " --iterations 40 --quiet --vertex-order " + order + " --out " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    outputs.push_back(read(out));
  }
  // Equal up to the order of additions.
  std::istringstream degree(outputs[0]), id(outputs[1]);
  std::string degree_id, id_id;
  double degree_rank = 0, id_rank = 0;
  std::size_t lines = 0;
  while (degree >> degree_id >> degree_rank) {
    ASSERT_TRUE(id >> id_id >> id_rank);
    EXPECT_EQ(degree_id, std::to_string(lines++)) << "ascending ids";
    EXPECT_EQ(degree_id, id_id);
    EXPECT_NEAR(degree_rank, id_rank, 1e-15);
  }
  EXPECT_EQ(lines, 4u);
  EXPECT_FALSE(id >> id_id);
}

TEST_F(Cli, AsynchronousEngineRanksLikeTheSynchronousOne) {
  const auto g = file("tiny.adj", tiny_adj);
  const std::map<std::string, double> expected = {
      {"0", 1140.0 / 4271}, {"1", 1480.0 / 4271}, {"2", 1140.0 / 4271}, {"3", 511.0 / 4271}};
  for (const std::string scheduler : {"fifo", "sweep", "priority"})
    for (const std::string consistency : {"vertex", "edge", "full"}) {
      const auto out = dir_ / ("ranks_" + scheduler + "_" + consistency + ".tsv");
      const auto r = run("pagerank --graph " + g.string() + " --engine async --scheduler " + scheduler +
                         " --consistency " + consistency + " --tol 1e-15 --top 0 --out " + out.string());
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_NE(r.out.find("vertex updates ("), std::string::npos) << r.out;
      EXPECT_NE(r.out.find(scheduler + " scheduler, " + consistency + " consistency"), std::string::npos) << r.out;
      std::ifstream in(out);
      std::string id;
      double rank = 0;
      std::size_t lines = 0;
      while (in >> id >> rank) {
        EXPECT_NEAR(rank, expected.at(id), 1e-13) << scheduler << " " << consistency << " vertex " << id;
        ++lines;
      }
      EXPECT_EQ(lines, 4u);
    }
  // Asynchronous flags need the asynchronous engine; names are checked.
  for (const std::string args : {"--scheduler sweep", "--consistency full", "--max-updates 5",
                                 "--engine async --scheduler lifo", "--engine async --consistency strict",
                                 "--engine async --iterations 3", "--engine async --max-iterations 3",
                                 "--engine turbo", "--engine async --min-priority -1"}) {
    const auto r = run("pagerank --graph " + g.string() + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_FALSE(r.err.empty()) << args;
  }
  const auto stats = dir_ / "async_stats.jsonl";
  const auto limited = run("pagerank --graph " + g.string() + " --engine async --max-updates 3 --top 0 --stats " + stats.string());
  EXPECT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_NE(limited.out.find("stopped at --max-updates after 3 vertex updates"), std::string::npos) << limited.out;
  // One line per progress report; the last one counts the updates since the one before.
  std::ifstream stats_in(stats);
  std::string line, last;
  while (std::getline(stats_in, line)) last = line;
  EXPECT_EQ(last.rfind("{\"superstep\":", 0), 0u) << last;
  EXPECT_NE(last.find("\"active\":3,"), std::string::npos) << last;
}

TEST_F(Cli, FixedIterationsQuietAndFormats) {
  const auto g = file("tiny.mtx", "%%MatrixMarket matrix coordinate pattern general\n4 4 3\n1 2\n2 1\n2 3\n");
  const auto stats = dir_ / "s.jsonl";
  auto r = run("pagerank --graph " + g.string() + " --iterations 3 --quiet --stats " + stats.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  std::ifstream in(stats);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) n += line.rfind("{\"superstep\":", 0) == 0;
  EXPECT_EQ(n, 3);

  // No progress line unless stderr is a terminal or --progress asks for it.
  r = run("pagerank --graph " + g.string() + " --iterations 3 --progress");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("pagerank: superstep 1  active 4  l1_change"), std::string::npos) << r.err;
  EXPECT_EQ(run("pagerank --graph " + g.string() + " --iterations 3").err, "");

  // The same graph as csv with a header, forced format.
  const auto csv = file("tiny.data", "src,dst\n1,2\n2,1\n2,3\n");
  r = run("pagerank --graph " + csv.string() + " --format csv --iterations 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 vertices, 3 edges"), std::string::npos) << r.out;
}

}  // namespace

// ------------------------------------------------------------ under mpiexec

class CliUnderMpiexec : public Cli {
 protected:
  // Runs `mpiexec -n ranks gasworks args`, giving up after a minute (exit 124)
  // so that a hang fails the test instead of stalling the suite.
  result run_ranks(int ranks, const std::string& args) const {
    return gasworks::testing::run_shell(gasworks::testing::mpiexec_prefix(GASWORKS_MPIEXEC, ranks) + GASWORKS_BINARY " " + args, dir_);
  }

  static std::map<std::string, double> read_ranks(const fs::path& p) {
    std::map<std::string, double> ranks;
    std::ifstream in(p);
    std::string id;
    double rank = 0;
    while (in >> id >> rank) ranks[id] = rank;
    return ranks;
  }

  static std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  }
};

TEST_F(CliUnderMpiexec, TwoAndThreeRanksWriteTheOneProcessRanks) {
  const std::string graph = std::string(GASWORKS_PROJECT_DATASETS) + "/email-Eu-core.txt";
  const auto one = dir_ / "one.tsv";
  ASSERT_EQ(run("pagerank --graph " + graph + " --quiet --out " + one.string()).exit_code, 0);
  const auto expected = read_ranks(one);
  ASSERT_EQ(expected.size(), 1005u);
  for (int ranks : {2, 3}) {
    const auto many = dir_ / "many.tsv", stats = dir_ / "stats.jsonl";
    const auto r = run_ranks(ranks, "pagerank --graph " + graph + " --partition grid --threads 1 --top 3 --out " +
                                        many.string() + " --stats " + stats.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Only rank 0 speaks.
    EXPECT_EQ(count(r.out, "top 3 vertices by rank"), 1u) << r.out;
    EXPECT_NE(r.out.find("partition: " + std::to_string(ranks) + " ranks, grid partition: replication "),
              std::string::npos)
        << r.out;
    const auto got = read_ranks(many);
    ASSERT_EQ(got.size(), expected.size());
    for (const auto& [id, rank] : expected) EXPECT_NEAR(got.at(id), rank, 1e-9) << id;
    const std::string stats_text = read(stats);
    EXPECT_EQ(stats_text.rfind("{\"ingress\":{\"ranks\":" + std::to_string(ranks) + ",\"partition\":\"grid\",", 0), 0u)
        << stats_text;
    EXPECT_NE(stats_text.find("\"bytes_sent_per_rank\":"), std::string::npos);
    // The README promises the time of each ingress step, on screen and in --stats.
    EXPECT_NE(r.out.find("ingress steps: read "), std::string::npos) << r.out;
    for (const char* step : {"read", "deduplicate", "place", "exchange", "build", "directory"})
      EXPECT_NE(stats_text.find("\"" + std::string(step) + "\":"), std::string::npos) << step;
  }
}

TEST_F(CliUnderMpiexec, AsynchronousEngineOnTwoRanksReachesTheOneProcessRanks) {
  const std::string graph = std::string(GASWORKS_PROJECT_DATASETS) + "/email-Eu-core.txt";
  const auto one = dir_ / "one.tsv", many = dir_ / "many.tsv";
  ASSERT_EQ(run("pagerank --graph " + graph + " --tol 1e-14 --quiet --out " + one.string()).exit_code, 0);
  const auto r = run_ranks(2, "pagerank --graph " + graph + " --engine async --tol 1e-10 --threads 1 --top 0 --out " +
                                  many.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count(r.out, "rounds of colour phases"), 1u) << r.out;
  const auto expected = read_ranks(one), got = read_ranks(many);
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [id, rank] : expected) EXPECT_NEAR(got.at(id), rank, 1e-9) << id;
}

TEST_F(CliUnderMpiexec, ABadLineReadByOneRankEndsEveryRankWithItsFileAndLine) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += std::to_string(i) + " " + std::to_string(i + 1) + "\n";
  const auto bad = file("bad.txt", text + "5 x\n");
  const auto out = dir_ / "never.tsv";
  const auto r = run_ranks(3, "pagerank --graph " + bad.string() + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string message = "rank 2: " + bad.string() + ":301: expected a non-negative integer vertex id, got 'x'";
  EXPECT_EQ(count(r.err, message), 1u) << r.err;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(run_ranks(2, "pagerank --graph " + (dir_ / "missing.txt").string()).exit_code, 1);
}

TEST_F(CliUnderMpiexec, AFailureOnOneRankEndsTheWholeJob) {
  // Only rank 0 writes the result; the others are done by then and wait.
  const std::string graph = std::string(GASWORKS_PROJECT_DATASETS) + "/email-Eu-core.txt";
  const auto r = run_ranks(3, "pagerank --graph " + graph + " --quiet --out " + (dir_ / "no/such/dir/r.tsv").string());
  EXPECT_EQ(r.exit_code, 1) << (r.exit_code == 124 ? "the job hung" : r.err);
  EXPECT_NE(r.err.find("error on rank 0: cannot create"), std::string::npos) << r.err;
}

TEST_F(CliUnderMpiexec, SchedulerFlagsAreRefusedWhereColourPhasesDecideTheOrder) {
  const std::string graph = std::string(GASWORKS_PROJECT_DATASETS) + "/email-Eu-core.txt";
  for (const char* flag : {"--scheduler priority", "--sweep-order random", "--min-priority 0.5"}) {
    const auto r = run_ranks(2, "pagerank --graph " + graph + " --engine async --threads 1 " + flag);
    EXPECT_EQ(r.exit_code, 2) << flag << ": " << r.err;
    EXPECT_EQ(count(r.err, "under mpiexec the asynchronous engine runs colour phases"), 1u) << flag << ": " << r.err;
  }
  // One process honours them.
  EXPECT_EQ(run("pagerank --graph " + graph + " --engine async --scheduler priority --quiet").exit_code, 0);
}

TEST_F(CliUnderMpiexec, UsageErrorsArePrintedOnceAndExitWithTwo) {
  const auto r = run_ranks(2, "pagerank --bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(count(r.err, "unrecognised option '--bogus'"), 1u) << r.err;
}
