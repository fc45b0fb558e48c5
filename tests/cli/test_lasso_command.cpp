// gasworks lasso as a user runs it: help and usage errors, the exact model of
// a tiny problem in the .coef file, all zeros at lambda_max, the path table,
// predictions for test data, the same model under mpiexec, and strict input
// errors that write nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/command_test.hpp"
#include "tests/support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;

// y = (1, 2, 6), one feature x = (0, 1, 2): at lambda = 1, beta = S(5, 3) / 2 = 1
// and b = 3 - 1 = 2 exactly (tests/toolkits/test_lasso.cpp works it out).
constexpr const char* tiny = "1\n2 1:1\n6 1:2\n";

// 40 samples, 6 features, two of them nearly copies of each other; a
// deterministic formula, so every run reads the same numbers.
std::string small_problem() {
  std::ostringstream out;
  out.precision(17);
  for (int i = 0; i < 40; ++i) {
    const double a = std::sin(1.0 + i), b = std::cos(2.0 * i), c = std::sin(0.5 * i * i);
    const double x[6] = {a, a + 0.01 * b, b, c, a * b, (i % 3) - 1.0};
    const double y = 3 * a - 2 * b + 0.5 * c + 0.1 * std::cos(7.0 * i);
    out << y;
    for (int j = 0; j < 6; ++j)
      if (x[j] != 0) out << ' ' << j + 1 << ':' << x[j];
    out << '\n';
  }
  return out.str();
}

class LassoCommand : public gasworks::testing::command_test {
 protected:
  LassoCommand() : command_test("gasworks_lasso", "") {}
  void SetUp() override {
    scratch_.write("tiny.libsvm", tiny);
    scratch_.write("small.libsvm", small_problem());
  }
  // The number printed right after `label` (NaN when absent).
  static double number_after(const std::string& text, const std::string& label) {
    const auto at = text.find(label);
    return at == std::string::npos ? NAN : std::stod(text.substr(at + label.size()));
  }
  // A .coef file as index -> value, with the intercept under index 0.
  std::map<long, double> read_coef(const std::string& name) const {
    std::istringstream in(read(name));
    std::map<long, double> out;
    std::string word;
    in >> word >> out[0];
    EXPECT_EQ(word, "intercept");
    for (long index; in >> index;) in >> out[index];
    return out;
  }
};

TEST_F(LassoCommand, HelpAndUsageErrors) {
  const auto help = run("lasso --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--data", "--test", "--lambda", "--lambda-ratio", "--path", "--lambda-min-ratio", "--schedule", "--parallel",
                           "--rho", "--eta", "--tol", "--max-rounds", "--intercept", "--standardize", "--threads", "--seed", "--out",
                           "--stats", "strads", "shotgun", "lambda_max", "duality gap"})
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  for (const std::string args :
       {"", "--data tiny.libsvm", "--data tiny.libsvm --lambda 1 --path 3", "--data tiny.libsvm --lambda 0",
        "--data tiny.libsvm --lambda -1", "--data tiny.libsvm --lambda-ratio 0", "--data tiny.libsvm --lambda 1 --parallel 0",
        "--data tiny.libsvm --lambda 1 --rho 0", "--data tiny.libsvm --lambda 1 --rho 1.5", "--data tiny.libsvm --lambda 1 --eta 0",
        "--data tiny.libsvm --lambda 1 --schedule random", "--data tiny.libsvm --lambda 1 --intercept yes",
        "--data tiny.libsvm --path 1", "--data tiny.libsvm --lambda 1 --tol 0"}) {
    const auto r = run("lasso " + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_NE(r.err.find("gasworks lasso --help"), std::string::npos) << args << ": " << r.err;
  }
}

TEST_F(LassoCommand, TheExactModelOfATinyProblem) {
  for (const char* schedule : {"cyclic", "shotgun", "strads"}) {
    const auto r = run(std::string("lasso --data tiny.libsvm --lambda 1 --tol 1e-12 --out tiny --schedule ") + schedule);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read("tiny.coef"), "intercept 2\n1 1\n") << schedule;
    EXPECT_NE(r.out.find("converged after"), std::string::npos) << r.out;
    EXPECT_NEAR(number_after(r.out, "objective "), 2.0, 1e-9) << r.out;
  }
  // At lambda_max every coefficient is zero and the intercept is the mean.
  const auto zero = run("lasso --data tiny.libsvm --lambda-ratio 1 --out zero");
  ASSERT_EQ(zero.exit_code, 0) << zero.err;
  EXPECT_EQ(read("zero.coef"), "intercept 3\n");
  EXPECT_NE(zero.out.find("every coefficient is zero"), std::string::npos) << zero.out;
}

TEST_F(LassoCommand, PathPredictionsAndTheSameModelUnderMpiexec) {
  const auto one = run("lasso --data small.libsvm --path 6 --lambda-min-ratio 0.01 --tol 1e-10 --test small.libsvm --out one --threads 2");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  // The path: a header and one line per lambda, nonzeros growing as lambda falls.
  std::istringstream path(read("one.path"));
  std::string header;
  std::getline(path, header);
  EXPECT_EQ(header, "lambda\tnonzeros\tobjective\tgap\trounds\tupdates\tseconds");
  std::vector<double> lambdas, nonzeros;
  for (double l, nz, rest; path >> l >> nz;) {
    lambdas.push_back(l);
    nonzeros.push_back(nz);
    for (int k = 0; k < 5; ++k) path >> rest;
  }
  ASSERT_EQ(lambdas.size(), 6u);
  EXPECT_EQ(nonzeros.front(), 0);
  EXPECT_GT(nonzeros.back(), 2);
  for (std::size_t k = 1; k < lambdas.size(); ++k) EXPECT_LT(lambdas[k], lambdas[k - 1]);
  // Predictions for the 40 test samples, with the fit's R^2 in the summary.
  std::istringstream predictions(read("one.predictions"));
  int count = 0;
  for (double y; predictions >> y;) ++count;
  EXPECT_EQ(count, 40);
  EXPECT_GT(number_after(one.out, "R^2 "), 0.9) << one.out;
  const auto expected = read_coef("one.coef");
  for (int ranks : {2, 3}) {
    const auto r = run_ranks(ranks, "lasso --data small.libsvm --path 6 --lambda-min-ratio 0.01 --tol 1e-10 --out many --threads 1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto got = read_coef("many.coef");
    ASSERT_EQ(got.size(), expected.size()) << ranks << " ranks";
    for (const auto& [index, value] : expected) EXPECT_NEAR(got.at(index), value, 1e-6 * (1 + std::abs(value))) << index;
  }
}

// A .path file without its seconds column (a resumed run's times differ).
std::string path_without_times(const std::string& path) {
  std::istringstream in(path);
  std::string out;
  for (std::string line; std::getline(in, line);) out += line.substr(0, line.rfind('\t')) + '\n';
  return out;
}

TEST_F(LassoCommand, AResumedPathWritesWhatAnUninterruptedOneWrites) {
  // Shotgun and cyclic one feature at a time: two of the features are
  // near-copies, which together would overshoot.
  for (const char* schedule : {"strads", "shotgun --parallel 1", "cyclic --parallel 1"}) {
    SCOPED_TRACE(schedule);
    fs::remove_all(dir_ / "ck");
    const std::string command = std::string("lasso --data small.libsvm --path 6 --lambda-min-ratio 0.01 --tol 1e-10 --schedule ") +
                                schedule + " --threads 1";
    ASSERT_EQ(run(command + " --quiet --out whole").exit_code, 0);
    ASSERT_EQ(run(command + " --quiet --checkpoint ck --checkpoint-every 3").exit_code, 0);
    ASSERT_FALSE(fs::is_empty(dir_ / "ck"));
    // The newest checkpoint is inside the path's last solves: the resumed
    // run goes on from the draws, priorities and coefficients it saved.
    const auto r = run(command + " --out resumed --resume ck");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("resuming from the checkpoint after epoch"), std::string::npos) << r.out;
    EXPECT_EQ(read("resumed.coef"), read("whole.coef"));
    EXPECT_EQ(path_without_times(read("resumed.path")), path_without_times(read("whole.path")));
  }
  // Two ranks save and resume alike, to the same model within the tolerance.
  const std::string command = "lasso --data small.libsvm --path 6 --lambda-min-ratio 0.01 --tol 1e-10 --threads 1";
  ASSERT_EQ(run_ranks(2, command + " --quiet --checkpoint ck2 --checkpoint-every 3").exit_code, 0);
  const auto two = run_ranks(2, command + " --out two --resume ck2");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(two.out.find("resuming from the checkpoint after epoch"), std::string::npos) << two.out;
  const auto expected = read_coef("whole.coef"), got = read_coef("two.coef");  // whole: the cyclic run above
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [index, value] : expected) EXPECT_NEAR(got.at(index), value, 1e-6 * (1 + std::abs(value))) << index;
  // A checkpoint of another schedule is refused.
  const auto other = run(command + " --schedule shotgun --parallel 1 --resume ck");  // ck: the cyclic run
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("schedule"), std::string::npos) << other.err;
}

// Four nearly equal features updated together overshoot without end: the
// run says so, fails, and writes nothing; strads keeps them apart.
TEST_F(LassoCommand, ADivergingScheduleFailsAndWritesNothing) {
  std::ostringstream data;
  data.precision(17);
  for (int i = 0; i < 30; ++i) {
    const double a = std::sin(1.0 + i), b = std::cos(3.0 * i);
    data << 2 * a;
    for (int k = 1; k <= 4; ++k) data << ' ' << k << ':' << a + 0.001 * k * b;
    data << '\n';
  }
  scratch_.write("copies.libsvm", data.str());
  const auto r = run("lasso --data copies.libsvm --lambda-ratio 0.001 --schedule cyclic --parallel 4 --out never");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("diverged"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--schedule strads"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "never.coef"));
  const auto safe = run("lasso --data copies.libsvm --lambda-ratio 0.001 --schedule strads --parallel 4 --out safe");
  EXPECT_EQ(safe.exit_code, 0) << safe.err;
  EXPECT_NE(safe.out.find("converged after"), std::string::npos) << safe.out;
}

TEST_F(LassoCommand, BadInputNamesFileAndLineAndWritesNothing) {
  scratch_.write("zero_index.libsvm", "1 1:2\n2 0:1\n");
  scratch_.write("unordered.libsvm", "1 2:1 1:3\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--data zero_index.libsvm", "zero_index.libsvm:2: feature index 0 in 1-based data"},
      {"--data unordered.libsvm", "unordered.libsvm:1: feature indices must increase along a line"},
      {"--data missing.libsvm", "missing.libsvm"},
      {"--data tiny.libsvm --test zero_index.libsvm", "zero_index.libsvm:2:"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run("lasso " + args + " --lambda 1 --out never");
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "never.coef")) << args;
  }
}

}  // namespace
