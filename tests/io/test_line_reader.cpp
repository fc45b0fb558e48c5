// line_reader: line splitting, numbering, gzip detection and byte ranges.
#include "engine/io/line_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/scratch_directory.hpp"

namespace gasworks::io {
namespace {

namespace fs = std::filesystem;

class line_reader_test : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& content) const { return scratch_.write(name, content); }
  fs::path write_gzip(const std::string& name, const std::string& content) const {
    return scratch_.write_gzip(name, content);
  }

  gasworks::testing::scratch_directory scratch_{"gasworks_line_reader"};
  const fs::path& directory_ = scratch_.path();
};

struct line {
  std::uint64_t offset;
  std::string text;
  bool operator==(const line&) const = default;
};

std::ostream& operator<<(std::ostream& out, const line& l) { return out << l.offset << ":'" << l.text << "'"; }

std::vector<line> read_lines(const fs::path& file, byte_range range = {}) {
  line_reader reader(file, range);
  std::vector<line> lines;
  while (const auto text = reader.next()) {
    EXPECT_EQ(reader.line_number(), lines.size() + 1);  // counted from the range's first line
    lines.push_back({reader.line_offset(), std::string(*text)});
  }
  EXPECT_FALSE(reader.next());  // stays at the end
  return lines;
}

TEST_F(line_reader_test, SplitsLinesStripsCarriageReturnsAndKeepsEmptyLines) {
  const fs::path file = write("lines.txt", "a\n\nbb\r\nc");
  const std::vector<line> expected{{0, "a"}, {2, ""}, {3, "bb"}, {7, "c"}};
  EXPECT_EQ(read_lines(file), expected);
}

TEST_F(line_reader_test, FinalNewlineAddsNoEmptyLine) {
  EXPECT_EQ(read_lines(write("final.txt", "x\ny\n")), (std::vector<line>{{0, "x"}, {2, "y"}}));
  EXPECT_TRUE(read_lines(write("empty.txt", "")).empty());
  EXPECT_EQ(read_lines(write("newline.txt", "\n")), (std::vector<line>{{0, ""}}));
}

TEST_F(line_reader_test, LinesLongerThanTheBufferAreWhole) {
  const std::string long_line(3 * 1024 * 1024 + 17, 'q');
  const fs::path file = write("long.txt", "s\n" + long_line + "\nt");
  const std::vector<line> lines = read_lines(file);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[1].text, long_line);
  EXPECT_EQ(lines[2], (line{2 + long_line.size() + 1, "t"}));
}

TEST_F(line_reader_test, ManyBlocksOfShortLines) {
  std::string content;
  std::vector<line> expected;
  for (std::uint64_t i = 0; i < 300000; ++i) {
    const std::string number = std::to_string(i * 7919);
    const std::string text = number + (i % 3 == 0 ? "\r" : "");
    expected.push_back({content.size(), number});
    content += text + "\n";
  }
  EXPECT_EQ(read_lines(write("many.txt", content)), expected);
  EXPECT_EQ(read_lines(write_gzip("many.txt.gz", content)), expected);
}

TEST_F(line_reader_test, GzipIsRecognisedByContentNotName) {
  const std::vector<line> expected{{0, "1 2"}, {4, "3 4"}};
  EXPECT_EQ(read_lines(write_gzip("compressed.txt", "1 2\n3 4\n")), expected);
  EXPECT_EQ(read_lines(write("plain.gz", "1 2\n3 4\n")), expected);
}

TEST_F(line_reader_test, MissingFileIsAnInputError) {
  const fs::path file = directory_ / "absent.txt";
  try {
    line_reader reader(file);
    FAIL() << "no error";
  } catch (const input_error& error) {
    EXPECT_EQ(error.line(), 0U);
    EXPECT_EQ(error.file(), file);
    EXPECT_NE(std::string(error.what()).find("cannot open: No such file or directory"), std::string::npos)
        << error.what();
  }
}

TEST_F(line_reader_test, DirectoryIsAnInputError) {
  try {
    line_reader reader(directory_);
    FAIL() << "no error";
  } catch (const input_error& error) {
    EXPECT_EQ(error.line(), 0U);
    EXPECT_EQ(std::string(error.what()), directory_.string() + ": cannot open: Is a directory");
  }
}

TEST_F(line_reader_test, ByteRangeOfGzipDataIsAnInputError) {
  const fs::path file = write_gzip("ranged.gz", "1 2\n3 4\n");
  EXPECT_THROW(line_reader(file, byte_range{2, 10}), input_error);
  EXPECT_NO_THROW(line_reader(file, byte_range{}));
}

TEST_F(line_reader_test, ErrorsInsideALaterRangeGiveTheFileLine) {
  const fs::path file = write("offsets.txt", "first\nsecond\nthird\n");
  line_reader reader(file, byte_range{3, 100});
  ASSERT_EQ(reader.next(), "second");
  EXPECT_EQ(reader.line_number(), 1U);
  const input_error error = reader.error("bad thing");
  EXPECT_EQ(error.line(), 2U);
  EXPECT_EQ(std::string(error.what()), file.string() + ":2: bad thing");

  line_reader from_start(file, byte_range{0, 100});
  ASSERT_EQ(from_start.next(), "first");
  EXPECT_EQ(std::string(from_start.error("bad thing").what()), file.string() + ":1: bad thing");
}

TEST_F(line_reader_test, RangesBeyondTheEndOrEmptyHoldNoLines) {
  const fs::path file = write("short.txt", "ab\ncd\n");
  EXPECT_TRUE(read_lines(file, byte_range{100, 200}).empty());
  EXPECT_TRUE(read_lines(file, byte_range{6, 200}).empty());
  EXPECT_TRUE(read_lines(file, byte_range{2, 2}).empty());
  EXPECT_TRUE(read_lines(file, byte_range{1, 3}).empty());  // "cd" starts at 3
  EXPECT_EQ(read_lines(file, byte_range{1, 4}), (std::vector<line>{{3, "cd"}}));
}

// Every way of cutting a file into ranges hands out each line exactly once.
TEST_F(line_reader_test, RangesThatPartitionAFileYieldEveryLineOnce) {
  const std::vector<std::string> contents{
      "alpha\nbeta\n\ngamma\r\ndelta",
      "alpha\nbeta\n\ngamma\r\ndelta\n",
      "\n\nx\n\n",
      "single line without newline",
      "a\nb\nc\nd\ne\nf\ng\n",
  };
  int file_number = 0;
  for (const std::string& content : contents) {
    SCOPED_TRACE("content '" + content + "'");
    const fs::path file = write("split" + std::to_string(file_number++) + ".txt", content);
    const std::vector<line> whole = read_lines(file);
    const std::uint64_t size = content.size();
    for (std::uint64_t first_cut = 0; first_cut <= size + 1; ++first_cut) {
      std::vector<line> joined = read_lines(file, byte_range{0, first_cut});
      for (const line& l : read_lines(file, byte_range{first_cut, size})) joined.push_back(l);
      EXPECT_EQ(joined, whole) << "cut at " << first_cut;

      for (std::uint64_t second_cut = first_cut; second_cut <= size + 1; ++second_cut) {
        std::vector<line> three = read_lines(file, byte_range{0, first_cut});
        for (const line& l : read_lines(file, byte_range{first_cut, second_cut})) three.push_back(l);
        for (const line& l : read_lines(file, byte_range{second_cut, byte_range{}.end})) three.push_back(l);
        EXPECT_EQ(three, whole) << "cuts at " << first_cut << " and " << second_cut;
      }
    }
  }
}

}  // namespace
}  // namespace gasworks::io
