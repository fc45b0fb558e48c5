#pragma once
// Where tests find the shared real-data folder (../shared/datasets beside the
// repository). Without it, tests that need it are skipped on a developer's
// machine but fail in CI (CI=true), where it must be present; files the
// project ships in datasets/ are read from there.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace gasworks::testing {

inline std::filesystem::path shared_datasets() { return GASWORKS_SHARED_DATASETS; }
inline std::filesystem::path project_datasets() { return GASWORKS_PROJECT_DATASETS; }

// Where a test reads `relative`, a path under the shared datasets: the copy
// the project ships in datasets/ when it has one (a file of the same name),
// so that a fresh clone runs the test without ../shared; else the shared file.
inline std::filesystem::path dataset_path(const std::filesystem::path& relative) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(project_datasets(), ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().filename() == relative.filename()) return it->path();
  return shared_datasets() / relative;
}

inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

}  // namespace gasworks::testing

// Resolves `relative` (the shipped copy, or under the shared datasets), or
// skips/fails the test.
#define GASWORKS_REQUIRE_DATASET(var, relative)                                              \
  const std::filesystem::path var = ::gasworks::testing::dataset_path(relative);             \
  if (!std::filesystem::exists(var)) {                                                       \
    if (::gasworks::testing::running_in_ci()) FAIL() << "missing dataset " << var;           \
    GTEST_SKIP() << "dataset not present: " << var;                                          \
  }
