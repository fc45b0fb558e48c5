// Runs the tests on every rank. Rank 0 prints the usual report; the other
// ranks print only their failures, each line marked with the rank.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "engine/comm/mpi_session.hpp"
#include "tests/distributed/world.hpp"

namespace {

std::shared_ptr<gasworks::communicator> the_world;

class failures_only : public ::testing::EmptyTestEventListener {
 public:
  explicit failures_only(int rank) : rank_(rank) {}
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (!result.failed()) return;
    std::fprintf(stderr, "rank %d: %s:%d: failure\n%s\n", rank_, result.file_name() ? result.file_name() : "?",
                 result.line_number(), result.summary());
  }

 private:
  int rank_;
};

}  // namespace

const std::shared_ptr<gasworks::communicator>& gasworks::testing::world() { return the_world; }

int main(int argc, char** argv) {
  gasworks::mpi_session mpi(argc, argv);
  the_world = mpi.world();
  ::testing::InitGoogleTest(&argc, argv);
  if (the_world->rank() != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new failures_only(the_world->rank()));
  }
  const int status = RUN_ALL_TESTS();
  // A rank whose tests failed fails the job, whatever the others say.
  const bool any_failed = the_world->any(status != 0);
  the_world.reset();
  return any_failed ? 1 : 0;
}
