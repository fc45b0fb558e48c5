#pragma once
// What every benchmark harness shares: the median of its trials, and the
// main of a benchmark, run as one process or on the ranks of an mpiexec job.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "engine/cli/command_line.hpp"
#include "engine/comm/communicator.hpp"
#include "engine/comm/mpi_session.hpp"
#include "engine/core/error.hpp"
#include "engine/core/keep_freed_memory.hpp"
#include "engine/graph/ingress_policy.hpp"

namespace gasworks::bench {

inline double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// --vertex-order degree|id, for the benchmarks that build graphs.
inline ingress_policy::vertex_order read_vertex_order(const cli::command_line& cmd) {
  const std::string text = cmd.text("vertex-order");
  const auto order = parse_vertex_order(text);
  if (!order) throw usage_error("--vertex-order expects degree or id, got '" + text + "'");
  return *order;
}

// Bad flags: the message, then the help, so the right spelling is at hand.
inline void print_usage_error(const cli::command_line& cmd, const char* what) {
  std::fprintf(stderr, "error: %s\n\n", what);
  cmd.print_help(std::cerr);
}

// Parses the flags declared on `cmd` and reads them into the benchmark's
// options with `read`, then runs. Exit status: `run`'s, 0 after --help,
// 2 for bad flags, 1 when the run throws.
template <class Read, class Run>
int main_in_process(int argc, char** argv, cli::command_line& cmd, Read&& read, Run&& run) {
  cmd.set_standalone(true);
  decltype(read(cmd)) options;
  try {
    if (!cmd.parse(argc, argv)) return 0;
    options = read(cmd);
  } catch (const usage_error& e) {
    print_usage_error(cmd, e.what());
    return 2;
  }
  try {
    return run(options);
  } catch (const usage_error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

// As main_in_process, on every rank of an mpiexec job: every rank parses
// the same flags and fails alike, rank 0 alone prints help and usage errors,
// and a failure during the run on any rank ends the whole job.
template <class Read, class Run>
int main_on_ranks(int argc, char** argv, cli::command_line& cmd, Read&& read, Run&& run) {
  keep_freed_memory();
  mpi_session mpi(argc, argv);
  const auto& ranks = mpi.world();
  cmd.set_standalone(true);
  cmd.set_speaks(ranks->rank() == 0);
  decltype(read(cmd)) options;
  try {
    if (!cmd.parse(argc, argv)) return 0;
    options = read(cmd);
  } catch (const usage_error& e) {
    if (ranks->rank() == 0) print_usage_error(cmd, e.what());
    return 2;
  }
  try {
    return run(options, ranks);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error on rank %d: %s\n", ranks->rank(), e.what());
    ranks->abort_job(1);
    return 1;
  }
}

}  // namespace gasworks::bench
