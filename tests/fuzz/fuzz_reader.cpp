// A libFuzzer target for one reader (GASWORKS_FUZZ_READER names it): each
// input is written to a file and read; input_error is the only acceptable
// failure, so any other exception escapes and is reported as a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/core/error.hpp"
#include "tests/fuzz/reader_targets.hpp"

namespace {

const std::filesystem::path& input_file() {
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("gasworks_fuzz_" GASWORKS_FUZZ_READER "_" + std::to_string(::getpid()));
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(input_file(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    gasworks::fuzz::read_as(GASWORKS_FUZZ_READER, input_file());
  } catch (const gasworks::input_error&) {
    // The reader refused the input with a message: what it must do.
  }
  return 0;
}
