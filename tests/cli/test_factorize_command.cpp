// gasworks als / sgd as a user runs them: help, results in input order,
// the fallback for unknown users and items, strict input errors, and the
// same ALS predictions under mpiexec.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/ratings_files.hpp"
#include "tests/support/command_test.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;
using gasworks::testing::command_result;

struct prediction {
  std::uint64_t user, item;
  double value;
};

class FactorizeCommand : public gasworks::testing::command_test {
 protected:
  FactorizeCommand() : command_test("gasworks_cf_cli", "") {}

  void SetUp() override {
    gasworks::testing::write_ratings(dir_ / "train.tsv", gasworks::testing::low_rank_ratings(30, 20, 2, 0.5, 5));
    // Known pairs, then an unknown item (99) and an unknown user (77).
    scratch_.write("pairs.tsv", "3 4 9 881250949\n0 0\n3 99\n77 1\n");
  }

  static std::vector<prediction> read_predictions(const fs::path& p) {
    std::vector<prediction> out;
    std::ifstream in(p);
    prediction x{};
    while (in >> x.user >> x.item >> x.value) out.push_back(x);
    return out;
  }
  static std::vector<std::vector<double>> read_rows(const fs::path& p) {
    std::vector<std::vector<double>> rows;
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      std::vector<double> row;
      for (double x; fields >> x;) row.push_back(x);
      rows.push_back(row);
    }
    return rows;
  }
};

TEST_F(FactorizeCommand, HelpNamesEveryFlag) {
  for (const std::string command : {"als", "sgd"}) {
    const auto r = run(command + " --help");
    EXPECT_EQ(r.exit_code, 0);
    for (const char* flag : {"--ratings", "--validation", "--predict", "--out", "--rank", "--lambda", "--iterations",
                             "--seed", "--min", "--max", "--biases", "--engine", "--threads", "--stats", "--partition"})
      EXPECT_NE(r.out.find(flag), std::string::npos) << command << " " << flag;
  }
  EXPECT_NE(run("als --help").out.find("scaled by each vertex's rating count"), std::string::npos);
  for (const char* flag : {"--step", "--step-decay"}) EXPECT_NE(run("sgd --help").out.find(flag), std::string::npos) << flag;
  for (const char* flag : {"--prior", "--bias-lambda", "--variational"})
    EXPECT_NE(run("als --help").out.find(flag), std::string::npos) << flag;
  EXPECT_NE(run("--help").out.find("als"), std::string::npos);
}

TEST_F(FactorizeCommand, WritesFactorsAndPredictionsInInputOrder) {
  for (const std::string command : {"als", "sgd"}) {
    SCOPED_TRACE(command);
    const auto r = run(command + " --ratings train.tsv --validation train.tsv --predict pairs.tsv --rank 2 --iterations 5 "
                       "--out model --stats stats.jsonl --min 0 --max 1.5");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("best validation RMSE"), std::string::npos) << r.out;
    // Two pairs have an unknown side: a warning names how many and the first line.
    EXPECT_NE(r.err.find("2 of 4 pairs"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
    const auto users = read_rows(dir_ / "model.users"), items = read_rows(dir_ / "model.items");
    ASSERT_EQ(users.size(), 30u);
    ASSERT_EQ(items.size(), 20u);
    for (std::size_t i = 0; i < users.size(); ++i) {
      ASSERT_EQ(users[i].size(), 3u);  // id then 2 factors
      EXPECT_EQ(users[i][0], static_cast<double>(i));
    }
    const auto predicted = read_predictions(dir_ / "model.predictions");
    ASSERT_EQ(predicted.size(), 4u);
    EXPECT_EQ(predicted[0].user, 3u);
    EXPECT_EQ(predicted[0].item, 4u);
    EXPECT_EQ(predicted[2].item, 99u);
    EXPECT_EQ(predicted[3].user, 77u);
    for (const auto& p : predicted) {
      EXPECT_GE(p.value, 0);
      EXPECT_LE(p.value, 1.5);
    }
    // Unknown pairs get the training mean plus the known side's bias (both
    // commands fit biases by default): user 3's for (3, 99), item 1's for (77, 1).
    std::map<std::string, double> biases;
    std::istringstream bias_lines(gasworks::testing::read_text(dir_ / "model.biases"));
    for (std::string kind, id; bias_lines >> kind;) {
      if (kind != "mean") bias_lines >> id;
      bias_lines >> biases[kind + id];
    }
    ASSERT_TRUE(biases.contains("mean") && biases.contains("user3") && biases.contains("item1"));
    EXPECT_NEAR(predicted[2].value, std::clamp(biases["mean"] + biases["user3"], 0.0, 1.5), 1e-9);
    EXPECT_NEAR(predicted[3].value, std::clamp(biases["mean"] + biases["item1"], 0.0, 1.5), 1e-9);
    const std::string stats = gasworks::testing::read_text(dir_ / "stats.jsonl");
    EXPECT_NE(stats.find("\"train_rmse\":"), std::string::npos);
    EXPECT_NE(stats.find("\"validation_rmse\":"), std::string::npos);
  }
}

TEST_F(FactorizeCommand, ClampsToTheTrainingRangeByDefault) {
  scratch_.write("small.tsv", "1 1 2\n1 2 4\n2 1 3\n2 2 3\n");
  scratch_.write("far.tsv", "1 1\n1 2\n2 1\n2 2\n");
  ASSERT_EQ(run("sgd --ratings small.tsv --predict far.tsv --step 0.5 --iterations 3 --out m --quiet").exit_code, 0);
  for (const auto& p : read_predictions(dir_ / "m.predictions")) {
    EXPECT_GE(p.value, 2);
    EXPECT_LE(p.value, 4);
  }
}

TEST_F(FactorizeCommand, BadInputNamesFileAndLineAndWritesNothing) {
  struct bad_case {
    std::string content, expected;
  };
  const bad_case cases[] = {
      {"1 2 3\n1 2 x\n", "bad.tsv:2: expected a numeric rating, got 'x'"},
      {"1 2 3\n1 2\n", "bad.tsv:2: expected 'user item rating [timestamp]', got 2 columns"},
      {"", "bad.tsv: no ratings found"},
      {"1 -2 3\n", "bad.tsv:1: expected a non-negative integer item id"},
  };
  for (const auto& c : cases) {
    scratch_.write("bad.tsv", c.content);
    const auto r = run("als --ratings bad.tsv --out bad");
    EXPECT_EQ(r.exit_code, 1) << c.content;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "bad.users"));
  }
  scratch_.write("pairs_bad.tsv", "1 2\n3\n");
  const auto r = run("als --ratings train.tsv --predict pairs_bad.tsv --out m");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pairs_bad.tsv:2: expected 'user item ...', got 1 column"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "m.users"));  // checked before training
}

TEST_F(FactorizeCommand, UsageErrorsExitWithTwo) {
  for (const std::string args : {"--rank 0", "--lambda -1", "--iterations 0", "--engine turbo", "--biases maybe",
                                 "--predict pairs.tsv", "--max-iterations 3", "--min 5 --max 1", "--bogus",
                                 "--scheduler priority", "--engine async --consistency vertex",
                                 "--engine async --max-updates 10", "--engine async --scheduler lifo", "--prior -1",
                                 "--bias-lambda x", "--variational maybe"}) {
    const auto r = run("als --ratings train.tsv " + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
  }
  EXPECT_EQ(run("als").exit_code, 2);
  EXPECT_EQ(run("sgd --ratings train.tsv --step 0").exit_code, 2);
  EXPECT_EQ(run("sgd --ratings train.tsv --step-decay 1.5").exit_code, 2);
  EXPECT_EQ(run("sgd --ratings train.tsv --engine async --consistency vertex").exit_code, 2);
}

TEST_F(FactorizeCommand, BothRunOnTheAsynchronousEngineWithEachScheduler) {
  for (const std::string scheduler : {"als fifo", "als sweep", "als priority", "sgd fifo", "sgd priority"}) {
    SCOPED_TRACE(scheduler);
    const std::string command = scheduler.substr(0, 3);
    const std::string extra =
        command == "sgd" ? " --step 0.05 --step-decay 1 --lambda 0.001" : " --lambda 0.01 --prior 0 --bias-lambda 0.01";
    const auto r = run(command + " --ratings train.tsv --validation train.tsv --rank 2 --iterations 60 --threads 1 --engine async "
                       "--scheduler " + scheduler.substr(4) + extra + " --out model --stats stats.jsonl");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("best validation RMSE"), std::string::npos) << r.out;
    EXPECT_EQ(read_rows(dir_ / "model.users").size(), 30u);
    EXPECT_EQ(read_rows(dir_ / "model.items").size(), 20u);
    const std::string stats = gasworks::testing::read_text(dir_ / "stats.jsonl");
    EXPECT_NE(stats.find("\"train_rmse\":"), std::string::npos);
    // The rank-2 ratings are fitted closely: the last row of the history
    // table (iteration, train RMSE, validation RMSE, seconds) shows it.
    double last_train_rmse = -1;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      double iteration = 0, train = 0, validation = 0, seconds = 0;
      if (fields >> iteration >> train >> validation >> seconds) last_train_rmse = train;
    }
    EXPECT_GE(last_train_rmse, 0) << r.out;
    EXPECT_LT(last_train_rmse, command == "als" ? 0.05 : 0.1) << r.out;
  }
}

TEST_F(FactorizeCommand, AlsUnderMpiexecWritesTheOneProcessPredictions) {
  const std::string args = "als --ratings train.tsv --predict train.tsv --rank 2 --iterations 4 --quiet --out ";
  ASSERT_EQ(run(args + "one").exit_code, 0);
  const auto expected = read_predictions(dir_ / "one.predictions");
  ASSERT_EQ(expected.size(), gasworks::testing::low_rank_ratings(30, 20, 2, 0.5, 5).size());
  for (int ranks : {2, 3}) {
    const auto r = run_ranks(ranks, args + "many --threads 1 --partition hdrf");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    const auto got = read_predictions(dir_ / "many.predictions");
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].user, expected[i].user);
      EXPECT_NEAR(got[i].value, expected[i].value, 1e-9) << i;
    }
  }
  // As for pagerank, the run names its partition and the time of each ingress step.
  const auto r = run_ranks(2, "sgd --ratings train.tsv --rank 2 --iterations 1 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("partition: 2 ranks, grid partition: replication "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ingress steps: read "), std::string::npos) << r.out;
}

}  // namespace
