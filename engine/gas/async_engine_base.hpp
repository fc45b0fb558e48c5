#pragma once
// What every asynchronous engine offers before and around a run: signals
// before the run, aggregators, the progress observer, and the run's start
// and final report. The engines (engine/async_engine.hpp,
// engine/phased/phased_engine.hpp) add how a run proceeds.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "engine/core/phase_timer.hpp"
#include "engine/gas/aggregator.hpp"
#include "engine/gas/async_options.hpp"
#include "engine/gas/async_state.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/gas/signal_priority.hpp"
#include "engine/gas/vertex_program.hpp"

namespace gasworks {

template <vertex_program Program>
class async_engine_base {
  static_assert(!has_superstep_hooks<Program>,
                "the asynchronous engines have no supersteps: a program with begin_superstep/end_superstep hooks "
                "runs on the synchronous engine");

 public:
  using program_type = Program;
  using graph_type = typename Program::graph_type;
  using message_type = message_t<Program>;
  using signal_type = typename async_state<Program>::signal_type;

  Program& program() noexcept { return state_.program; }
  const Program& program() const noexcept { return state_.program; }
  graph_type& graph() noexcept { return *state_.graph; }
  const async_options& options() const noexcept { return state_.options; }
  // Options may change between runs (a time limit for what remains, say).
  async_options& options() noexcept { return state_.options; }

  // Schedule vertices before a run (these signals ignore a scheduler's
  // minimum priority). A signal given on any rank that holds the vertex
  // reaches it, and ids no rank holds are reported when the run starts.
  void signal_all() { state_.signal_all(signal_type{}); }
  // Every vertex, with priority p (e.g. infinity: ahead of any later signal).
  void signal_all(priority p) { state_.signal_all(signal_type{{}, p.value}); }
  void signal(vertex_id id) { state_.signal_before_run(id, signal_type{}); }
  void signal(vertex_id id, priority p) { state_.signal_before_run(id, signal_type{{}, p.value}); }
  void signal(vertex_id id, const message_type& m)
    requires has_message_type<Program>
  {
    state_.signal_before_run(id, signal_type{m, 0.0});
  }
  void signal(vertex_id id, const message_type& m, priority p)
    requires has_message_type<Program>
  {
    state_.signal_before_run(id, signal_type{m, p.value});
  }

  // Runs `map` over the vertices periodically while the engine runs (and
  // once when it ends) and reports the sum as metric `name`; `finalize`
  // receives each result.
  template <class Map, class Finalize = ignore_result>
  void add_aggregator(std::string name, aggregation_period period, Map map, Finalize finalize = {}) {
    state_.add_aggregator(period, [&] {
      return make_vertex_aggregator<graph_type>(std::move(name), 1, std::move(map), std::move(finalize));
    });
  }

  // The same over the edges.
  template <class Map, class Finalize = ignore_result>
  void add_edge_aggregator(std::string name, aggregation_period period, Map map, Finalize finalize = {}) {
    state_.add_aggregator(period, [&] {
      return make_edge_aggregator<graph_type>(std::move(name), 1, std::move(map), std::move(finalize));
    });
  }

  // Called with every progress report: `superstep` numbers the reports,
  // `active` is the updates since the previous one.
  void on_progress(std::function<void(const superstep_report&)> observer) { state_.observer = std::move(observer); }
  // The engine's state between two runs (scheduled vertices, pending
  // signals, the program's state, the shard's data), for a driver that runs
  // the engine several times and saves checkpoints between the runs. A
  // restored engine's next run continues from it.
  void save_state(wire_writer& w) const { state_.save_state(w); }
  void restore_state(wire_reader& r) {
    std::uint64_t counted = 0;  // a run counts its own updates afresh
    state_.restore_state(r, counted);
  }

  // Progress reports made so far, the last run's closing one included
  // (numbered on from async_options::earlier_reports).
  std::uint64_t progress_reports() const noexcept { return state_.reports; }

 protected:
  async_engine_base(graph_type& g, Program program, async_options options) : state_(g, std::move(program), options) {}

  // A run: body(summary, clock) between the start and a last report, with
  // every aggregator, that describes the end state.
  template <class Body>
  run_summary run_with(Body&& body) {
    run_summary summary;
    const stopwatch clock;
    state_.begin_run(summary.times);
    body(summary, clock);
    {
      scoped_phase timed(summary.times, phase::hooks);
      state_.report(summary.updates, clock.seconds(), true);
    }
    summary.seconds = clock.seconds();
    return summary;
  }

  async_state<Program> state_;
};

}  // namespace gasworks
