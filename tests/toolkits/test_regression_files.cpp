// Regression data in CSV and Matrix Market form, read strictly into the same
// columns as libsvm data; the choice of a reader by the file's name; and the
// shared prostate and diabetes sets, whose CSV and libsvm copies must agree.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/core/error.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/lasso/regression_file.hpp"

namespace gasworks::lasso {
namespace {

namespace fs = std::filesystem;
using testing::scratch_directory;

// `read` fails with an input_error naming `file` and `line` ("file:line: ",
// or "file: " for line 0) and holding each of `words`.
void expect_input_error(const std::function<void()>& read, const fs::path& file, std::uint64_t line,
                        const std::vector<std::string>& words) {
  try {
    read();
    ADD_FAILURE() << "no input_error for " << file;
  } catch (const input_error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.file(), file) << what;
    EXPECT_EQ(e.line(), line) << what;
    const std::string where = file.string() + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
    EXPECT_EQ(what.rfind(where, 0), 0U) << "'" << what << "' does not start with '" << where << "'";
    for (const std::string& word : words) EXPECT_NE(what.find(word), std::string::npos) << "'" << word << "' not in: " << what;
  }
}

// The same design matrix and target, compared exactly.
void expect_same_data(const regression_data& a, const regression_data& b) {
  EXPECT_EQ(a.samples, b.samples);
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.declared_features, b.declared_features);
  EXPECT_EQ(a.feature_index, b.feature_index);
  EXPECT_EQ(a.target, b.target);
  EXPECT_EQ(a.column_start, b.column_start);
  EXPECT_EQ(a.sample, b.sample);
  EXPECT_EQ(a.value, b.value);
}

// ------------------------------------------------------------------- CSV

TEST(RegressionCsv, ReadsANamedTargetAndTheRestAsFeatures) {
  scratch_directory dir("regression_csv");
  // x2 is zero throughout: a declared feature without a column.
  const std::string content = " \"x1\" , x2,\"y\", x3\n1,0,10,-2\n\n0,0,20,0\r\n3.5, 0 ,30,4\n";
  const auto file = dir.write("tiny.csv", content);
  const auto d = read_csv(file, "y");
  EXPECT_EQ(d.samples, 3u);
  EXPECT_EQ(d.target, (std::vector<double>{10, 20, 30}));
  EXPECT_EQ(d.declared_features, 3u);  // x1, x2, x3
  EXPECT_EQ(d.features, 2u);
  EXPECT_EQ(d.feature_index, (std::vector<std::uint64_t>{0, 2}));
  EXPECT_EQ(d.column_start, (std::vector<std::uint64_t>{0, 2, 4}));
  EXPECT_EQ(d.sample, (std::vector<std::uint64_t>{0, 2, 0, 2}));
  EXPECT_EQ(d.value, (std::vector<double>{1, 3.5, -2, 4}));

  // Without a name the last column, x3, is the target and y a feature.
  const auto last = read_csv(file);
  EXPECT_EQ(last.target, (std::vector<double>{-2, 0, 4}));
  EXPECT_EQ(last.declared_features, 3u);  // x1, x2, y
  EXPECT_EQ(last.feature_index, (std::vector<std::uint64_t>{0, 2}));
  EXPECT_EQ(last.column_start, (std::vector<std::uint64_t>{0, 2, 5}));
  EXPECT_EQ(last.sample, (std::vector<std::uint64_t>{0, 2, 0, 1, 2}));
  EXPECT_EQ(last.value, (std::vector<double>{1, 3.5, 10, 20, 30}));

  // Gzip is read transparently, and the name picks the reader.
  regression_read_options options;
  options.target_column = "y";
  expect_same_data(read_regression(dir.write_gzip("tiny.csv.gz", content), options), d);

  // A lone column is a target without features.
  const auto alone = read_csv(dir.write("alone.csv", "y\n1\n2\n"));
  EXPECT_EQ(alone.target, (std::vector<double>{1, 2}));
  EXPECT_EQ(alone.declared_features, 0u);
  EXPECT_EQ(alone.features, 0u);
  EXPECT_EQ(alone.column_start, (std::vector<std::uint64_t>{0}));
}

TEST(RegressionCsv, MalformedFilesNameFileAndLine) {
  scratch_directory dir("regression_csv_bad");
  struct bad_case {
    std::string content;
    std::optional<std::string> target;
    std::uint64_t line;
    std::vector<std::string> words;
  };
  const std::vector<bad_case> cases = {
      {"", {}, 0, {"empty", "header"}},
      {"\na,b\n1,2\n", {}, 1, {"header", "blank"}},
      {"a,b\n", {}, 1, {"no samples"}},
      {"a,b\n\n", {}, 1, {"no samples"}},
      {"a,b\n1,2\n3\n", {}, 3, {"expected 2 fields", "got 1"}},
      {"a,b\n1,2,3\n", {}, 2, {"expected 2 fields", "got 3"}},
      {"a,b\n1,x\n", {}, 2, {"column 'b'", "finite number", "'x'"}},
      {"a,b\n1,\n", {}, 2, {"column 'b'", "''"}},
      {"a,b\n1,inf\n", {}, 2, {"column 'b'", "'inf'"}},
      {"a,b\nnan,1\n", {}, 2, {"column 'a'", "'nan'"}},
      {"a,b\n1,1e999\n", {}, 2, {"column 'b'", "'1e999'"}},
      {"a,b\n1,+2\n", {}, 2, {"column 'b'", "'+2'"}},
      // A train/test flag is not a feature: the file must lose it first.
      {"lcavol,train,lpsa\n1,T,2\n", {}, 2, {"column 'train'", "'T'"}},
      {"a,\"b\n1,2\n", {}, 1, {"field 2", "quote"}},
      {"a,b\n1,\"2\"3\n", {}, 2, {"field 2", "quote"}},
      {"a,b,c\n1,2,3\n", "z", 1, {"no column is named 'z'", "'a', 'b', 'c'"}},
      {"c1,c2,c3,c4,c5,c6,c7,c8,c9,c10\n1,2,3,4,5,6,7,8,9,10\n", "z", 1, {"'c8', ... (10 columns)"}},
      {"a,b,a\n1,2,3\n", "a", 1, {"columns 1 and 3", "both named 'a'"}},
  };
  for (const auto& [content, target, line, words] : cases) {
    SCOPED_TRACE(content);
    const auto file = dir.write("bad.csv", content);
    expect_input_error([&, &target = target] { read_csv(file, target); }, file, line, words);
  }
  // Names are compared after their quotes and blanks are gone.
  EXPECT_EQ(read_csv(dir.write("names.csv", "\"a\" , \" b\"\n1,2\n"), " b").target, (std::vector<double>{2}));
}

// --------------------------------------------------------- Matrix Market

constexpr const char* coordinate_real = "%%MatrixMarket matrix coordinate real general\n";

TEST(RegressionMtx, ReadsEntriesInAnyOrderIntoColumns) {
  scratch_directory dir("regression_mtx");
  // 3 samples x 4 features; an explicit zero, and features 3 and 4 empty.
  const std::string matrix = std::string(coordinate_real) + "% comment\n3 4 5\n3 2 -1\n1 1 2\n\n2 2 0\n1 2 4.5\n3 1 7\n";
  const auto design = dir.write("design.mtx", matrix);
  const auto d = read_mtx_design(design, dir.write("target.txt", "1\n-2.5\n\n3e2\n"));
  EXPECT_EQ(d.samples, 3u);
  EXPECT_EQ(d.target, (std::vector<double>{1, -2.5, 300}));
  EXPECT_EQ(d.declared_features, 4u);
  EXPECT_EQ(d.features, 2u);
  EXPECT_EQ(d.feature_index, (std::vector<std::uint64_t>{0, 1}));
  EXPECT_EQ(d.column_start, (std::vector<std::uint64_t>{0, 2, 4}));
  EXPECT_EQ(d.sample, (std::vector<std::uint64_t>{0, 2, 0, 2}));
  EXPECT_EQ(d.value, (std::vector<double>{2, 7, 4.5, -1}));

  // The same target as a Matrix Market array, and the design gzipped.
  const auto array = dir.write("target.mtx", "%%MatrixMarket matrix array real general\n% y\n3 1\n1\n-2.5\n3e2\n");
  regression_read_options options;
  options.target_file = array;
  expect_same_data(read_regression(dir.write_gzip("design.mtx.gz", matrix), options), d);

  // Integer and pattern fields.
  const auto integer = read_mtx_design(
      dir.write("integer.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 2\n2 1 -3\n1 2 5\n"),
      dir.write("two.txt", "0\n1\n"));
  EXPECT_EQ(integer.sample, (std::vector<std::uint64_t>{1, 0}));
  EXPECT_EQ(integer.value, (std::vector<double>{-3, 5}));
  const auto pattern =
      read_mtx_design(dir.write("pattern.mtx", "%%MatrixMarket MATRIX Coordinate Pattern General\n2 5 2\n2 5\n1 5\n"),
                      dir.write("two.txt", "0\n1\n"));
  EXPECT_EQ(pattern.declared_features, 5u);
  EXPECT_EQ(pattern.feature_index, (std::vector<std::uint64_t>{4}));
  EXPECT_EQ(pattern.sample, (std::vector<std::uint64_t>{0, 1}));
  EXPECT_EQ(pattern.value, (std::vector<double>{1, 1}));
}

TEST(RegressionMtx, MalformedDesignsNameFileAndLine) {
  scratch_directory dir("regression_mtx_bad");
  const auto target = dir.write("target.txt", "1\n2\n");
  const std::string real = coordinate_real;
  const std::vector<std::tuple<std::string, std::uint64_t, std::vector<std::string>>> cases = {
      {"", 0, {"empty", "banner"}},
      {"2 2 1\n1 1 1\n", 1, {"expected the banner"}},
      {"%%MatrixMarket matrix coordinate real\n2 2 0\n", 1, {"expected the banner"}},
      {"%%MatrixMarket matrix array real general\n2 1\n1\n2\n", 1, {"'matrix coordinate'", "'matrix array'"}},
      {"%%MatrixMarket matrix coordinate real symmetric\n2 2 0\n", 1, {"'general'", "'symmetric'"}},
      {"%%MatrixMarket matrix coordinate complex general\n2 2 0\n", 1, {"unsupported", "'complex'"}},
      {real, 1, {"size line", "ended"}},
      {real + "2 2\n", 2, {"size line", "got 2 fields"}},
      {real + "2 -2 1\n1 1 1\n", 2, {"column count", "'-2'"}},
      {real + "0 2 0\n", 2, {"no samples"}},
      {real + "2 2 5\n", 2, {"5 entries cannot fit a 2 x 2 matrix"}},
      {real + "2 0 1\n1 1 1\n", 2, {"cannot fit"}},
      {real + "2 2 1\n3 1 1\n", 3, {"row index between 1 and 2", "'3'"}},
      {real + "2 2 1\n1 0 1\n", 3, {"column index between 1 and 2", "'0'"}},
      {real + "2 2 1\n1 1\n", 3, {"'row column value'", "got 2"}},
      {real + "2 2 1\n1 1 nan\n", 3, {"finite number", "'nan'"}},
      {"%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n", 3, {"integer", "'1.5'"}},
      {"%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1 1\n", 3, {"'row column'", "got 3"}},
      {real + "2 2 1\n1 1 1\n2 2 1\n", 4, {"more entries", "1"}},
      {real + "% c\n2 2 3\n1 1 1\n", 3, {"declares 3 entries", "holds 1"}},
      {real + "2 2 4\n1 1 1\n2 2 1\n2 1 1\n1 1 5\n", 6, {"entry (1, 1) again", "line 3"}},
      // A header that claims 2^40 rows, columns and entries costs nothing
      // until entries back it.
      {real + "1099511627776 1099511627776 1099511627776\n1 1 1\n", 2, {"declares 1099511627776 entries", "holds 1"}},
      {real + "1099511627777 1 0\n", 2, {"row count between 0 and 1099511627776"}},
  };
  for (const auto& [content, line, words] : cases) {
    SCOPED_TRACE(content);
    const auto design = dir.write("bad.mtx", content);
    expect_input_error([&] { read_mtx_design(design, target); }, design, line, words);
  }
}

TEST(RegressionMtx, MalformedTargetsNameFileAndLine) {
  scratch_directory dir("regression_target_bad");
  const auto design = dir.write("design.mtx", std::string(coordinate_real) + "2 2 1\n1 1 1\n");
  const std::string rows_words = "2 rows of the design matrix " + design.string();
  const std::string array = "%%MatrixMarket matrix array real general\n";
  const std::vector<std::tuple<std::string, std::uint64_t, std::vector<std::string>>> cases = {
      {"", 0, {"0 target values", rows_words}},
      {"1\n", 0, {"1 target values", rows_words}},
      {"1\n2\n3\n", 3, {"more target values", rows_words}},
      {"1 2\n", 1, {"one number per line"}},
      {"1\nx\n", 2, {"finite number", "'x'"}},
      {"1\ninf\n", 2, {"finite number", "'inf'"}},
      {"%%MatrixMarket matrix coordinate real general\n2 1 2\n1 1 1\n2 1 2\n", 1, {"'%%MatrixMarket matrix array"}},
      {"%%MatrixMarket matrix array pattern general\n2 1\n", 1, {"unsupported", "'pattern'"}},
      {array, 1, {"'rows 1'", "ended"}},
      {array + "2 2\n1\n2\n3\n4\n", 2, {"'rows 1'"}},
      {array + "3 1\n1\n2\n3\n", 2, {"declares 3 values", rows_words}},
      {array + "2 1\n1\n", 0, {"1 target values", rows_words}},
      {array + "2 1\n1\n2\n3\n", 5, {"more values than the 2"}},
      {array + "2 1\n1 2\n", 3, {"one value per line"}},
      {"%%MatrixMarket matrix array integer general\n2 1\n1\n2.5\n", 4, {"integer", "'2.5'"}},
  };
  for (const auto& [content, line, words] : cases) {
    SCOPED_TRACE(content);
    const auto target = dir.write("bad_target", content);
    expect_input_error([&] { read_mtx_design(design, target); }, target, line, words);
  }
  // A target as long as a design claiming 2^40 rows is refused by its count,
  // not by running out of memory.
  const auto huge = dir.write("huge.mtx", std::string(coordinate_real) + "1099511627776 1 0\n");
  const auto short_target = dir.write("short.mtx", array + "1099511627776 1\n1\n");
  expect_input_error([&] { read_mtx_design(huge, short_target); }, short_target, 0,
                     {"1 target values", "1099511627776 rows"});
}

// ------------------------------------------------------------ the choice

TEST(RegressionFormat, ChosenByTheNameOrGiven) {
  EXPECT_EQ(regression_format_of("a.libsvm"), regression_format::libsvm);
  EXPECT_EQ(regression_format_of("dir.csv/a.svm.gz"), regression_format::libsvm);
  EXPECT_EQ(regression_format_of("A.TXT"), regression_format::libsvm);
  EXPECT_EQ(regression_format_of("prostate.csv"), regression_format::csv);
  EXPECT_EQ(regression_format_of("prostate.CSV.gz"), regression_format::csv);
  EXPECT_EQ(regression_format_of("x.mtx"), regression_format::mtx);
  EXPECT_EQ(regression_format_of("x.mtx.GZ"), regression_format::mtx);
  EXPECT_EQ(regression_format_of("x.dat"), std::nullopt);
  EXPECT_EQ(regression_format_of("x.gz"), std::nullopt);
  EXPECT_EQ(regression_format_of("csv"), std::nullopt);

  scratch_directory dir("regression_format");
  const auto data = dir.write("data.dat", "1 0:7\n");
  EXPECT_THROW(read_regression(data), usage_error);
  regression_read_options options;
  options.format = regression_format::libsvm;
  options.zero_based = true;
  const auto d = read_regression(data, options);
  EXPECT_EQ(d.feature_index, (std::vector<std::uint64_t>{0}));
  EXPECT_EQ(d.value, (std::vector<double>{7}));
  // The given format wins over the name; an mtx design needs its target.
  options.format = regression_format::mtx;
  EXPECT_THROW(read_regression(dir.write("design.csv", std::string(coordinate_real) + "1 1 0\n"), options), usage_error);
  options.target_file = dir.write("y.txt", "4\n");
  EXPECT_EQ(read_regression(dir.path() / "design.csv", options).target, (std::vector<double>{4}));
}

// ------------------------------------------------------- the shared sets

// A design matrix in Matrix Market form, its entries in reverse order, and
// its target as plain text, both printed exactly.
void write_mtx(const regression_data& d, const fs::path& matrix, const fs::path& target) {
  std::ostringstream m;
  m << std::setprecision(17) << coordinate_real << d.samples << ' ' << d.declared_features << ' ' << d.entries() << '\n';
  for (std::uint64_t j = d.features; j-- > 0;)
    for (std::uint64_t k = d.column_start[j + 1]; k-- > d.column_start[j];)
      m << d.sample[k] + 1 << ' ' << d.feature_index[j] + 1 << ' ' << d.value[k] << '\n';
  std::ofstream(matrix) << m.str();
  std::ostringstream t;
  t << std::setprecision(17);
  for (const double y : d.target) t << y << '\n';
  std::ofstream(target) << t.str();
}

// The libsvm copies print 10 significant digits; the CSV ones more.
void expect_near_relative(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_LE(std::abs(a[i] - b[i]), 1e-9 * std::abs(b[i])) << "at " << i;
}

void expect_csv_matches_libsvm(const fs::path& csv, const std::optional<std::string>& target, const fs::path& libsvm,
                               std::uint64_t samples, std::uint64_t features) {
  const auto from_csv = read_csv(csv, target);
  const auto from_libsvm = read_libsvm(libsvm);
  EXPECT_EQ(from_csv.samples, samples);
  EXPECT_EQ(from_csv.declared_features, features);
  EXPECT_EQ(from_csv.samples, from_libsvm.samples);
  EXPECT_EQ(from_csv.features, from_libsvm.features);
  EXPECT_EQ(from_csv.declared_features, from_libsvm.declared_features);
  EXPECT_EQ(from_csv.feature_index, from_libsvm.feature_index);
  EXPECT_EQ(from_csv.column_start, from_libsvm.column_start);
  EXPECT_EQ(from_csv.sample, from_libsvm.sample);
  expect_near_relative(from_csv.value, from_libsvm.value);
  expect_near_relative(from_csv.target, from_libsvm.target);

  // And the libsvm data, written as Matrix Market, read back exactly.
  scratch_directory dir("regression_shared");
  write_mtx(from_libsvm, dir.path() / "design.mtx", dir.path() / "target.txt");
  expect_same_data(read_mtx_design(dir.path() / "design.mtx", dir.path() / "target.txt"), from_libsvm);
}

TEST(RegressionSharedData, ProstateCsvAndLibsvmAgree) {
  GASWORKS_REQUIRE_DATASET(folder, "regression/prostate");
  // lpsa, the last column, is the target; svi is zero in most rows, so the
  // columns' lengths differ.
  expect_csv_matches_libsvm(folder / "prostate.csv", std::nullopt, folder / "prostate.libsvm", 97, 8);
  expect_same_data(read_csv(folder / "prostate.csv", "lpsa"), read_csv(folder / "prostate.csv"));
}

TEST(RegressionSharedData, DiabetesInteractionsCsvAndLibsvmAgree) {
  GASWORKS_REQUIRE_DATASET(folder, "regression/diabetes");
  expect_csv_matches_libsvm(folder / "diabetes_x2_interactions.csv", "y", folder / "diabetes_x2.libsvm", 442, 64);
}

}  // namespace
}  // namespace gasworks::lasso
