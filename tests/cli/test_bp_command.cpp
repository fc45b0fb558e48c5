// gasworks bp as a user runs it: help and usage errors, marginals and MAP
// labels in the UAI result format equal to the exact ones on a tree (every
// schedule, UAI and libDAI input), evidence, the reference comparison, the
// same results under mpiexec, and strict input errors that write nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/command_test.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;
using gasworks::testing::command_result;

// a (binary) and b (ternary): a unary factor on a, (1, 3), and a pairwise
// one, psi(a, b) = (1 2 3 / 4 5 6). The joint is proportional to
// (1 2 3 / 12 15 18), Z = 51: P(a) = (6, 45) / 51, P(b) = (13, 17, 21) / 51;
// the most probable assignment is a = 1, b = 2.
constexpr const char* tiny_uai = "MARKOV\n2\n2 3\n2\n1 0\n2 0 1\n\n2\n1 3\n6\n1 2 3\n4 5 6\n";
// The same model in libDAI's format: the first variable changes fastest.
constexpr const char* tiny_fg = "2\n\n1\n0\n2\n2\n0 1\n1 3\n\n2\n0 1\n2 3\n6\n0 1\n1 4\n2 2\n3 5\n4 3\n5 6\n";

const std::vector<std::vector<double>> tiny_exact = {{6.0 / 51, 45.0 / 51}, {13.0 / 51, 17.0 / 51, 21.0 / 51}};

class BpCommand : public gasworks::testing::command_test {
 protected:
  BpCommand() : command_test("gasworks_bp", "") {}

  void SetUp() override {
    scratch_.write("tiny.uai", tiny_uai);
    scratch_.write("tiny.fg", tiny_fg);
    // The exact marginals as a reference file.
    scratch_.write("tiny.MAR", "MAR\n2 2 0.11764705882352941 0.88235294117647056 3 0.25490196078431371 0.33333333333333331 "
                               "0.41176470588235292\n");
  }

  // A MAR file's marginals, checking its header and cardinalities' layout.
  std::vector<std::vector<double>> read_mar(const std::string& name) const {
    std::istringstream in(gasworks::testing::read_text(dir_ / name));
    std::string head;
    in >> head;
    EXPECT_EQ(head, "MAR");
    std::size_t n = 0;
    in >> n;
    std::vector<std::vector<double>> out(n);
    for (auto& p : out) {
      std::size_t c = 0;
      in >> c;
      p.resize(c);
      for (double& x : p) in >> x;
    }
    EXPECT_TRUE(in) << name;
    return out;
  }
  static double largest_difference(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
    double worst = a.size() == b.size() ? 0 : INFINITY;
    for (std::size_t v = 0; v < a.size() && v < b.size(); ++v) {
      if (a[v].size() != b[v].size()) return INFINITY;
      for (std::size_t x = 0; x < a[v].size(); ++x) worst = std::max(worst, std::abs(a[v][x] - b[v][x]));
    }
    return worst;
  }
  // The number printed right after `label` (infinity when absent).
  static double number_after(const std::string& text, const std::string& label) {
    const auto at = text.find(label);
    return at == std::string::npos ? INFINITY : std::stod(text.substr(at + label.size()));
  }
};

TEST_F(BpCommand, HelpAndUsageErrors) {
  const auto help = run("bp --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--model", "--evidence", "--task", "--schedule", "--damping", "--tol", "--iterations", "--max-updates",
                           "--log-domain", "--reference", "--out", "--threads", "--stats", "residual", "Hellinger"})
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  for (const std::string args : {"", "--model tiny.uai --schedule splash", "--model tiny.uai --task marginals",
                                 "--model tiny.uai --damping 1", "--model tiny.uai --damping -0.1", "--model tiny.uai --tol x",
                                 "--model tiny.uai --iterations 0", "--model tiny.uai --max-updates 10",
                                 "--model tiny.uai --schedule residual --iterations 5 --max-updates 10",
                                 "--model tiny.uai --log-domain yes", "--model tiny.uai --max-iterations 3", "tiny.uai"}) {
    const auto r = run("bp " + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_NE(r.err.find("gasworks bp --help"), std::string::npos) << args << ": " << r.err;
  }
}

TEST_F(BpCommand, EveryScheduleWritesTheExactMarginalsOfATree) {
  for (const std::string model : {"tiny.uai", "tiny.fg"})
    for (const std::string schedule : {"sync", "residual", "sweep"}) {
      SCOPED_TRACE(model + ", " + schedule);
      const auto r = run("bp --model " + model + " --schedule " + schedule + " --tol 1e-14 --out result.MAR --reference tiny.MAR");
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_LT(largest_difference(read_mar("result.MAR"), tiny_exact), 1e-12);
      EXPECT_NE(r.out.find("2 variables, 2 factors (arity up to 2), 0 observed"), std::string::npos) << r.out;
      EXPECT_NE(r.out.find(": converged after "), std::string::npos) << r.out;
      EXPECT_NE(r.out.find("log Z (Bethe estimate): 3.931826"), std::string::npos) << r.out;  // log 51, exact on a tree
      EXPECT_LT(number_after(r.out, "Hellinger mean "), 1e-12) << r.out;
      EXPECT_LT(number_after(r.out, "largest absolute error "), 1e-12) << r.out;
    }
}

// A run cut short by its limit says so, and --stats holds its supersteps and
// a closing summary of what it did.
TEST_F(BpCommand, ALimitedRunSaysItDidNotConvergeAndStatsSummariseIt) {
  const fs::path model = fs::path(GASWORKS_PROJECT_DATASETS) / "uai" / "ObjectDetection_11.uai";
  const auto sync = run("bp --model " + model.string() + " --iterations 2 --tol 1e-12 --stats sync.json --out cut.MAR");
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_NE(sync.out.find("NOT converged after 2 iterations"), std::string::npos) << sync.out;
  const std::string stats = read("sync.json");
  EXPECT_NE(stats.find("{\"superstep\":0,"), std::string::npos) << stats;
  const auto summary = stats.find("{\"summary\":{\"converged\":0,\"iterations\":2,\"messages\":");
  ASSERT_NE(summary, std::string::npos) << stats;
  EXPECT_NE(stats.find("\"log_z\":", summary), std::string::npos) << stats;
  EXPECT_EQ(stats.back(), '\n');

  const auto residual = run("bp --model " + model.string() + " --schedule residual --max-updates 30 --tol 1e-12 --stats async.json");
  ASSERT_EQ(residual.exit_code, 0) << residual.err;
  EXPECT_NE(residual.out.find("NOT converged after "), std::string::npos) << residual.out;
  const std::string async_stats = read("async.json");
  const auto at = async_stats.find("{\"summary\":{\"converged\":0,\"vertex_updates\":");
  ASSERT_NE(at, std::string::npos) << async_stats;
  // At most the budget, counted over every round of the schedule.
  EXPECT_LE(std::stod(async_stats.substr(at + std::string("{\"summary\":{\"converged\":0,\"vertex_updates\":").size())), 30.0);
}

TEST_F(BpCommand, EvidenceClampsAndMapFindsTheMostProbableAssignment) {
  scratch_.write("b2.evid", "1 1 2\n");
  const auto r = run("bp --model tiny.uai --evidence b2.evid --out given.MAR");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // P(a | b = 2) is proportional to (3, 18); b is a point mass.
  EXPECT_LT(largest_difference(read_mar("given.MAR"), {{1.0 / 7, 6.0 / 7}, {0, 0, 1}}), 1e-12);
  EXPECT_NE(r.out.find("1 observed"), std::string::npos) << r.out;
  for (const std::string schedule : {"sync", "residual"}) {
    const auto map = run("bp --model tiny.uai --task map --schedule " + schedule + " --out tiny.MAP");
    ASSERT_EQ(map.exit_code, 0) << map.err;
    EXPECT_EQ(read("tiny.MAP"), "MAP\n2 1 2\n");
    EXPECT_NE(map.out.find("max-product"), std::string::npos) << map.out;
  }
  scratch_.write("a0.evid", "1 0 0\n");
  ASSERT_EQ(run("bp --model tiny.uai --evidence a0.evid --task map --out a0.MAP").exit_code, 0);
  EXPECT_EQ(read("a0.MAP"), "MAP\n2 0 2\n");
}

TEST_F(BpCommand, TheSameMarginalsUnderMpiexec) {
  const fs::path model = fs::path(GASWORKS_PROJECT_DATASETS) / "uai" / "ObjectDetection_11.uai";
  const auto one = run("bp --model " + model.string() + " --reference " + model.string() + ".MAR --out one.MAR --threads 2");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  // Converged, yet off the exact marginals: the summary says whose error that is.
  EXPECT_GT(number_after(one.out, "Hellinger mean "), 1e-3) << one.out;
  EXPECT_NE(one.out.find("(BP converged: this error is its fixed point's on a model with loops"), std::string::npos) << one.out;
  const auto expected = read_mar("one.MAR");
  for (int ranks : {2, 3}) {
    const auto r = run_ranks(ranks, "bp --model " + model.string() + " --out many.MAR --threads 1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LT(largest_difference(read_mar("many.MAR"), expected), 1e-9) << ranks << " ranks";
  }
  const auto async = run_ranks(2, "bp --model " + model.string() + " --schedule residual --out async.MAR --threads 1");
  ASSERT_EQ(async.exit_code, 0) << async.err;
  EXPECT_NE(async.out.find("residual schedule: converged"), std::string::npos) << async.out;
  EXPECT_LT(largest_difference(read_mar("async.MAR"), expected), 1e-6);
}

TEST_F(BpCommand, BadInputNamesFileAndLineAndWritesNothing) {
  scratch_.write("short.uai", "MARKOV\n2\n2 3\n1\n2 0 1\n5\n1 2 3 4 5\n");
  scratch_.write("unknown.evid", "1 5 0\n");
  scratch_.write("tiny_bad.MAR", "MAR\n2 2 0.5 0.5 2 0.5 0.5\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--model short.uai", "short.uai:6: factor 0 has 6 entries (the product of its scope's cardinalities), not 5"},
      {"--model tiny.uai --evidence unknown.evid", "unknown.evid:1: expected an observed variable in [0, 1], got '5'"},
      {"--model tiny.uai --reference tiny_bad.MAR", "tiny_bad.MAR:2: expected the cardinality of variable 1 in [3, 3], got '2'"},
      {"--model missing.uai", "missing.uai"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run("bp " + args + " --out never.MAR");
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "never.MAR")) << args;
  }
}

}  // namespace
