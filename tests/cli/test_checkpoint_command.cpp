// Checkpoints as a user meets them: a resumed run writes what an
// uninterrupted run writes; a damaged, truncated or missing checkpoint file
// is named and the previous checkpoint used; a checkpoint of another run
// (input, flags, ranks) is refused with exit 1; flags that make no sense
// together are usage errors. (tests/crash/kill_and_resume.sh kills runs.)
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "tests/support/command_test.hpp"
#include "tests/support/damaged_files.hpp"
#include "tests/support/ratings_files.hpp"

namespace {

namespace fs = std::filesystem;
using gasworks::testing::command_result;

const std::string graph = std::string(GASWORKS_PROJECT_DATASETS) + "/email-Eu-core.txt";

class CheckpointCommand : public gasworks::testing::command_test {
 protected:
  CheckpointCommand() : command_test("gasworks_checkpoint_cli", "") {}

  // The checkpoint folders present, oldest first.
  std::vector<std::string> checkpoints(const std::string& dir) const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_ / dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  void flip_byte(const fs::path& file, std::uint64_t at) const { gasworks::testing::flip_byte(dir_ / file, at); }
};

constexpr const char* pagerank_run = "pagerank --graph GRAPH --iterations 12 --threads 2 --quiet";

std::string with_graph(std::string command) { return command.replace(command.find("GRAPH"), 5, graph); }

TEST_F(CheckpointCommand, HelpDescribesTheFlags) {
  const command_result r = run("pagerank --help");
  ASSERT_EQ(r.exit_code, 0);
  for (const char* flag : {"--checkpoint DIR", "--checkpoint-every N", "--checkpoint-interval SECONDS", "--resume DIR"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  EXPECT_NE(run("als --help").out.find("checkpoint after every N iterations"), std::string::npos);
}

TEST_F(CheckpointCommand, AResumedPageRankWritesWhatAnUninterruptedOneWrites) {
  ASSERT_EQ(run(with_graph(pagerank_run) + " --out whole.txt").exit_code, 0);
  const command_result saved = run(with_graph(pagerank_run) + " --out first.txt --checkpoint ck --checkpoint-every 5");
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_EQ(read("first.txt"), read("whole.txt"));  // checkpoints change nothing
  EXPECT_EQ(checkpoints("ck"), (std::vector<std::string>{"step-000000000005", "step-000000000010"}));

  const std::string resume = with_graph("pagerank --graph GRAPH --iterations 12 --threads 1 --out resumed.txt --resume ck");
  command_result r = run(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("resuming from the checkpoint after superstep 10"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("after 12 supersteps"), std::string::npos) << r.out;
  EXPECT_EQ(read("resumed.txt"), read("whole.txt"));

  // A flipped byte in the newest: named, skipped, the one before used.
  flip_byte("ck/step-000000000010/rank-0.state", 200);
  r = run(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("checkpoint skipped: checkpoint file 'ck/step-000000000010/rank-0.state' is damaged"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("resuming from the checkpoint after superstep 5"), std::string::npos) << r.out;
  EXPECT_EQ(read("resumed.txt"), read("whole.txt"));

  // Truncated as well: nothing left to resume from, exit 1, no output touched.
  fs::resize_file(dir_ / "ck/step-000000000005/rank-0.state", 100);
  fs::remove(dir_ / "resumed.txt");
  r = run(resume);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no complete checkpoint to resume from in 'ck'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is truncated"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "resumed.txt"));
}

TEST_F(CheckpointCommand, ACheckpointOfAnotherRunIsRefused) {
  ASSERT_EQ(run(with_graph(pagerank_run) + " --checkpoint ck --checkpoint-every 4").exit_code, 0);
  command_result r = run(with_graph(pagerank_run) + " --damping 0.8 --resume ck");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("belongs to another run: its flags differ"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("damping=0.85"), std::string::npos) << r.err;

  scratch_.write("other.txt", "0 1\n1 2\n2 0\n");
  r = run("pagerank --graph other.txt --iterations 12 --quiet --resume ck");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("different input"), std::string::npos) << r.err;

  r = run_ranks(2, with_graph(pagerank_run) + " --resume ck");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("made by 1 rank(s); this run has 2"), std::string::npos) << r.err;

  r = run(with_graph(pagerank_run) + " --resume nowhere");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("holds no checkpoint"), std::string::npos) << r.err;
}

TEST_F(CheckpointCommand, FlagsThatDoNotGoTogetherAreUsageErrors) {
  EXPECT_EQ(run(with_graph(pagerank_run) + " --checkpoint-every 2").exit_code, 2);
  EXPECT_EQ(run(with_graph(pagerank_run) + " --checkpoint ck --checkpoint-every 2 --checkpoint-interval 5").exit_code, 2);
  EXPECT_EQ(run(with_graph(pagerank_run) + " --checkpoint ck --checkpoint-every 0").exit_code, 2);
}

TEST_F(CheckpointCommand, AnUnwritableCheckpointFolderStopsTheRunAndSaysWhy) {
  scratch_.write("blocker", "a file where the checkpoint folder should go\n");
  const command_result r = run(with_graph(pagerank_run) + " --out ranks.txt --checkpoint blocker/ck");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot create checkpoint folder 'blocker/ck/step-000000000001'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "ranks.txt"));
}

TEST_F(CheckpointCommand, TwoRanksResumeAndSurviveALostRankFile) {
  const std::string command = with_graph("pagerank --graph GRAPH --iterations 9 --threads 1 --quiet");
  ASSERT_EQ(run_ranks(2, command + " --out whole.txt").exit_code, 0);
  command_result r = run_ranks(2, command + " --checkpoint ck --checkpoint-every 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(checkpoints("ck"), (std::vector<std::string>{"step-000000000003", "step-000000000006"}));
  fs::remove(dir_ / "ck/step-000000000006/rank-1.state");
  r = run_ranks(2, with_graph("pagerank --graph GRAPH --iterations 9 --threads 1 --out resumed.txt --resume ck"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("checkpoint skipped: rank 1: checkpoint file 'ck/step-000000000006/rank-1.state' cannot be read"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("resuming from the checkpoint after superstep 3"), std::string::npos) << r.out;
  EXPECT_EQ(read("resumed.txt"), read("whole.txt"));
}

TEST_F(CheckpointCommand, ResumedFactorizationsWriteTheSameModel) {
  gasworks::testing::write_ratings(dir_ / "train.tsv", gasworks::testing::low_rank_ratings(40, 30, 2, 0.5, 5));
  for (const char* algorithm : {"als", "sgd"}) {
    const std::string command = std::string(algorithm) + " --ratings train.tsv --iterations 6 --rank 4 --quiet";
    ASSERT_EQ(run(command + " --out whole").exit_code, 0);
    ASSERT_EQ(run(command + " --checkpoint ck --checkpoint-every 2").exit_code, 0);
    // Iterations 2 and 4 (no checkpoint after the last).
    EXPECT_EQ(checkpoints("ck"), (std::vector<std::string>{"step-000000000004", "step-000000000008"})) << algorithm;
    const command_result r = run(std::string(algorithm) + " --ratings train.tsv --iterations 6 --rank 4 --out resumed --resume ck");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The table of fits covers every iteration, those before the checkpoint too.
    EXPECT_NE(r.out.find("\n          1  "), std::string::npos) << r.out;
    for (const char* part : {".users", ".items", ".biases"})
      EXPECT_EQ(read(std::string("resumed") + part), read(std::string("whole") + part)) << algorithm << part;
    fs::remove_all(dir_ / "ck");
  }
}

// 60 documents of 30 words from a vocabulary of 40, drawn from a fixed sequence.
std::string small_corpus() {
  std::string corpus;
  std::uint64_t x = 7;
  for (int d = 0; d < 60; ++d) {
    for (int t = 0; t < 30; ++t) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      corpus += "w" + std::to_string((x >> 33) % 40 / (d % 3 + 1)) + ' ';
    }
    corpus += '\n';
  }
  return corpus;
}

TEST_F(CheckpointCommand, AResumedLdaWritesWhatAnUninterruptedOneWrites) {
  scratch_.write("corpus.txt", small_corpus());
  const std::string command = "lda --corpus corpus.txt --topics 5 --sweeps 7 --parts 2 --quiet";
  ASSERT_EQ(run(command + " --out whole").exit_code, 0);
  ASSERT_EQ(run(command + " --checkpoint ck --checkpoint-every 2").exit_code, 0);
  // A sweep is three supersteps here (two parts and a recount): sweeps 4 and 6.
  EXPECT_EQ(checkpoints("ck"), (std::vector<std::string>{"step-000000000012", "step-000000000018"}));
  const command_result r = run("lda --corpus corpus.txt --topics 5 --sweeps 7 --parts 2 --out resumed --resume ck");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("resuming from the checkpoint after superstep 18"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lda: 7 sweeps"), std::string::npos) << r.out;
  for (const char* part : {".topics", ".word_topics", ".doc_topics", ".vocab"})
    EXPECT_EQ(read(std::string("resumed") + part), read(std::string("whole") + part)) << part;
}

// The topic counts of a PREFIX.word_topics or PREFIX.doc_topics file, summed.
std::uint64_t tokens_counted(const std::string& text) {
  std::uint64_t total = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string field;
    fields >> field;  // the word's or document's id
    while (fields >> field) total += std::stoull(field.substr(field.find(':') + 1));
  }
  return total;
}

TEST_F(CheckpointCommand, AResumedAsynchronousLdaGoesOnFromItsSweep) {
  scratch_.write("corpus.txt", small_corpus());
  const std::string command = "lda --corpus corpus.txt --topics 5 --sweeps 7 --engine async --threads 1 --quiet";
  ASSERT_EQ(run(command + " --out whole").exit_code, 0);
  ASSERT_EQ(run(command + " --checkpoint ck --checkpoint-every 2").exit_code, 0);
  // The asynchronous engine counts sweeps: after sweeps 4 and 6.
  EXPECT_EQ(checkpoints("ck"), (std::vector<std::string>{"step-000000000004", "step-000000000006"}));
  // Draws depend on (seed, sweep, document): on one thread the resumed run
  // repeats the uninterrupted one.
  command_result r = run("lda --corpus corpus.txt --topics 5 --sweeps 7 --engine async --threads 1 --out resumed --resume ck");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("resuming from the checkpoint after sweep 6"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lda: 7 sweeps"), std::string::npos) << r.out;
  for (const char* part : {".topics", ".word_topics", ".doc_topics"})
    EXPECT_EQ(read(std::string("resumed") + part), read(std::string("whole") + part)) << part;
  // On two threads the order of updates differs, but every token is counted
  // once by its word and once by its document.
  r = run("lda --corpus corpus.txt --topics 5 --sweeps 7 --engine async --threads 2 --out two --resume ck");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tokens_counted(read("two.word_topics")), 60u * 30u);
  EXPECT_EQ(tokens_counted(read("two.doc_topics")), 60u * 30u);
  // A checkpoint of the asynchronous engine is not the synchronous one's.
  EXPECT_EQ(run("lda --corpus corpus.txt --topics 5 --sweeps 7 --resume ck").exit_code, 1);
}

TEST_F(CheckpointCommand, AResumedBpWritesWhatAnUninterruptedOneWrites) {
  const std::string model = std::string(GASWORKS_PROJECT_DATASETS) + "/uai/ObjectDetection_11.uai";
  const std::string command = "bp --model " + model + " --evidence " + model + ".evid --iterations 30 --damping 0.3 --quiet";
  ASSERT_EQ(run(command + " --out whole.mar").exit_code, 0);
  ASSERT_EQ(run(command + " --checkpoint ck --checkpoint-every 4").exit_code, 0);
  // An iteration is a variable step and a factor step: iterations 24 and 28.
  EXPECT_EQ(checkpoints("ck"), (std::vector<std::string>{"step-000000000048", "step-000000000056"}));
  const command_result r = run(command + " --out resumed.mar --resume ck");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read("resumed.mar"), read("whole.mar"));
}

// The probabilities of a UAI MAR file, in order.
std::vector<double> probabilities_in(const std::string& mar) {
  std::istringstream in(mar);
  std::string header;
  std::size_t variables = 0;
  in >> header >> variables;
  std::vector<double> p;
  for (std::size_t v = 0; v < variables; ++v) {
    std::size_t values = 0;
    in >> values;
    for (std::size_t i = 0; i < values; ++i) p.push_back(0), in >> p.back();
  }
  return p;
}

TEST_F(CheckpointCommand, AResumedAsynchronousBpReachesTheUninterruptedMarginals) {
  const std::string model = std::string(GASWORKS_PROJECT_DATASETS) + "/uai/ObjectDetection_11.uai";
  for (const char* schedule : {"residual", "sweep"}) {
    SCOPED_TRACE(schedule);
    fs::remove_all(dir_ / "ck");
    const std::string command = "bp --model " + model + " --evidence " + model + ".evid --damping 0.3 --tol 1e-10 --schedule " +
                                schedule + " --threads 2";
    ASSERT_EQ(run(command + " --quiet --out whole.mar").exit_code, 0);
    ASSERT_EQ(run(command + " --quiet --checkpoint ck --checkpoint-every 1").exit_code, 0);
    ASSERT_FALSE(checkpoints("ck").empty());
    const command_result r = run(command + " --out resumed.mar --resume ck");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("resuming from the checkpoint after progress report"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("converged"), std::string::npos) << r.out;
    const auto whole = probabilities_in(read("whole.mar")), resumed = probabilities_in(read("resumed.mar"));
    ASSERT_EQ(resumed.size(), whole.size());
    ASSERT_FALSE(whole.empty());
    // Both runs stop where no message moves by 1e-10: the marginals agree far
    // closer than the printed digits need.
    for (std::size_t i = 0; i < whole.size(); ++i) EXPECT_NEAR(resumed[i], whole[i], 1e-7) << i;
  }
}

// The ranks of an 'id<TAB>rank' file.
std::vector<std::pair<std::string, double>> ranks_in(const std::string& text) {
  std::vector<std::pair<std::string, double>> ranks;
  std::istringstream in(text);
  std::string id;
  double rank = 0;
  while (in >> id >> rank) ranks.emplace_back(id, rank);
  return ranks;
}

TEST_F(CheckpointCommand, AnIntervalInSecondsSavesOnceTheTimeHasPassed) {
  // Every superstep ends past a 0 s interval; none ends past a day's.
  const std::string command = with_graph("pagerank --graph GRAPH --iterations 30 --quiet");
  ASSERT_EQ(run(command + " --out whole.txt").exit_code, 0);
  ASSERT_EQ(run(command + " --checkpoint day --checkpoint-interval 86400").exit_code, 0);
  EXPECT_FALSE(fs::exists(dir_ / "day"));
  ASSERT_EQ(run_ranks(2, command + " --threads 1 --checkpoint now --checkpoint-interval 0").exit_code, 0);
  EXPECT_EQ(checkpoints("now"), (std::vector<std::string>{"step-000000000028", "step-000000000029"}));
  const command_result r = run_ranks(2, command + " --threads 1 --out resumed.txt --resume now");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ranks_in(read("resumed.txt")).size(), 1005u);
}

TEST_F(CheckpointCommand, AResumedAsynchronousRunReachesTheUninterruptedRanks) {
  for (const int ranks : {1, 2}) {
    const auto run_on = [&](const std::string& args) { return ranks == 1 ? run(args) : run_ranks(ranks, args); };
    const std::string command = with_graph("pagerank --graph GRAPH --engine async --tol 1e-11 --threads 1 --quiet");
    ASSERT_EQ(run_on(command + " --out whole.txt").exit_code, 0);
    // Stopped after 8 reports' worth of updates (a report per 1005 updates).
    command_result r = run_on(command + " --max-updates 8100 --checkpoint ck --checkpoint-every 3");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(checkpoints("ck"), (std::vector<std::string>{"step-000000000003", "step-000000000006"})) << ranks;
    r = run_on(with_graph("pagerank --graph GRAPH --engine async --tol 1e-11 --threads 1 --out resumed.txt --resume ck"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("resuming from the checkpoint after progress report 6"), std::string::npos) << r.out;
    const auto whole = ranks_in(read("whole.txt")), resumed = ranks_in(read("resumed.txt"));
    ASSERT_EQ(resumed.size(), whole.size());
    ASSERT_EQ(whole.size(), 1005u);
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(resumed[i].first, whole[i].first);
      EXPECT_NEAR(resumed[i].second, whole[i].second, 1e-9) << "vertex " << whole[i].first << " on " << ranks << " rank(s)";
    }
    fs::remove_all(dir_ / "ck");
  }
}

// A full disk, as the process meets it: writes fail once files reach a size
// (the shell's file-size limit, with SIGXFSZ ignored so that the write
// returns an error instead of killing the process).
std::string with_full_disk(const std::string& command) { return "trap '' XFSZ; ulimit -f 4; " + command; }

TEST_F(CheckpointCommand, AFullDiskLeavesThePreviousOutputAndCheckpointIntactAndSaysSo) {
  ASSERT_EQ(run(with_graph(pagerank_run) + " --out ranks.txt --checkpoint ck --checkpoint-every 5").exit_code, 0);
  const std::string before = read("ranks.txt");
  ASSERT_GT(before.size(), 4096u);  // more than the limit lets through
  command_result r = gasworks::testing::run_shell(in_scratch() + with_full_disk(GASWORKS_BINARY " " + with_graph(pagerank_run) + " --out ranks.txt"), dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot write 'ranks.txt'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("disk full"), std::string::npos) << r.err;
  EXPECT_EQ(read("ranks.txt"), before);

  // A checkpoint that cannot be written stops the run; the earlier ones stay.
  ASSERT_EQ(run(with_graph("pagerank --graph GRAPH --iterations 40 --quiet --checkpoint big --checkpoint-every 30")).exit_code, 0);
  ASSERT_EQ(checkpoints("big"), std::vector<std::string>{"step-000000000030"});
  r = gasworks::testing::run_shell(in_scratch() + with_full_disk(GASWORKS_BINARY " " +
                                              with_graph("pagerank --graph GRAPH --iterations 40 --quiet --resume big "
                                                         "--checkpoint big --checkpoint-every 1 --out r.txt")),
                dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot write checkpoint"), std::string::npos) << r.err;
  EXPECT_EQ(checkpoints("big"), std::vector<std::string>{"step-000000000030"});
  EXPECT_FALSE(fs::exists(dir_ / "r.txt"));
  r = run(with_graph("pagerank --graph GRAPH --iterations 40 --out r.txt --resume big"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("resuming from the checkpoint after superstep 30"), std::string::npos) << r.out;
}

}  // namespace
