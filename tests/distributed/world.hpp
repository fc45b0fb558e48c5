#pragma once
// The ranks this test program runs on (mpiexec -n N, or one process).
//
// Every rank runs every test, so a test must reach the same collective calls
// on every rank: checks use EXPECT (which does not leave the test), and
// ASSERT only on facts that are the same on every rank.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/comm/communicator.hpp"

namespace gasworks::testing {

const std::shared_ptr<communicator>& world();

// A communicator of this process alone, for one-process reference runs.
inline std::shared_ptr<communicator> this_process_only() { return std::make_shared<communicator>(); }

// A path in the system temporary folder that every rank of this job agrees
// on and that no other job uses (rank 0's process id is part of it), so that
// the 1-, 2- and 3-rank suites may run at the same time. Collective.
inline std::filesystem::path job_temp_path(const std::string& name) {
  const std::uint64_t mine = world()->rank() == 0 ? static_cast<std::uint64_t>(::getpid()) : 0;
  const std::filesystem::path file(name);  // the id goes before the extension, which names the format
  return std::filesystem::temp_directory_path() /
         (file.stem().string() + "_" + std::to_string(world()->all_reduce_max(mine)) + file.extension().string());
}

}  // namespace gasworks::testing
