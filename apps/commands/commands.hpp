#pragma once
// The subcommands of the gasworks program. Each parses its own flags, runs
// on the ranks of `ranks` (one without mpiexec) and returns the process exit
// code; errors propagate as exceptions to main.
#include <memory>

#include "engine/comm/communicator.hpp"

namespace gasworks::commands {

using command_ranks = std::shared_ptr<communicator>;

int pagerank(const command_ranks& ranks, int argc, const char* const* argv);
int als(const command_ranks& ranks, int argc, const char* const* argv);
int sgd(const command_ranks& ranks, int argc, const char* const* argv);
int lda(const command_ranks& ranks, int argc, const char* const* argv);
int bp(const command_ranks& ranks, int argc, const char* const* argv);
int denoise(const command_ranks& ranks, int argc, const char* const* argv);
int lasso(const command_ranks& ranks, int argc, const char* const* argv);
// Run in one process: partition simulates the ranks it reports on;
// lda-infer samples documents independently, in parallel on its threads.
int partition(int argc, const char* const* argv);
int lda_infer(int argc, const char* const* argv);

}  // namespace gasworks::commands
