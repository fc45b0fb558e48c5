#pragma once
// The asynchronous engine: no supersteps. A vertex runs
//     init (its combined message) -> gather -> apply -> scatter
// as soon as a scheduler picks it, and its gather reads the newest data of
// its neighbours. Programs are the same as for the synchronous engine; a
// signal may carry a priority (signal_priority.hpp).
//
// The scheduler is a type (vertex_scheduler.hpp): fifo_scheduler (the
// default), sweep_scheduler, priority_scheduler or one of a toolkit's own;
// with_scheduler (scheduler_choice.hpp) turns a choice made at run time
// into one of the three.
//
// On one rank, worker threads pop vertices from the scheduler and claim each
// update's scope (async/locked_run.hpp). On several ranks, the engine runs
// colour phases (phased/colour_sets.hpp, phased/phased_run.hpp): each phase
// runs the scheduled vertices of one colour, in no other order, so the
// scheduler's order applies to one rank only.
#include <optional>
#include <utility>

#include "engine/async/fifo_scheduler.hpp"
#include "engine/async/locked_run.hpp"
#include "engine/async/vertex_scheduler.hpp"
#include "engine/gas/async_engine_base.hpp"
#include "engine/phased/colour_sets.hpp"
#include "engine/phased/phased_run.hpp"

namespace gasworks {

template <vertex_program Program, vertex_scheduler Scheduler = fifo_scheduler>
class async_engine : public async_engine_base<Program> {
 public:
  using graph_type = typename Program::graph_type;
  using scheduler_type = Scheduler;

  async_engine(graph_type& g, Program program, async_options options = {},
               typename Scheduler::settings settings = {})
      : async_engine_base<Program>(g, std::move(program), options), settings_(std::move(settings)) {}

  run_summary run() {
    return this->run_with([&](run_summary& summary, const stopwatch& clock) {
      if (this->state_.exchange.num_ranks() == 1) {
        locked_run<Program, Scheduler>(this->state_, settings_).run(summary, clock);
        return;
      }
      // The colouring is collective and depends on the graph only: made once.
      if (!colours_) colours_.emplace(this->state_.graph->structure(), this->state_.options.consistency);
      phased_run<Program, colour_sets>(this->state_, *colours_).run(summary, clock);
    });
  }

 private:
  typename Scheduler::settings settings_;
  std::optional<colour_sets> colours_;
};

}  // namespace gasworks
