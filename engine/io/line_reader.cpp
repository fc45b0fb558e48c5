#include "engine/io/line_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>
#include <string>
#include <utility>

namespace gasworks::io {

namespace {

// Large blocks keep system calls and decompression calls rare.
constexpr std::size_t initial_capacity = std::size_t{1} << 20;
// zlib's buffer for compressed input; its default (8 KiB) is slow.
constexpr unsigned gzip_input_buffer = 256U << 10;
// gzread takes an unsigned length.
constexpr std::size_t largest_gzip_read = std::size_t{1} << 30;

std::string system_error_text() { return std::strerror(errno); }

}  // namespace

line_reader::line_reader(std::filesystem::path file, byte_range range)
    : file_(std::move(file)), range_(range) {
  try {
    open_file();
    capacity_ = initial_capacity;
    buffer_ = std::make_unique_for_overwrite<char[]>(capacity_);
    if (range_.begin > 0) skip_to_first_line_of_range();
  } catch (...) {
    if (gzip_ != nullptr) gzclose(gzip_);
    if (descriptor_ >= 0) ::close(descriptor_);
    throw;
  }
}

line_reader::~line_reader() {
  if (gzip_ != nullptr) gzclose(gzip_);
  if (descriptor_ >= 0) ::close(descriptor_);
}

void line_reader::open_file() {
  descriptor_ = ::open(file_.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor_ < 0) throw input_error(file_, 0, "cannot open: " + system_error_text());
  // open(2) accepts a directory; say so now rather than fail on the first read.
  struct stat status {};
  if (::fstat(descriptor_, &status) == 0 && S_ISDIR(status.st_mode)) {
    throw input_error(file_, 0, std::string("cannot open: ") + std::strerror(EISDIR));
  }

  // The content decides, not the name: a ".gz" that is plain text is read as
  // text, and gzip data under any name are decompressed.
  unsigned char magic[2] = {0, 0};
  const bool is_gzip = ::pread(descriptor_, magic, sizeof magic, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (!is_gzip) {
    if (range_.begin > 0) {
      // Start one byte early: that byte tells whether range_.begin starts a line.
      buffer_offset_ = range_.begin - 1;
      if (::lseek(descriptor_, static_cast<off_t>(buffer_offset_), SEEK_SET) < 0) {
        throw input_error(file_, 0, "cannot seek to byte " + std::to_string(buffer_offset_) + ": " + system_error_text());
      }
    }
    return;
  }
  if (!range_.is_whole_file()) {
    throw input_error(file_, 0, "cannot read a byte range of gzip-compressed data; decompress the file first");
  }
  gzip_ = gzdopen(descriptor_, "rb");
  if (gzip_ == nullptr) throw input_error(file_, 0, "cannot open: out of memory for the gzip stream");
  descriptor_ = -1;  // gzclose closes it now
  gzbuffer(gzip_, gzip_input_buffer);
}

void line_reader::skip_to_first_line_of_range() {
  // Reading started one byte before the range: everything up to and including
  // the first '\n' belongs to a line that started in an earlier range.
  for (;;) {
    const char* data = buffer_.get() + begin_;
    if (const void* newline = std::memchr(data, '\n', end_ - begin_)) {
      begin_ += static_cast<std::size_t>(static_cast<const char*>(newline) - data) + 1;
      return;
    }
    begin_ = end_;
    if (!refill()) return;
  }
}

std::optional<std::string_view> line_reader::next() {
  std::size_t length = 0;
  bool ends_with_newline = false;
  for (;;) {
    // A line starting at or after the range's end belongs to the next range.
    if (buffer_offset_ + begin_ >= range_.end) return std::nullopt;
    const std::size_t available = end_ - begin_;
    const char* data = buffer_.get() + begin_;
    if (const void* newline = std::memchr(data + scanned_, '\n', available - scanned_)) {
      length = static_cast<std::size_t>(static_cast<const char*>(newline) - data);
      ends_with_newline = true;
      break;
    }
    scanned_ = available;
    if (!refill()) {
      if (available == 0) return std::nullopt;
      length = available;  // the last line of a file without a final '\n'
      break;
    }
  }
  char* const start = buffer_.get() + begin_;
  line_offset_ = buffer_offset_ + begin_;
  ++line_number_;
  begin_ += length + (ends_with_newline ? 1 : 0);
  scanned_ = 0;
  if (length > 0 && start[length - 1] == '\r') --length;
  return std::string_view(start, length);
}

input_error line_reader::error(std::string_view message) const {
  return input_error(file_, file_line_number(), std::string(message));
}

std::uint64_t line_reader::file_line_number() const {
  if (range_.begin == 0 || descriptor_ < 0) return line_number_;
  // Inside a later range: count the lines before this one (errors only, so
  // reading the file's beginning again costs nothing that matters).
  std::uint64_t lines = 0;
  std::vector<char> chunk(1 << 20);
  for (std::uint64_t at = 0; at < line_offset_;) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), line_offset_ - at));
    const ::ssize_t got = ::pread(descriptor_, chunk.data(), want, static_cast<::off_t>(at));
    if (got <= 0) return line_number_;  // cannot tell: the range's own count is better than nothing
    lines += static_cast<std::uint64_t>(std::count(chunk.data(), chunk.data() + got, '\n'));
    at += static_cast<std::uint64_t>(got);
  }
  return lines + 1;
}

bool line_reader::refill() {
  if (end_of_data_) return false;
  const std::size_t unconsumed = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, unconsumed);
    buffer_offset_ += begin_;
    begin_ = 0;
    end_ = unconsumed;
  }
  if (end_ == capacity_) {  // one line fills the buffer
    auto larger = std::make_unique_for_overwrite<char[]>(2 * capacity_);
    std::memcpy(larger.get(), buffer_.get(), end_);
    buffer_ = std::move(larger);
    capacity_ *= 2;
  }
  const std::size_t count = read_some(buffer_.get() + end_, capacity_ - end_);
  if (count == 0) {
    end_of_data_ = true;
    return false;
  }
  end_ += count;
  return true;
}

std::size_t line_reader::read_some(char* destination, std::size_t capacity) {
  if (gzip_ == nullptr) {
    for (;;) {
      const ssize_t count = ::read(descriptor_, destination, capacity);
      if (count >= 0) return static_cast<std::size_t>(count);
      if (errno != EINTR) throw input_error(file_, line_number_, "cannot read: " + system_error_text());
    }
  }
  const auto request = static_cast<unsigned>(std::min(capacity, largest_gzip_read));
  const int count = gzread(gzip_, destination, request);
  if (count > 0) return static_cast<std::size_t>(count);
  int zlib_error = Z_OK;
  const char* zlib_message = gzerror(gzip_, &zlib_error);
  // gzread reports a stream cut short as a plain end of data; only gzerror's
  // Z_BUF_ERROR tells it apart from a complete file.
  if (count == 0 && zlib_error == Z_OK) return 0;
  throw_gzip_error(zlib_error, zlib_message);
}

void line_reader::throw_gzip_error(int zlib_error, const char* zlib_message) const {
  if (zlib_error == Z_ERRNO) throw input_error(file_, line_number_, "cannot read: " + system_error_text());
  std::string message = "truncated or corrupt gzip data after line " + std::to_string(line_number_);
  std::string_view detail = zlib_message != nullptr ? zlib_message : "";
  // zlib prefixes its own name for the stream ("<fd:3>: "), which means nothing here.
  if (const auto separator = detail.find(": "); separator != std::string_view::npos) detail.remove_prefix(separator + 2);
  if (!detail.empty()) message += " (" + std::string(detail) + ")";
  throw input_error(file_, line_number_, message);
}

}  // namespace gasworks::io
