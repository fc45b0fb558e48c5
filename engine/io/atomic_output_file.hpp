#pragma once
// An output file that appears complete or not at all.
//
// The content goes to a temporary file beside the target
// ("<target>.tmp.<pid>.<n>", same directory, so the final rename stays within
// one file system and is atomic). commit() checks that every write succeeded,
// syncs the data to disk and renames the temporary over the target; without
// commit() (an exception, say) the destructor removes the temporary and an
// existing target is left untouched.
#include <filesystem>
#include <fstream>
#include <ostream>

namespace gasworks::io {

class atomic_output_file {
 public:
  // Throws std::runtime_error naming the temporary file when it cannot be created.
  explicit atomic_output_file(std::filesystem::path target);
  ~atomic_output_file();
  atomic_output_file(const atomic_output_file&) = delete;
  atomic_output_file& operator=(const atomic_output_file&) = delete;

  std::ostream& stream() noexcept { return stream_; }
  const std::filesystem::path& target() const noexcept { return target_; }

  // Publishes the content under the target name. Throws std::runtime_error
  // naming the file when writing, syncing or renaming failed (the temporary
  // is then removed by the destructor) and usage_error when called twice.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::ofstream stream_;
  bool committed_ = false;
};

}  // namespace gasworks::io
