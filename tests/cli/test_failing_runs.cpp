// A vertex program that throws ends the run on every rank, with its message
// and exit code 1, whatever the place (init, gather, apply, scatter, the
// superstep hooks, an aggregator), the engine and the rank count; no rank is
// left waiting (mpiexec_prefix gives the job 60 s: a hang fails with 124).
#include <gtest/gtest.h>

#include <string>

#include "tests/support/command_test.hpp"

namespace {

using gasworks::testing::command_result;

class FailingRuns : public gasworks::testing::command_test {
 protected:
  FailingRuns() : command_test("gasworks_failing_runs", "") {}

  command_result fail(int ranks, const std::string& place, int rank, const char* engine) const {
    const std::string args = std::string(GASWORKS_PROJECT_DATASETS) + "/email-Eu-core.txt " + place + " " +
                             std::to_string(rank) + " " + engine;
    const std::string program = GASWORKS_FAILING_RUN " " + args;
    if (ranks == 1) return gasworks::testing::run_shell(in_scratch() + program, dir_);
    return gasworks::testing::run_shell(in_scratch() + gasworks::testing::mpiexec_prefix(GASWORKS_MPIEXEC, ranks) + program, dir_);
  }

  void expect_ended(int ranks, const std::string& place, int rank, const char* engine) const {
    const command_result r = fail(ranks, place, rank, engine);
    const std::string where = place + " on rank " + std::to_string(rank) + " of " + std::to_string(ranks) + ", " + engine;
    EXPECT_EQ(r.exit_code, 1) << where << (r.exit_code == 124 ? ": the job hung" : "") << "\n" << r.err;
    EXPECT_NE(r.err.find("error on rank " + std::to_string(rank) + ": planted failure in " + place), std::string::npos)
        << where << "\n" << r.err;
  }
};

TEST_F(FailingRuns, EveryPlaceOfTheSynchronousEngineEndsTheRun) {
  for (const char* place : {"init", "gather", "apply", "scatter", "begin_superstep", "end_superstep", "aggregator"}) {
    expect_ended(1, place, 0, "sync");
    expect_ended(2, place, 1, "sync");
  }
}

TEST_F(FailingRuns, EveryPlaceOfTheAsynchronousEngineEndsTheRun) {
  for (const char* place : {"init", "gather", "apply", "scatter", "aggregator"}) {
    expect_ended(1, place, 0, "async");
    expect_ended(2, place, 1, "async");
  }
}

TEST_F(FailingRuns, ARunWithoutTheFailureSaysSo) {
  // The planted failure is what ends the runs above, not anything else.
  const command_result r = fail(1, "nowhere", 0, "sync");
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

}  // namespace
