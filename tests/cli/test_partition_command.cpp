// gasworks partition as a user runs it: help, the report table, the TSV
// file, and flag checking.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/scratch_directory.hpp"
#include "tests/support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;

using result = gasworks::testing::command_result;

class PartitionCommand : public ::testing::Test {
 protected:
  result run(const std::string& args) const {
    return gasworks::testing::run_shell(GASWORKS_BINARY " partition " + args, dir_);
  }

  static std::string read(const fs::path& p) { return gasworks::testing::read_text(p); }

  // Two triangles joined by an edge, a self-loop, a repeated edge.
  fs::path graph() const { return scratch_.write("g.txt", "# test\n0 1\n1 2\n2 0\n2 3\n3 4\n4 5\n5 3\n5 5\n0 1\n"); }

  gasworks::testing::scratch_directory scratch_{"gasworks_partition_cli"};
  const fs::path& dir_ = scratch_.path();
};

TEST_F(PartitionCommand, Help) {
  const auto r = run("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* text : {"--graph", "--parts", "--partition", "--all", "--out", "--format", "random", "grid", "oblivious",
                           "hdrf", "metis", "replication", "edge balance"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
}

TEST_F(PartitionCommand, ReportsOneMethodOrAll) {
  const auto g = graph().string();
  auto r = run("--graph " + g + " --parts 2 --partition grid");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("6 vertices, 8 edges"), std::string::npos) << r.out;  // the repeated edge dropped
  EXPECT_NE(r.out.find("\ngrid "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\nmetis "), std::string::npos) << r.out;

  r = run("--graph " + g + " --parts 3 --all");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* m : {"random", "grid", "oblivious", "hdrf", "metis"})
    EXPECT_NE(r.out.find("\n" + std::string(m) + " "), std::string::npos) << m;

  // One part: nothing is replicated, whatever the method.
  r = run("--graph " + g + " --parts 1 --partition metis");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("metis            1.000         1.000"), std::string::npos) << r.out;

  // An isolated vertex declared by an adjacency list counts, with one replica.
  r = run("--graph " + scratch_.write("g.adj", "0 1 1\n1 1 0\n2 0\n").string() + " --parts 2 --partition random");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 vertices, 2 edges"), std::string::npos) << r.out;

  r = run("--graph " + g + " --parts 2 --self-loops drop --quiet");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(PartitionCommand, WritesTheTableAsTsv) {
  const auto out = dir_ / "quality.tsv";
  const auto r = run("--graph " + graph().string() + " --parts 1 --all --quiet --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(out);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line, "method\tparts\tvertices\tedges\treplicas\treplication_factor\tedge_balance\tvertex_balance\tseconds");
  int rows = 0;
  while (std::getline(in, line)) {
    EXPECT_NE(line.find("\t1\t6\t8\t6\t1.000000\t1.000000\t1.000000\t"), std::string::npos) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 5);
}

TEST_F(PartitionCommand, BadFlagsExitWithTwo) {
  const auto g = graph().string();
  const std::string with_graph = "--graph " + g;
  for (const std::string& args : {with_graph, with_graph + " --parts 0", with_graph + " --parts 1025", with_graph + " --parts x",
                                 with_graph + " --parts 2 --partition kahip", with_graph + " --parts 2 --partition grid --all",
                                 with_graph + " --parts 2 --bogus", std::string("--parts 2"), with_graph + " --parts 2 --format xml"}) {
    const auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("gasworks partition --help"), std::string::npos) << args << ": " << r.err;
  }
  const auto r = run("--graph " + (dir_ / "missing.txt").string() + " --parts 2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.txt"), std::string::npos);
}

}  // namespace
