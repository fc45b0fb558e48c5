#pragma once
// What every benchmark harness shares: the median of its trials, and the
// main of a benchmark that runs on the ranks of an mpiexec job.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/core/keep_freed_memory.hpp"
#include "engine/comm/communicator.hpp"
#include "engine/comm/mpi_session.hpp"
#include "engine/core/error.hpp"

namespace gasworks::bench {

inline double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// Parses the flags on every rank (parse throws usage_error, with an empty
// message for --help), then runs; rank 0 prints usage, and a failure on any
// rank ends the whole job.
template <class Parse, class Run>
int main_on_ranks(int argc, char** argv, std::string_view usage, Parse&& parse, Run&& run) {
  keep_freed_memory();
  mpi_session mpi(argc, argv);
  const auto& ranks = mpi.world();
  decltype(parse(argc, argv)) options;
  try {
    options = parse(argc, argv);
  } catch (const usage_error& e) {
    if (ranks->rank() == 0) std::fprintf(stderr, "%s%s%s", e.what(), *e.what() ? "\n\n" : "", usage.data());
    return *e.what() ? 2 : 0;
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
