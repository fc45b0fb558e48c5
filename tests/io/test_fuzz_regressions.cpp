// Inputs the fuzz targets found once (tests/fuzz/regressions/<reader>/),
// kept so that every build reads them again: each gives data or an
// input_error, nothing else (and, in the sanitizer build, no report). The
// fuzz seeds are read too.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "engine/core/error.hpp"
#include "tests/fuzz/reader_targets.hpp"

namespace {

namespace fs = std::filesystem;

TEST(FuzzRegressions, EveryKeptInputIsReadOrRefusedWithAMessage) {
  const fs::path root = fs::path(GASWORKS_SOURCE_DIR) / "tests" / "fuzz";
  std::size_t inputs = 0;
  for (const char* kind : {"regressions", "seeds"})
    for (std::string_view reader : gasworks::fuzz::readers) {
      const fs::path folder = root / kind / reader;
      if (!fs::exists(folder)) continue;
      for (const auto& entry : fs::directory_iterator(folder)) {
        ++inputs;
        try {
          gasworks::fuzz::read_as(reader, entry.path());
        } catch (const gasworks::input_error& e) {
          EXPECT_NE(std::string(e.what()).find(entry.path().string()), std::string::npos) << e.what();
        }
      }
    }
  EXPECT_GE(inputs, gasworks::fuzz::readers.size());  // at least the seeds
}

}  // namespace
