#include "engine/io/atomic_output_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "engine/core/error.hpp"

namespace gasworks::io {

namespace {

// Distinguishes the temporaries of several outputs open at once in one process.
std::uint64_t next_temporary_number() {
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

std::string quoted_path(const std::filesystem::path& path) {
  std::string text(1, '\'');
  text += path.string();
  text += '\'';
  return text;
}

[[noreturn]] void throw_system_failure(const std::string& what, const std::filesystem::path& path) {
  throw std::runtime_error("cannot " + what + " " + quoted_path(path) + ": " + std::strerror(errno));
}

void sync_to_disk(const std::filesystem::path& file) {
  const int descriptor = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) throw_system_failure("open for syncing", file);
  if (::fsync(descriptor) != 0) {
    const int error = errno;
    ::close(descriptor);
    errno = error;
    throw_system_failure("sync", file);
  }
  ::close(descriptor);
}

}  // namespace

atomic_output_file::atomic_output_file(std::filesystem::path target) : target_(std::move(target)) {
  temporary_ = target_;
  temporary_ += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(next_temporary_number());
  // Create it with open(2) first: O_EXCL refuses to clobber a stranger's file,
  // and errno is reliable here, unlike after std::ofstream::open.
  const int descriptor = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (descriptor < 0) throw_system_failure("create", temporary_);
  ::close(descriptor);
  stream_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!stream_) {
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
    throw std::runtime_error("cannot open " + quoted_path(temporary_) + " for writing");
  }
}

atomic_output_file::~atomic_output_file() {
  if (committed_) return;
  stream_.close();
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void atomic_output_file::commit() {
  if (committed_) throw usage_error("atomic_output_file::commit called twice for " + quoted_path(target_));
  stream_.flush();
  const bool written = static_cast<bool>(stream_);
  stream_.close();
  if (!written || stream_.fail()) {
    throw std::runtime_error("cannot write " + quoted_path(target_) + ": writing " + quoted_path(temporary_) +
                             " failed (disk full or I/O error?)");
  }
  // Data before name: after a crash the target is either old or complete.
  sync_to_disk(temporary_);
  std::error_code error;
  std::filesystem::rename(temporary_, target_, error);
  if (error) {
    throw std::runtime_error("cannot rename " + quoted_path(temporary_) + " to " + quoted_path(target_) + ": " +
                             error.message());
  }
  committed_ = true;
}

}  // namespace gasworks::io
