#pragma once
// An asynchronous engine whose scheduler chooses sets of vertices that run
// together, phase after phase, on any number of ranks (phased_run.hpp): a
// toolkit brings the set scheduler and its rule of which vertices may share
// a phase. async_engine uses the same run with colour sets across ranks.
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

  run_summary run() {
    return this->run_with([&](run_summary& summary, const stopwatch& clock) {
      phased_run<Program, Sets>(this->state_, sets_).run(summary, clock);
    });
  }

 private:
  Sets sets_;
};

}  // namespace gasworks
