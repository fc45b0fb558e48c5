// Element-wise sums of run-time-sized integer vectors across the ranks of an
// mpiexec job, two ways in the same run: Boost.MPI's all_reduce (what
// communicator::all_reduce_sum(span) does) and gathering every rank's vector
// to add them in rank order (what the communicator does for single values).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/cli/number_parsing.hpp"

namespace {

using namespace gasworks;
using bench::median;

constexpr const char* description =
    "Sums of integer vectors across ranks (e.g. per-topic counts): Boost.MPI's\n"
    "all_reduce against an all-gather summed in rank order; run under mpiexec -n N.";

struct bench_options {
  std::vector<std::uint64_t> lengths;
  std::uint64_t repeats = 0;
  std::uint64_t trials = 0;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("lengths", po::value<std::string>()->value_name("L,L,..")->default_value("20,1000,100000,1000000"),
       "vector lengths (counts summed per call)")
      ("repeats", po::value<std::string>()->value_name("N")->default_value("200"), "calls per trial, 1..1000000")
      ("trials", po::value<std::string>()->value_name("N")->default_value("5"), "trials, 1..1000; the median is reported");
}

bench_options read_flags(const cli::command_line& cmd) {
  bench_options o;
  o.lengths = cli::parse_number_list<std::uint64_t>("lengths", cmd.text("lengths"), 1, std::uint64_t{1} << 26);
  o.repeats = *cmd.number<std::uint64_t>("repeats", 1, 1000000);
  o.trials = *cmd.number<std::uint64_t>("trials", 1, 1000);
  return o;
}

// The hand-written alternative: every rank's bytes to every rank, added in rank order.
void gather_and_add(communicator& ranks, std::span<std::uint64_t> values) {
  const auto all = ranks.all_gather(std::as_bytes(values));
  std::vector<std::uint64_t> theirs(values.size());
  std::fill(values.begin(), values.end(), 0);
  for (const auto& bytes : all) {
    std::memcpy(theirs.data(), bytes.data(), bytes.size());
    for (std::size_t k = 0; k < values.size(); ++k) values[k] += theirs[k];
  }
}

int run_bench(const bench_options& o, const std::shared_ptr<communicator>& ranks) {
  const bool speaks = ranks->rank() == 0;
  if (speaks) std::printf("%d ranks, %llu calls per trial, median of %llu trials\n", ranks->size(),
                          static_cast<unsigned long long>(o.repeats), static_cast<unsigned long long>(o.trials));
  if (speaks) std::printf("%10s %16s %16s %8s\n", "length", "all_reduce us", "gather+add us", "ratio");
  for (const std::uint64_t length : o.lengths) {
    std::vector<std::uint64_t> values(length);
    std::vector<double> reduce_us, gather_us;
    bool equal = true;
    for (std::uint64_t trial = 0; trial < o.trials; ++trial) {
      // Alternate the two ways within a trial, so both see the same machine.
      for (const bool boost_way : {true, false}) {
        ranks->barrier();
        const auto start = std::chrono::steady_clock::now();
        for (std::uint64_t i = 0; i < o.repeats; ++i) {
          for (std::size_t k = 0; k < length; ++k) values[k] = k + static_cast<std::uint64_t>(ranks->rank());
          if (boost_way) ranks->all_reduce_sum(std::span<std::uint64_t>(values));
          else gather_and_add(*ranks, values);
        }
        const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
                          static_cast<double>(o.repeats);
        (boost_way ? reduce_us : gather_us).push_back(ranks->all_reduce_max(us));
        const auto n = static_cast<std::uint64_t>(ranks->size());
        for (std::size_t k = 0; k < length; ++k) equal = equal && values[k] == n * k + n * (n - 1) / 2;
      }
    }
    if (!ranks->any(!equal)) {
      if (speaks)
        std::printf("%10llu %16.1f %16.1f %8.2f\n", static_cast<unsigned long long>(length), median(reduce_us),
                    median(gather_us), median(reduce_us) / median(gather_us));
    } else {
      if (speaks) std::printf("%10llu: the two ways disagree\n", static_cast<unsigned long long>(length));
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  gasworks::cli::command_line cmd("gasworks-bench-collectives", "[options]", description);
  declare_flags(cmd);
  return gasworks::bench::main_on_ranks(argc, argv, cmd, read_flags, run_bench);
}
