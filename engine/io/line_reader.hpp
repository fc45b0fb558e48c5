#pragma once
// Reads a text file line by line, fast, with line numbers for error messages.
//
// Gzip data are decompressed transparently; they are recognised by their
// magic bytes (1f 8b), whatever the file is called. A truncated or corrupt
// gzip stream is an input_error, never a silently shorter file.
//
// A reader can also be confined to a byte range [begin, end) of an
// uncompressed file, so that ranks can share one file: a line belongs to the
// range that holds its first byte, so ranges that partition a file hand out
// every line exactly once. Inside a range that does not start at byte 0,
// line_number() counts from the range's first line, while error() names the
// line by its number in the whole file (it counts the lines before the range
// when an error is raised, so reading pays nothing for it).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>

#include "engine/core/error.hpp"

struct gzFile_s;  // zlib's gzip stream (gzFile); zlib.h stays out of this header

namespace gasworks::io {

// Bytes [begin, end) of a file; the default is the whole file.
struct byte_range {
  std::uint64_t begin = 0;
  std::uint64_t end = std::numeric_limits<std::uint64_t>::max();

  bool is_whole_file() const noexcept { return begin == 0 && end == std::numeric_limits<std::uint64_t>::max(); }
};

class line_reader {
 public:
  // Throws input_error(file, 0, "cannot open: ...") when the file cannot be
  // opened, and when a partial range is asked of a gzip file.
  explicit line_reader(std::filesystem::path file, byte_range range = {});
  ~line_reader();
  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;

  // The next line without its "\n" or "\r\n"; nullopt after the last line.
  // The view stays valid until the next call.
  std::optional<std::string_view> next();

  // 1-based number of the line last returned (0 before the first one).
  std::uint64_t line_number() const noexcept { return line_number_; }
  // Byte offset of the first byte of the line last returned (in the
  // decompressed data for gzip files).
  std::uint64_t line_offset() const noexcept { return line_offset_; }
  // Byte offset where the line after the one last returned starts.
  std::uint64_t next_offset() const noexcept { return buffer_offset_ + begin_; }
  const std::filesystem::path& file() const noexcept { return file_; }
  // True when the file holds gzip data (offsets then count decompressed bytes).
  bool compressed() const noexcept { return gzip_ != nullptr; }

  // An input_error about the line last returned.
  input_error error(std::string_view message) const;

  // The number of the line last returned in the whole file.
  std::uint64_t file_line_number() const;

 private:
  void open_file();
  void skip_to_first_line_of_range();
  bool refill();  // false at the end of the data
  std::size_t read_some(char* destination, std::size_t capacity);
  [[noreturn]] void throw_gzip_error(int zlib_error, const char* zlib_message) const;

  std::filesystem::path file_;
  byte_range range_;
  int descriptor_ = -1;
  gzFile_s* gzip_ = nullptr;

  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;        // first unconsumed byte in buffer_
  std::size_t end_ = 0;          // one past the last valid byte in buffer_
  std::size_t scanned_ = 0;      // bytes after begin_ known to hold no '\n'
  std::uint64_t buffer_offset_ = 0;  // file offset of buffer_[0]
  bool end_of_data_ = false;

  std::uint64_t line_number_ = 0;
  std::uint64_t line_offset_ = 0;
};

}  // namespace gasworks::io
