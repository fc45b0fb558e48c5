#pragma once
// The fixture of tests that run the gasworks command as a user would: a
// scratch folder the command runs in (so that file names are relative), on
// one process or on several ranks under mpiexec. The test target defines
// GASWORKS_BINARY and GASWORKS_MPIEXEC.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>

#include "tests/support/scratch_directory.hpp"
#include "tests/support/shell_command.hpp"

namespace gasworks::testing {

class command_test : public ::testing::Test {
 protected:
  // `subcommand` (with its trailing blank) starts every command line.
  command_test(std::string scratch_name, std::string subcommand)
      : scratch_(std::move(scratch_name)), subcommand_(std::move(subcommand)) {}

  command_result run(const std::string& args) const {
    return run_shell(in_scratch() + GASWORKS_BINARY " " + subcommand_ + args, dir_);
  }
  command_result run_ranks(int ranks, const std::string& args) const {
    return run_shell(in_scratch() + mpiexec_prefix(GASWORKS_MPIEXEC, ranks) + GASWORKS_BINARY " " + subcommand_ + args, dir_);
  }
  std::string read(const std::string& name) const { return read_text(dir_ / name); }
  std::string in_scratch() const { return "cd '" + dir_.string() + "' && "; }

  scratch_directory scratch_;
  const std::filesystem::path& dir_ = scratch_.path();

 private:
  std::string subcommand_;
};

}  // namespace gasworks::testing
