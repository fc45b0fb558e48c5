// Graph readers and writers, format names, and atomic_output_file.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/error.hpp"
#include "engine/io/atomic_output_file.hpp"
#include "engine/io/graph_format.hpp"
#include "engine/io/read_edge_list.hpp"
#include "engine/io/write_edge_list.hpp"
#include "tests/support/scratch_directory.hpp"

namespace gasworks::io {
namespace {

namespace fs = std::filesystem;
using edges_t = std::vector<std::pair<vertex_id, vertex_id>>;

class io_test : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& content) const { return scratch_.write(name, content); }
  fs::path write_gzip(const std::string& name, const std::string& content) const {
    return scratch_.write_gzip(name, content);
  }

  std::vector<fs::path> files_in_directory() const {
    return {fs::directory_iterator(directory_), fs::directory_iterator()};
  }

  gasworks::testing::scratch_directory scratch_{"gasworks_io"};
  const fs::path& directory_ = scratch_.path();
};

std::string contents_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What read_edge_list must return, without the source path.
struct expected_graph {
  edges_t edges;
  std::vector<double> weights;
  std::vector<vertex_id> vertices;
};

void expect_graph(const edge_list& graph, const expected_graph& expected) {
  EXPECT_EQ(graph.edges, expected.edges);
  EXPECT_EQ(graph.weights, expected.weights);
  EXPECT_EQ(graph.declared_vertices(), expected.vertices);
}

// The read fails with an input_error naming the file, the line and the words.
void expect_input_error(const fs::path& file, graph_format format, std::uint64_t line,
                        const std::vector<std::string>& words) {
  try {
    read_edge_list(file, format);
    ADD_FAILURE() << "no input_error for " << file;
  } catch (const input_error& error) {
    const std::string what = error.what();
    EXPECT_EQ(error.file(), file) << what;
    EXPECT_EQ(error.line(), line) << what;
    const std::string where = line > 0 ? file.string() + ":" + std::to_string(line) + ": " : file.string() + ": ";
    EXPECT_EQ(what.rfind(where, 0), 0U) << "'" << what << "' does not start with '" << where << "'";
    for (const std::string& word : words) EXPECT_NE(what.find(word), std::string::npos) << "'" << word << "' not in: " << what;
  }
}

// ---------------------------------------------------------------- formats

TEST(graph_format_test, NamesParseAndPrint) {
  for (const graph_format format :
       {graph_format::snap, graph_format::tsv, graph_format::csv, graph_format::adj, graph_format::mtx}) {
    EXPECT_EQ(parse_graph_format(to_string(format)), format);
  }
  EXPECT_EQ(parse_graph_format("MTX"), std::nullopt);
  EXPECT_EQ(parse_graph_format(""), std::nullopt);
  EXPECT_EQ(parse_graph_format("edges"), std::nullopt);
}

TEST(graph_format_test, GuessLooksThroughGz) {
  EXPECT_EQ(guess_graph_format("a/b/web.mtx"), graph_format::mtx);
  EXPECT_EQ(guess_graph_format("web.mtx.gz"), graph_format::mtx);
  EXPECT_EQ(guess_graph_format("ratings.csv"), graph_format::csv);
  EXPECT_EQ(guess_graph_format("ratings.csv.gz"), graph_format::csv);
  EXPECT_EQ(guess_graph_format("g.adj"), graph_format::adj);
  EXPECT_EQ(guess_graph_format("g.tsv.gz"), graph_format::tsv);
  EXPECT_EQ(guess_graph_format("roadNet-CA.txt.gz"), graph_format::snap);
  EXPECT_EQ(guess_graph_format("edges.gz"), graph_format::snap);
  EXPECT_EQ(guess_graph_format("edges"), graph_format::snap);
}

// ---------------------------------------------------------------- readers

TEST_F(io_test, SnapSkipsCommentsAndBlankLines) {
  const fs::path file = write("g.txt",
                              "# Directed graph\n"
                              "  # indented comment\n"
                              "\n"
                              "1 2\n"
                              "2\t3\n"
                              "   3    1  \n"
                              "18446744073709551615 0\n");
  expect_graph(read_edge_list(file, graph_format::snap), {{{1, 2}, {2, 3}, {3, 1}, {18446744073709551615ULL, 0}}, {}, {}});
  EXPECT_EQ(read_edge_list(file, graph_format::snap).source, file);
}

TEST_F(io_test, SnapReadsWeights) {
  const fs::path file = write("w.txt", "1 2 0.5\n2 3 -1e3\n3 1 7\n");
  expect_graph(read_edge_list(file, graph_format::snap), {{{1, 2}, {2, 3}, {3, 1}}, {0.5, -1000.0, 7.0}, {}});
}

TEST_F(io_test, TsvReadsTabSeparatedColumns) {
  const fs::path file = write("g.tsv", "10\t20\t1.5\n20\t30\t2.5\n");
  expect_graph(read_edge_list(file, graph_format::tsv), {{{10, 20}, {20, 30}}, {1.5, 2.5}, {}});
}

TEST_F(io_test, CsvSkipsHeaderAndBlanksAroundFields) {
  const fs::path file = write("g.csv",
                              "# exported\n"
                              "source, target, weight\n"
                              "1, 2, 0.5\n"
                              " 3 ,4,2\n");
  expect_graph(read_edge_list(file, graph_format::csv), {{{1, 2}, {3, 4}}, {0.5, 2.0}, {}});
}

TEST_F(io_test, CsvWithoutHeaderKeepsFirstLine) {
  const fs::path file = write("g.csv", "5,6\n6,7\n");
  expect_graph(read_edge_list(file, graph_format::csv), {{{5, 6}, {6, 7}}, {}, {}});
}

TEST_F(io_test, AdjDeclaresEveryLineVertexIncludingIsolatedOnes) {
  const fs::path file = write("g.adj",
                              "# id n targets\n"
                              "1 2 2 3\n"
                              "2 1 3\n"
                              "3 0\n"
                              "9 0\n");
  expect_graph(read_edge_list(file, graph_format::adj), {{{1, 2}, {1, 3}, {2, 3}}, {}, {1, 2, 3, 9}});
}

TEST_F(io_test, MtxPatternGeneralDeclaresAllVertices) {
  const fs::path file = write("g.mtx",
                              "%%MatrixMarket matrix coordinate pattern general\n"
                              "% a comment\n"
                              "%\n"
                              "4 4 3\n"
                              "1 2\n"
                              "2 3\n"
                              "3 1\n");
  expect_graph(read_edge_list(file, graph_format::mtx), {{{1, 2}, {2, 3}, {3, 1}}, {}, {1, 2, 3, 4}});
}

TEST_F(io_test, MtxSymmetricAddsMirroredOffDiagonalEntries) {
  const fs::path file = write("s.mtx",
                              "%%MatrixMarket matrix coordinate real symmetric\n"
                              "3 3 3\n"
                              "1 1 2.5\n"
                              "2 1 0.5\n"
                              "3 2 -1\n");
  expect_graph(read_edge_list(file, graph_format::mtx),
               {{{1, 1}, {2, 1}, {1, 2}, {3, 2}, {2, 3}}, {2.5, 0.5, 0.5, -1.0, -1.0}, {1, 2, 3}});
}

TEST_F(io_test, MtxIntegerRectangularAndCaseInsensitiveBanner) {
  const fs::path file = write("r.mtx",
                              "%%matrixmarket MATRIX Coordinate Integer General\n"
                              "2 5 2\n"
                              "1 5 -3\n"
                              "2 1 4\n");
  expect_graph(read_edge_list(file, graph_format::mtx), {{{1, 5}, {2, 1}}, {-3.0, 4.0}, {1, 2, 3, 4, 5}});
}

TEST_F(io_test, MtxDoubleFieldAndNoEntries) {
  const fs::path file = write("d.mtx", "%%MatrixMarket matrix coordinate double general\n2 2 0\n");
  expect_graph(read_edge_list(file, graph_format::mtx), {{}, {}, {1, 2}});
}

TEST_F(io_test, CrlfLineEndingsAreAccepted) {
  expect_graph(read_edge_list(write("g.txt", "# c\r\n1 2 0.5\r\n2 3 1\r\n"), graph_format::snap),
               {{{1, 2}, {2, 3}}, {0.5, 1.0}, {}});
  expect_graph(read_edge_list(write("g.csv", "src,dst\r\n1,2\r\n"), graph_format::csv), {{{1, 2}}, {}, {}});
  expect_graph(read_edge_list(write("g.adj", "1 1 2\r\n2 0\r\n"), graph_format::adj), {{{1, 2}}, {}, {1, 2}});
  expect_graph(read_edge_list(write("g.mtx", "%%MatrixMarket matrix coordinate pattern general\r\n"
                                             "2 2 1\r\n2 1\r\n"),
                              graph_format::mtx),
               {{{2, 1}}, {}, {1, 2}});
  expect_input_error(write("bad.txt", "1 2\r\n3 x\r\n"), graph_format::snap, 2, {"got 'x'"});
}

TEST_F(io_test, GzipFilesAreReadTransparently) {
  expect_graph(read_edge_list(write_gzip("g.txt.gz", "# c\n1 2\n2 3\n"), graph_format::snap),
               {{{1, 2}, {2, 3}}, {}, {}});
  const fs::path mtx = write_gzip("g.mtx.gz", "%%MatrixMarket matrix coordinate real general\n3 3 1\n3 1 0.25\n");
  expect_graph(read_edge_list(mtx, guess_graph_format(mtx)), {{{3, 1}}, {0.25}, {1, 2, 3}});
  // Recognised by content: a compressed file without ".gz".
  expect_graph(read_edge_list(write_gzip("plain-name.txt", "4 5\n"), graph_format::snap), {{{4, 5}}, {}, {}});
}

std::string many_edges(int count) {
  std::string text;
  std::uint64_t state = 12345;
  for (int i = 0; i < count; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;  // varied, poorly compressible ids
    text += std::to_string(state >> 40) + " " + std::to_string((state >> 16) & 0xffffff) + "\n";
  }
  return text;
}

TEST_F(io_test, TruncatedGzipIsAnInputError) {
  const fs::path whole = write_gzip("whole.txt.gz", many_edges(20000));
  const std::string compressed = contents_of(whole);
  const fs::path cut = write("cut.txt.gz", compressed.substr(0, compressed.size() / 2));
  try {
    read_edge_list(cut, graph_format::snap);
    FAIL() << "truncated gzip read without error";
  } catch (const input_error& error) {
    const std::string what = error.what();
    EXPECT_EQ(error.file(), cut);
    EXPECT_GT(error.line(), 1000U) << what;
    EXPECT_LT(error.line(), 20000U) << what;
    EXPECT_NE(what.find(cut.string()), std::string::npos) << what;
    EXPECT_NE(what.find("truncated or corrupt gzip data after line " + std::to_string(error.line())), std::string::npos)
        << what;
  }
}

TEST_F(io_test, CorruptGzipIsAnInputError) {
  std::string compressed = contents_of(write_gzip("whole.txt.gz", many_edges(20000)));
  compressed[compressed.size() / 2] = static_cast<char>(compressed[compressed.size() / 2] ^ 0x55);
  compressed[compressed.size() / 2 + 1] = static_cast<char>(compressed[compressed.size() / 2 + 1] ^ 0x55);
  const fs::path corrupt = write("corrupt.txt.gz", compressed);
  try {
    read_edge_list(corrupt, graph_format::snap);
    FAIL() << "corrupt gzip read without error";
  } catch (const input_error& error) {
    const std::string what = error.what();
    EXPECT_EQ(error.file(), corrupt);
    EXPECT_NE(what.find("truncated or corrupt gzip data after line " + std::to_string(error.line())), std::string::npos)
        << what;
  }
}

// ------------------------------------------------------- malformed inputs

struct malformed_case {
  std::string name;
  graph_format format;
  std::string content;
  std::uint64_t line;
  std::vector<std::string> words;
};

const std::string pattern_banner = "%%MatrixMarket matrix coordinate pattern general\n";

TEST_F(io_test, MalformedInputsAreInputErrorsWithFileLineAndExpectation) {
  const std::vector<malformed_case> cases{
      {"bad_token.txt", graph_format::snap, "1 2\nx 3\n", 2,
       {"expected a non-negative integer vertex id", "got 'x'"}},
      {"negative.txt", graph_format::snap, "# c\n-1 3\n", 2, {"expected a non-negative integer vertex id", "got '-1'"}},
      {"plus.txt", graph_format::snap, "+1 3\n", 1, {"non-negative integer vertex id", "'+1'"}},
      {"fraction.txt", graph_format::snap, "1.0 3\n", 1, {"non-negative integer vertex id", "'1.0'"}},
      {"overflow.txt", graph_format::snap, "18446744073709551616 1\n", 1,
       {"non-negative integer vertex id", "'18446744073709551616'"}},
      {"missing_column.txt", graph_format::snap, "1 2\n3\n", 2, {"expected 2 columns", "got 1"}},
      {"one_column.txt", graph_format::snap, "\n5\n", 2, {"expected 2 or 3 columns", "got 1"}},
      {"extra_column.txt", graph_format::snap, "1 2 0.5 7\n", 1, {"expected 2 or 3 columns", "got 4"}},
      {"inconsistent.txt", graph_format::snap, "1 2\n2 3\n3 4 0.5\n", 3, {"expected 2 columns", "got 3"}},
      {"inconsistent_weighted.txt", graph_format::snap, "1 2 1\n2 3\n", 2, {"expected 3 columns", "got 2"}},
      {"bad_weight.txt", graph_format::snap, "1 2 abc\n", 1, {"expected a finite number as weight", "'abc'"}},
      {"nan_weight.txt", graph_format::snap, "1 2 0\n1 2 nan\n", 2, {"finite number as weight", "'nan'"}},
      {"bad_token.tsv", graph_format::tsv, "1\t2\n3\ty\n", 2, {"non-negative integer vertex id", "'y'"}},
      {"bad_token.csv", graph_format::csv, "src,dst\n1,2\n3,y\n", 3, {"non-negative integer vertex id", "'y'"}},
      {"empty_field.csv", graph_format::csv, "1,\n", 1, {"non-negative integer vertex id", "got ''"}},
      {"extra_column.csv", graph_format::csv, "1,2\n1,2,3,4\n", 2, {"expected 2 columns", "got 4"}},
      {"count_mismatch.adj", graph_format::adj, "1 3 2 3\n", 1, {"expected 3 target ids after the count, found 2"}},
      {"count_excess.adj", graph_format::adj, "1 1 2\n2 1 3 4 5\n", 2,
       {"expected 1 target id after the count, found 3"}},
      {"no_count.adj", graph_format::adj, "1 0\n7\n", 2, {"expected a target count"}},
      {"bad_count.adj", graph_format::adj, "1 x 2\n", 1, {"non-negative integer target count", "'x'"}},
      {"bad_target.adj", graph_format::adj, "1 2 2 -3\n", 1, {"non-negative integer vertex id", "'-3'"}},
      {"no_banner.mtx", graph_format::mtx, "3 3 1\n1 1\n", 1, {"expected the banner", "%%MatrixMarket"}},
      {"array.mtx", graph_format::mtx, "%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", 1,
       {"unsupported", "'array'", "coordinate"}},
      {"complex.mtx", graph_format::mtx, "%%MatrixMarket matrix coordinate complex general\n", 1,
       {"unsupported", "'complex'"}},
      {"hermitian.mtx", graph_format::mtx, "%%MatrixMarket matrix coordinate real hermitian\n", 1,
       {"unsupported", "'hermitian'", "general"}},
      {"short_banner.mtx", graph_format::mtx, "%%MatrixMarket matrix coordinate\n", 1, {"expected the banner"}},
      {"empty.mtx", graph_format::mtx, "", 0, {"expected the banner", "empty"}},
      {"no_size.mtx", graph_format::mtx, pattern_banner + "% only comments\n", 2, {"expected the size line", "ended"}},
      {"bad_size.mtx", graph_format::mtx, pattern_banner + "3 3\n", 2, {"expected the size line", "'3 3'"}},
      {"row_range.mtx", graph_format::mtx, pattern_banner + "3 3 2\n1 2\n4 1\n", 4,
       {"expected a row index between 1 and 3", "got '4'"}},
      {"column_range.mtx", graph_format::mtx, pattern_banner + "3 2 1\n1 3\n", 3,
       {"expected a column index between 1 and 2", "got '3'"}},
      {"zero_index.mtx", graph_format::mtx, pattern_banner + "3 3 1\n0 1\n", 3, {"row index between 1 and 3", "'0'"}},
      {"huge.mtx", graph_format::mtx, pattern_banner + "5000000000 3 1\n1 2\n", 2,
       {"expected at most 4294967295 rows and columns"}},
      {"fewer.mtx", graph_format::mtx, pattern_banner + "3 3 4\n1 2\n2 3\n3 1\n", 5,
       {"expected 4 entries", "ended after 3"}},
      {"more.mtx", graph_format::mtx, pattern_banner + "3 3 2\n1 2\n2 3\n3 1\n", 5,
       {"expected 2 entries", "found more"}},
      {"pattern_value.mtx", graph_format::mtx, pattern_banner + "3 3 1\n1 2 0.5\n", 3,
       {"expected 2 columns (row column)", "got 3"}},
      {"real_no_value.mtx", graph_format::mtx, "%%MatrixMarket matrix coordinate real general\n3 3 1\n1 2\n", 3,
       {"expected 3 columns (row column value)", "got 2"}},
      {"integer_value.mtx", graph_format::mtx, "%%MatrixMarket matrix coordinate integer general\n3 3 1\n1 2 1.5\n", 3,
       {"expected an integer value", "'1.5'"}},
      {"empty.txt", graph_format::snap, "", 0, {"empty graph: no edges or vertices found"}},
      {"comments.txt", graph_format::snap, "# nothing\n\n# here\n", 0, {"empty graph"}},
      {"empty.csv", graph_format::csv, "source,target\n", 0, {"empty graph"}},
      {"empty.adj", graph_format::adj, "# none\n", 0, {"empty graph"}},
      {"zero_size.mtx", graph_format::mtx, pattern_banner + "0 0 0\n", 0, {"empty graph"}},
  };
  for (const malformed_case& c : cases) {
    SCOPED_TRACE(c.name);
    expect_input_error(write(c.name, c.content), c.format, c.line, c.words);
  }
}

TEST_F(io_test, MissingFileIsAnInputError) {
  expect_input_error(directory_ / "absent.txt", graph_format::snap, 0, {"cannot open", "No such file or directory"});
  expect_input_error(directory_ / "absent.mtx", graph_format::mtx, 0, {"cannot open"});
}

// ---------------------------------------------------------- round trips

edge_list round_trip(const edge_list& graph, const fs::path& file, graph_format format) {
  atomic_output_file output(file);
  write_edge_list(graph, output.stream(), format);
  output.commit();
  return read_edge_list(file, format);
}

void expect_same(const edge_list& read_back, const edge_list& written) {
  EXPECT_EQ(read_back.edges, written.edges);
  EXPECT_EQ(read_back.weights, written.weights);
  EXPECT_EQ(read_back.declared_vertices(), written.declared_vertices());
}

TEST_F(io_test, EdgeListFormatsRoundTrip) {
  edge_list unweighted;
  unweighted.edges = {{1, 2}, {2, 0}, {18446744073709551615ULL, 7}, {1, 2}, {5, 5}};
  edge_list weighted = unweighted;
  weighted.weights = {0.1, -2.5, 1.0 / 3.0, 1e-300, 6.02214076e23};
  for (const graph_format format : {graph_format::snap, graph_format::tsv, graph_format::csv}) {
    SCOPED_TRACE(std::string(to_string(format)));
    const std::string name = "rt." + std::string(to_string(format));
    expect_same(round_trip(unweighted, directory_ / ("u" + name), format), unweighted);
    expect_same(round_trip(weighted, directory_ / ("w" + name), format), weighted);
  }
}

TEST_F(io_test, AdjRoundTripsWithIsolatedAndTargetOnlyVertices) {
  edge_list graph;
  graph.edges = {{4, 1}, {4, 2}, {1, 2}, {0, 4}};
  graph.vertices = {4, 1, 7, 2, 0};  // 7 isolated, 2 has no out-edge
  expect_same(round_trip(graph, directory_ / "rt.adj", graph_format::adj), graph);
}

TEST_F(io_test, MtxRoundTripsWithIsolatedVertex) {
  edge_list unweighted;
  unweighted.edges = {{1, 2}, {3, 1}, {2, 3}, {2, 3}};
  unweighted.vertices = {1, 2, 3, 4, 5};  // 4 and 5 isolated
  edge_list weighted = unweighted;
  weighted.weights = {0.1, -1e-310, 12345678.9, 1.0 / 7.0};
  expect_same(round_trip(unweighted, directory_ / "u.mtx", graph_format::mtx), unweighted);
  expect_same(round_trip(weighted, directory_ / "w.mtx", graph_format::mtx), weighted);
}

TEST_F(io_test, AdjWriterGroupsBySourceInFirstAppearanceOrder) {
  edge_list graph;
  graph.edges = {{2, 1}, {1, 3}, {2, 3}};
  graph.vertices = {9};
  std::ostringstream out;
  write_edge_list(graph, out, graph_format::adj);
  EXPECT_EQ(out.str(), "9 0\n2 2 1 3\n1 1 3\n");
}

TEST_F(io_test, WritersOfTextFormatsProduceTheDocumentedText) {
  edge_list graph;
  graph.edges = {{1, 2}, {3, 1}};
  graph.weights = {0.5, 2};
  std::ostringstream snap, tsv, csv, mtx;
  write_edge_list(graph, snap, graph_format::snap);
  write_edge_list(graph, tsv, graph_format::tsv);
  write_edge_list(graph, csv, graph_format::csv);
  write_edge_list(graph, mtx, graph_format::mtx);
  EXPECT_EQ(snap.str(), "1 2 0.5\n3 1 2\n");
  EXPECT_EQ(tsv.str(), "1\t2\t0.5\n3\t1\t2\n");
  EXPECT_EQ(csv.str(), "source,target,weight\n1,2,0.5\n3,1,2\n");
  EXPECT_EQ(mtx.str(), "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 2 0.5\n3 1 2\n");
}

TEST_F(io_test, WritersRejectWhatTheFormatCannotHold) {
  edge_list weighted;
  weighted.edges = {{1, 2}};
  weighted.weights = {1.5};
  std::ostringstream out;
  EXPECT_THROW(write_edge_list(weighted, out, graph_format::adj), usage_error);

  edge_list with_zero;
  with_zero.edges = {{0, 1}};
  EXPECT_THROW(write_edge_list(with_zero, out, graph_format::mtx), usage_error);

  edge_list infinite = weighted;
  infinite.weights = {std::numeric_limits<double>::infinity()};
  EXPECT_THROW(write_edge_list(infinite, out, graph_format::snap), usage_error);

  edge_list mismatched = weighted;
  mismatched.weights = {1.0, 2.0};
  EXPECT_THROW(write_edge_list(mismatched, out, graph_format::csv), usage_error);
}

// ------------------------------------------------------------ byte ranges

// Splitting a file into two ranges at any byte gives back the whole file's
// edges; for mtx only the first range declares the vertices.
TEST_F(io_test, ByteRangesPartitionEveryFormat) {
  struct ranged_case {
    graph_format format;
    std::string content;
  };
  const std::vector<ranged_case> cases{
      {graph_format::snap, "# c\n1 2 0.5\n\n2 3 1.5\n3 1 2\n"},
      {graph_format::tsv, "1\t2\n2\t3\n"},
      {graph_format::csv, "source,target\n1,2\n2,3\n3,4\n"},
      {graph_format::adj, "1 2 2 3\n2 0\n3 1 1\n4 0\n"},
      {graph_format::mtx, "%%MatrixMarket matrix coordinate real symmetric\n% c\n4 4 3\n1 1 1\n2 1 2\n4 3 3\n"},
  };
  for (const ranged_case& c : cases) {
    SCOPED_TRACE(std::string(to_string(c.format)));
    const fs::path file = write("ranged." + std::string(to_string(c.format)), c.content);
    const edge_list whole = read_edge_list(file, c.format);
    for (std::uint64_t cut = 0; cut <= c.content.size(); ++cut) {
      edge_list joined = read_edge_list(file, c.format, byte_range{0, cut});
      const edge_list second = read_edge_list(file, c.format, byte_range{cut, c.content.size()});
      joined.edges.insert(joined.edges.end(), second.edges.begin(), second.edges.end());
      joined.weights.insert(joined.weights.end(), second.weights.begin(), second.weights.end());
      joined.vertices.insert(joined.vertices.end(), second.vertices.begin(), second.vertices.end());
      joined.declared_through = std::max(joined.declared_through, second.declared_through);
      SCOPED_TRACE("cut at " + std::to_string(cut));
      expect_same(joined, whole);
    }
  }
}

TEST_F(io_test, PartialByteRangesOfGzipFilesAreInputErrors) {
  const fs::path snap = write_gzip("g.txt.gz", "1 2\n2 3\n");
  const fs::path mtx = write_gzip("g.mtx.gz", pattern_banner + "3 3 2\n1 2\n2 3\n");
  for (const auto& [file, format] : {std::pair{snap, graph_format::snap}, std::pair{mtx, graph_format::mtx}}) {
    SCOPED_TRACE(file.string());
    for (const byte_range range : {byte_range{0, 3}, byte_range{3, fs::file_size(file)}}) {
      try {
        read_edge_list(file, format, range);
        ADD_FAILURE() << "no error for a byte range of gzip data";
      } catch (const input_error& error) {
        EXPECT_EQ(error.line(), 0U);
        EXPECT_NE(std::string(error.what()).find("byte range of gzip-compressed data"), std::string::npos);
      }
    }
    // A range covering the whole file is the whole file.
    EXPECT_EQ(read_edge_list(file, format, byte_range{0, fs::file_size(file)}).edges, (edges_t{{1, 2}, {2, 3}}));
  }
}

TEST_F(io_test, ErrorsInALaterRangeNameTheFileLine) {
  const fs::path file = write("later.txt", "1 2\n3 4\n5 x\n");
  try {
    read_edge_list(file, graph_format::snap, byte_range{4, 100});
    FAIL() << "no error";
  } catch (const input_error& error) {
    EXPECT_EQ(error.line(), 3U);
    EXPECT_EQ(std::string(error.what()), file.string() + ":3: expected a non-negative integer vertex id, got 'x'");
  }
}

// ----------------------------------------------------- atomic_output_file

TEST_F(io_test, AtomicOutputAppearsOnlyOnCommit) {
  const fs::path target = directory_ / "out.txt";
  {
    atomic_output_file output(target);
    output.stream() << "hello\n";
    EXPECT_FALSE(fs::exists(target));
    output.commit();
  }
  EXPECT_EQ(contents_of(target), "hello\n");
  EXPECT_EQ(files_in_directory(), std::vector<fs::path>{target});
}

TEST_F(io_test, AtomicOutputWithoutCommitLeavesNothing) {
  const fs::path target = directory_ / "out.txt";
  {
    atomic_output_file output(target);
    output.stream() << "partial";
    EXPECT_EQ(files_in_directory().size(), 1U);  // the temporary
  }
  EXPECT_TRUE(files_in_directory().empty());
  try {
    atomic_output_file output(target);
    output.stream() << "partial";
    throw std::runtime_error("failure while writing");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(files_in_directory().empty());
}

TEST_F(io_test, AtomicOutputReplacesExistingTargetOnlyOnCommit) {
  const fs::path target = write("out.txt", "old\n");
  {
    atomic_output_file output(target);
    output.stream() << "abandoned\n";
  }
  EXPECT_EQ(contents_of(target), "old\n");
  {
    atomic_output_file output(target);
    output.stream() << "new\n";
    output.stream().flush();
    EXPECT_EQ(contents_of(target), "old\n");
    output.commit();
    EXPECT_EQ(contents_of(target), "new\n");
    EXPECT_THROW(output.commit(), usage_error);
  }
  EXPECT_EQ(contents_of(target), "new\n");
  EXPECT_EQ(files_in_directory(), std::vector<fs::path>{target});
}

TEST_F(io_test, AtomicOutputsToOneTargetUseDistinctTemporaries) {
  const fs::path target = directory_ / "out.txt";
  atomic_output_file first(target);
  atomic_output_file second(target);
  first.stream() << "first";
  second.stream() << "second";
  EXPECT_EQ(files_in_directory().size(), 2U);
  first.commit();
  second.commit();
  EXPECT_EQ(contents_of(target), "second");
  EXPECT_EQ(files_in_directory(), std::vector<fs::path>{target});
}

TEST_F(io_test, AtomicOutputInMissingDirectoryNamesPathAndReason) {
  const fs::path target = directory_ / "missing" / "out.txt";
  try {
    atomic_output_file output(target);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find(target.string()), std::string::npos) << what;
    EXPECT_NE(what.find("No such file or directory"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace gasworks::io
