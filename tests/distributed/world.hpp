#pragma once
// The ranks this test program runs on (mpiexec -n N, or one process).
//
// Every rank runs every test, so a test must reach the same collective calls
// on every rank: checks use EXPECT (which does not leave the test), and
// ASSERT only on facts that are the same on every rank.
#include <memory>

#include "engine/comm/communicator.hpp"

namespace gasworks::testing {

const std::shared_ptr<communicator>& world();

// A communicator of this process alone, for one-process reference runs.
inline std::shared_ptr<communicator> this_process_only() { return std::make_shared<communicator>(); }

}  // namespace gasworks::testing
