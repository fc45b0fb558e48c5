#pragma once
// Runs a program on the asynchronous engine with a scheduler chosen at run
// time, as the toolkits do: setup(engine) signals vertices and adds
// aggregators before the run.
#include <type_traits>

#include "engine/async/scheduler_choice.hpp"
#include "engine/async_engine.hpp"

namespace gasworks::testing {

struct signal_everything {
  template <class Engine>
  void operator()(Engine& e) const {
    e.signal_all();
  }
};

template <class Program, class Setup = signal_everything>
run_summary run_async(typename Program::graph_type& g, const Program& program, async_options options,
                      scheduler_choice scheduler, Setup&& setup = {}) {
  return with_scheduler(scheduler, [&](const auto& chosen) {
    async_engine<Program, typename std::decay_t<decltype(chosen)>::scheduler_type> engine(g, program, options, chosen);
    setup(engine);
    return engine.run();
  });
}

}  // namespace gasworks::testing
