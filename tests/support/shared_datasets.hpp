#pragma once
// Where tests find the shared real-data folder (../shared/datasets beside the
// repository). Without it, tests that need it are skipped on a developer's
// machine but fail in CI (CI=true), where it must be present.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace gasworks::testing {

inline std::filesystem::path shared_datasets() { return GASWORKS_SHARED_DATASETS; }

inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

}  // namespace gasworks::testing

// Resolves `relative` under the shared datasets, or skips/fails the test.
#define GASWORKS_REQUIRE_DATASET(var, relative)                                              \
  const std::filesystem::path var = ::gasworks::testing::shared_datasets() / (relative);     \
  if (!std::filesystem::exists(var)) {                                                       \
    if (::gasworks::testing::running_in_ci()) FAIL() << "missing dataset " << var;           \
    GTEST_SKIP() << "dataset not present: " << var;                                          \
  }
