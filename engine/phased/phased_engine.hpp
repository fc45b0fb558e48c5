#pragma once
// An asynchronous engine whose scheduler chooses sets of vertices that run
// together, phase after phase, on any number of ranks (phased_run.hpp): a
// toolkit brings the set scheduler and its rule of which vertices may share
// a phase. async_engine uses the same run with colour sets across ranks.
#include <cstdint>
#include <limits>
#include <utility>

#include "engine/gas/async_engine_base.hpp"
#include "engine/phased/phased_run.hpp"
#include "engine/phased/set_scheduler.hpp"

namespace gasworks {

template <vertex_program Program, set_scheduler Sets>
class phased_engine : public async_engine_base<Program> {
 public:
  using graph_type = typename Program::graph_type;

  phased_engine(graph_type& g, Program program, Sets sets, async_options options = {})
      : async_engine_base<Program>(g, std::move(program), options), sets_(std::move(sets)) {}

  Sets& scheduler() noexcept { return sets_; }

  // Runs until nothing is scheduled or a limit of the options is reached;
  // with max_rounds, also after that many rounds (the summary's reason is
  // then max_iterations). Signals not yet run stay for the next run.
  run_summary run(std::uint64_t max_rounds = std::numeric_limits<std::uint64_t>::max()) {
    return this->run_with([&](run_summary& summary, const stopwatch& clock) {
      phased_run<Program, Sets>(this->state_, sets_, max_rounds).run(summary, clock);
    });
  }

 private:
  Sets sets_;
};

}  // namespace gasworks
