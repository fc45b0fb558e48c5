#pragma once
// One run of the asynchronous engine as a sequence of phases, on any number
// of ranks: before each phase a set scheduler (set_scheduler.hpp) chooses
// which scheduled vertices run together, and the phase runs them like a
// superstep restricted to that set (gas_steps.hpp): init with their pending
// messages, gather, apply at the masters, mirrors refreshed, scatter. Between
// phases the replica exchange routes signals and messages to the masters.
//
// After each phase, a program with the hook
//   end_phase(sum)
// (non-const) receives on every rank the sum, over every rank, of what that
// phase's applies returned: a global quantity the vertices share (the sum of
// residuals that Lasso's centring needs) kept current phase by phase.
//
// Termination: signals are routed collectively between phases, so a phase
// that finds no vertex scheduled on any rank sees no message in flight
// either. A run also ends after max_rounds rounds, on max_updates, timeout
// or stop(), decided on the same numbers on every rank.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include "engine/core/large_vector.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/gas/async_state.hpp"
#include "engine/gas/frontier.hpp"
#include "engine/gas/gas_steps.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/phased/set_scheduler.hpp"

namespace gasworks {

template <class Program, class Sum>
concept has_phase_hook = requires(Program& p, const Sum& sum) { p.end_phase(sum); };

template <vertex_program Program, set_scheduler Sets>
class phased_run {
 public:
  using state_type = async_state<Program>;
  using signal_type = typename state_type::signal_type;
  using gather_type = typename Program::gather_type;
  using published_type = typename state_type::published_type;

  phased_run(state_type& state, Sets& sets, std::uint64_t max_rounds = std::numeric_limits<std::uint64_t>::max())
      : state_(state),
        sets_(sets),
        max_rounds_(max_rounds),
        active_(state.graph->num_local_vertices()),
        partials_(state.graph->num_local_vertices()) {}

  void run(run_summary& summary, const stopwatch& clock);

 private:
  // Signals schedule their target for a later phase.
  struct no_scheduler {
    static constexpr bool uses_priorities = Sets::uses_priorities;
    bool admits(double) const noexcept { return true; }
    void push(unsigned, local_id, double) const noexcept {}
  };
  struct phase_sink {
    state_type* state;
    const bool* serial;  // the phase runs on one thread
    void deliver(local_id v, const signal_type& s) const {
      if (*serial) {
        state->schedule_alone(v, s);
        return;
      }
      no_scheduler none;
      state->schedule(v, s, none, 0);
    }
  };
  using context = typename state_type::template context<phase_sink>;

  // What the ranks agree on before each phase.
  struct phase_votes {
    std::uint64_t active = 0;     // vertices of this phase, counted at their masters
    std::uint64_t scheduled = 0;  // ranks with a scheduled vertex, this phase's included
    std::uint64_t stop = 0;
    double clock = 0;  // summed over ranks; their mean is the time every rank goes by
    phase_votes& operator+=(const phase_votes& o) noexcept {
      active += o.active;
      scheduled += o.scheduled;
      stop += o.stop;
      clock += o.clock;
      return *this;
    }
  };

  void run_phase(phase_times& times);

  // Large sets go in chunks of 64 vertices; a small set of heavy vertices
  // (a few model parameters with many edges each) one by one, so that work
  // stealing spreads them over the threads.
  std::size_t grain() const {
    const auto workers = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
    return std::clamp<std::size_t>(chosen_.size() / (8 * workers), 1, 64);
  }

  template <class F>
  void each_active(F&& f) const {
    if (serial_) {
      for (const local_id v : chosen_) f(v);
      return;
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chosen_.size(), grain()), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) f(chosen_[i]);
    });
  }

  // The sum of f(v) over this phase's vertices mastered here.
  template <class Sum, class F>
  Sum sum_over_masters(F&& f) const {
    const auto& s = state_.graph->structure();
    if (serial_) {
      Sum sum{};
      for (const local_id v : chosen_)
        if (s.is_master(v)) sum += f(v);
      return sum;
    }
    return tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, chosen_.size(), grain()), Sum{},
        [&](const tbb::blocked_range<std::size_t>& r, Sum sum) {
          for (std::size_t i = r.begin(); i != r.end(); ++i)
            if (s.is_master(chosen_[i])) sum += f(chosen_[i]);
          return sum;
        },
        [](Sum a, const Sum& b) {
          a += b;
          return a;
        });
  }

  // A phase whose vertices gather and scatter along few edges here runs on
  // the calling thread: handing work to other threads costs microseconds,
  // more than such a phase's work (a few coordinates of a regression, say).
  static constexpr std::uint64_t parallel_edges = 16384;
  template <class Ctx>
  bool few_edges(const Ctx& ctx) const {
    const auto& s = state_.graph->structure();
    const auto along = [&](local_id v, edge_dir dir) -> std::uint64_t {
      return (includes_out(dir) ? s.out_end(v) - s.out_begin(v) : 0) + (includes_in(dir) ? s.in_end(v) - s.in_begin(v) : 0);
    };
    std::uint64_t edges = 0;
    for (const local_id v : chosen_) {
      const typename Program::vertex_type vertex(*state_.graph, v);
      if constexpr (has_gather<Program, Ctx>) edges += along(v, state_.program.gather_edges(ctx, vertex));
      if constexpr (has_scatter<Program, Ctx>) edges += along(v, state_.program.scatter_edges(ctx, vertex));
      if (edges >= parallel_edges) return false;
    }
    return true;
  }

  state_type& state_;
  Sets& sets_;
  std::uint64_t max_rounds_;
  bool serial_ = false;
  frontier active_;               // this phase's vertices
  std::vector<local_id> chosen_;  // the same, as a list
  large_vector<gather_type> partials_;
};

template <vertex_program Program, set_scheduler Sets>
void phased_run<Program, Sets>::run(run_summary& summary, const stopwatch& clock) {
  const auto& s = state_.graph->structure();
  replica_exchange& exchange = state_.exchange;
  const frontier& masters = state_.masters;
  const auto priority_of = [&](local_id v) { return state_.pending[v].priority; };

  std::uint64_t done = state_.updates_done.load();  // a resumed run goes on counting
  for (std::uint64_t round = 0;; ++round) {
    if (round == max_rounds_) {
      summary.reason = termination::max_iterations;
      break;
    }
    // Between rounds nothing runs and signals wait unrouted on every rank:
    // the point where a checkpoint is taken.
    {
      scoped_phase timed(summary.times, phase::hooks);
      state_.checkpoint_if_due();
    }
    summary.supersteps = round + 1;
    bool over = false;
    for (std::uint32_t phase = 0; phase < sets_.phases_per_round() && !over; ++phase) {
      {
        scoped_phase timed(summary.times, phase::exchange);
        exchange.route_signals(state_.scheduled, std::span<signal_type>(state_.pending));
      }
      // Every replica agrees on what is scheduled since routing, so the
      // ranks choose alike.
      chosen_.clear();
      sets_.choose(phase, state_.scheduled, priority_of, chosen_);
      active_.clear();
      std::uint64_t active_masters = 0;
      for (local_id v : chosen_) {
        state_.scheduled.erase(v);
        active_.insert(v);
        if (s.is_master(v)) ++active_masters;
      }
      phase_votes mine;
      mine.active = active_masters;
      mine.scheduled = active_masters > 0 || state_.scheduled.intersects(masters) ? 1 : 0;
      mine.stop = state_.stop_requested.load(std::memory_order_relaxed) ? 1 : 0;
      mine.clock = clock.seconds();
      const phase_votes votes = exchange.all_reduce_sum(mine);
      // Decisions that depend on time use the same time on every rank.
      const double now = votes.clock / exchange.num_ranks();
      if (state_.report_due(done, now)) {
        scoped_phase timed(summary.times, phase::hooks);
        state_.report(done, now, false);
      }
      const auto end_with = [&](termination why) {
        summary.reason = why;
        // Leave this phase's vertices scheduled for a later run.
        for (local_id v : chosen_) state_.scheduled.insert(v);
        over = true;
      };
      if (votes.stop) end_with(termination::stopped);
      else if (state_.options.timeout_seconds && now >= *state_.options.timeout_seconds) end_with(termination::timeout);
      else if (votes.scheduled == 0) end_with(termination::converged);
      else if (done >= state_.options.max_updates) end_with(termination::max_updates);
      if (over || votes.active == 0) continue;
      run_phase(summary.times);
      done += votes.active;
      state_.updates_done.store(done);
    }
    if (over) break;
  }
  summary.updates = done;
}

template <vertex_program Program, set_scheduler Sets>
void phased_run<Program, Sets>::run_phase(phase_times& times) {
  const auto& s = state_.graph->structure();
  const context ctx(state_, phase_sink{&state_, &serial_});
  serial_ = few_edges(ctx);
  {
    scoped_phase timed(times, phase::init);
    // Masters hold the combined messages (routing moved the mirrors' there).
    each_active([&](local_id v) {
      const signal_type signal = std::exchange(state_.pending[v], signal_type{});
      if constexpr (has_init<Program, context>) {
        if (s.is_master(v)) {
          typename Program::vertex_type vertex(*state_.graph, v);
          state_.program.init(ctx, vertex, signal.message);
        }
      }
    });
  }
  if constexpr (has_init<Program, context>) {
    scoped_phase timed(times, phase::exchange);
    state_.exchange.broadcast_to_mirrors(active_, state_.graph->vertex_data());
  }
  using applied_type = applied_sum_t<Program, context>;
  constexpr bool hooked = has_phase_hook<Program, applied_type> && sums_applies<Program, context>;
  const applied_type applied = gather_apply_scatter(
      state_.program, ctx, *state_.graph, state_.exchange, active_, std::span<gather_type>(partials_),
      std::span<published_type>(state_.published), times,
      step_members{[&](auto&& f) { each_active(f); },
                   [&](auto&& f) {
                     if constexpr (hooked) {
                       return sum_over_masters<applied_type>(f);
                     } else {
                       each_active([&](local_id v) {
                         if (s.is_master(v)) f(v);
                       });
                       return applied_type{};
                     }
                   }});
  if constexpr (hooked) {
    scoped_phase timed(times, phase::hooks);
    state_.program.end_phase(state_.exchange.all_reduce_sum(applied));
  }
}

}  // namespace gasworks
