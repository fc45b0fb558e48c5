#pragma once
// One run of the asynchronous engine on one rank: worker threads pop
// vertices from the scheduler and claim each update's scope with per-vertex
// busy flags (scope_locks.hpp), which gives the consistency model; an update
// whose scope is busy goes back to the scheduler and is tried later.
//
// Termination: only a running update schedules vertices, so once every
// worker has found the scheduler empty and no vertex is scheduled, none ever
// will be. A run also ends on max_updates, timeout or stop().
//
// Aggregators and progress reports run with every other worker paused
// between its updates, so they read a consistent graph.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "engine/async/scope_locks.hpp"
#include "engine/async/vertex_scheduler.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/gas/async_state.hpp"
#include "engine/gas/run_report.hpp"

namespace gasworks {

template <vertex_program Program, vertex_scheduler Scheduler>
class locked_run {
 public:
  using state_type = async_state<Program>;
  using signal_type = typename state_type::signal_type;

  locked_run(state_type& state, const typename Scheduler::settings& settings) : state_(state), settings_(settings) {}

  // Runs until no vertex is scheduled or a limit is reached; rethrows the
  // first exception an update threw.
  void run(run_summary& summary, const stopwatch& clock);

 private:
  // Signals go straight to the scheduler.
  struct scheduling_sink {
    locked_run* run;
    unsigned worker;
    void deliver(local_id v, const signal_type& s) const { run->state_.schedule(v, s, *run->scheduler_, worker); }
  };
  using context = typename state_type::template context<scheduling_sink>;

  enum class update_outcome { ran, stale, busy, failed };
  // Claims before a vertex runs alone (see work).
  static constexpr std::uint8_t max_failed_claims = 16;

  void work(unsigned worker, scope_locks& locks, const stopwatch& clock);
  update_outcome run_claimed(const context& ctx, local_id v, scope_locks& locks, const std::vector<local_id>& scope);

  bool claim_update() {
    if (state_.options.max_updates == std::numeric_limits<std::uint64_t>::max()) return true;
    if (claimed_.fetch_add(1, std::memory_order_relaxed) < state_.options.max_updates) return true;
    claimed_.fetch_sub(1, std::memory_order_relaxed);
    finish(termination::max_updates);
    return false;
  }
  // A claimed update that did not run after all.
  void unclaim_update() {
    if (state_.options.max_updates != std::numeric_limits<std::uint64_t>::max())
      claimed_.fetch_sub(1, std::memory_order_relaxed);
  }
  void requeue(local_id v, unsigned worker) {
    scheduler_->push(worker, v, Scheduler::uses_priorities ? state_.pending_priority(v) : 0.0);
  }
  void finish(termination why) {
    int none = -1;
    finish_reason_.compare_exchange_strong(none, static_cast<int>(why));
    finished_.store(true, std::memory_order_release);
  }

  // Pausing every worker between updates (for aggregators, reports and
  // starving updates). with_workers_paused runs f with every other worker
  // parked, unless another worker is pausing them already: then it waits
  // for that one and returns false without running f.
  void park();
  template <class F>
  bool with_workers_paused(F&& f);
  class worker_presence {
   public:
    explicit worker_presence(locked_run& r) : r_(r) {
      std::lock_guard lock(r_.pause_mutex_);
      ++r_.present_;
    }
    ~worker_presence() {
      {
        std::lock_guard lock(r_.pause_mutex_);
        --r_.present_;
      }
      r_.pause_cv_.notify_all();
    }
    worker_presence(const worker_presence&) = delete;
    worker_presence& operator=(const worker_presence&) = delete;

   private:
    locked_run& r_;
  };

  // A report from inside the run, with the other workers paused, and the
  // checkpoint that may be due after it. Isolated, so that the aggregators'
  // parallel loops never pick up a worker task, which would park on this
  // very pause.
  // An aggregator or a checkpoint that fails ends the run as a failed update
  // does.
  void report_paused(const stopwatch& clock) {
    with_workers_paused([&] {
      tbb::this_task_arena::isolate([&] {
        try {
          state_.report(state_.updates_done.load(), clock.seconds(), false);
          state_.checkpoint_if_due();
        } catch (...) {
          {
            std::lock_guard lock(failure_mutex_);
            if (!failure_) failure_ = std::current_exception();
          }
          finish(termination::stopped);
        }
      });
    });
  }

  state_type& state_;
  typename Scheduler::settings settings_;
  std::optional<Scheduler> scheduler_;
  std::unique_ptr<std::atomic<std::uint8_t>[]> failed_claims_;  // claims of each vertex that found its scope busy

  std::atomic<unsigned> busy_workers_{0};  // workers that have not found the scheduler empty
  std::uint64_t count_batch_ = 1;          // updates a worker counts before adding them to updates_done
  std::atomic<std::uint64_t> claimed_{0};  // updates started or done, against max_updates
  std::atomic<bool> finished_{false};
  std::atomic<int> finish_reason_{-1};
  std::exception_ptr failure_;
  std::mutex failure_mutex_;

  std::mutex pause_mutex_;
  std::condition_variable pause_cv_;
  std::atomic<bool> pause_requested_{false};
  unsigned parked_ = 0;   // workers waiting for the pause to end
  unsigned present_ = 0;  // workers inside the run
};

template <vertex_program Program, vertex_scheduler Scheduler>
void locked_run<Program, Scheduler>::run(run_summary& summary, const stopwatch& clock) {
  // As many workers as threads may run at once (a global_control may allow
  // fewer than the arena has).
  const auto workers = static_cast<unsigned>(std::max<std::size_t>(
      1, std::min<std::size_t>(static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()),
                               tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism))));
  const auto& shard = state_.graph->structure();
  const local_id n = shard.num_local_vertices();
  scheduler_.emplace(shard, workers, settings_);
  failed_claims_ = std::make_unique<std::atomic<std::uint8_t>[]>(n);
  // The vertices signalled before the run, in id order, in one contiguous
  // block per worker.
  for (local_id v = 0; v < n; ++v)
    if (state_.scheduled.contains(v))
      scheduler_->push(static_cast<unsigned>(std::uint64_t{v} * workers / n), v, state_.pending[v].priority);
  // Exact counts cost every worker a shared counter per update; only periods
  // measured in updates need them.
  // (A checkpoint needs them too: it saves the count.)
  count_batch_ = state_.options.report_every_updates != 0 || state_.options.checkpoints ? 1 : 64;
  for (const auto& a : state_.aggregators)
    if (a.period.updates != 0) count_batch_ = 1;
  // A resumed run's limit counts the updates before it too.
  claimed_.store(state_.updates_done.load());
  scope_locks locks(n, state_.options.consistency);
  tbb::parallel_for(0u, workers, 1u, [&](unsigned w) { work(w, locks, clock); }, tbb::simple_partitioner());

  if (failure_) std::rethrow_exception(failure_);
  summary.updates = state_.updates_done.load();
  summary.reason = finish_reason_.load() < 0 ? termination::converged : static_cast<termination>(finish_reason_.load());
}

template <vertex_program Program, vertex_scheduler Scheduler>
auto locked_run<Program, Scheduler>::run_claimed(const context& ctx, local_id v, scope_locks& locks,
                                                 const std::vector<local_id>& scope) -> update_outcome {
  // Stale if v ran meanwhile, failed if the update threw (the run then ends).
  bool ran = false;
  try {
    signal_type signal{};
    ran = state_.template take_scheduled<Scheduler>(v, signal);
    if (ran) state_.update(ctx, v, signal);
  } catch (...) {
    locks.unlock(v, scope);
    {
      std::lock_guard lock(failure_mutex_);
      if (!failure_) failure_ = std::current_exception();
    }
    finish(termination::stopped);
    return update_outcome::failed;
  }
  locks.unlock(v, scope);
  return ran ? update_outcome::ran : update_outcome::stale;
}

template <vertex_program Program, vertex_scheduler Scheduler>
void locked_run<Program, Scheduler>::work(unsigned worker, scope_locks& locks, const stopwatch& clock) {
  worker_presence presence(*this);
  const context ctx(state_, scheduling_sink{this, worker});
  const auto& s = state_.graph->structure();
  const auto is_scheduled = [&](local_id v) { return state_.scheduled.contains_now(v); };
  std::vector<local_id> scope;
  std::uint64_t uncounted = 0;  // updates run and not yet added to updates_done
  const auto count_updates = [&] {
    const std::uint64_t done = state_.updates_done.fetch_add(uncounted, std::memory_order_relaxed) + uncounted;
    uncounted = 0;
    return done;
  };
  // A worker may start late, or not before the others are done (when the
  // arena has fewer threads than workers), so it counts itself in here.
  busy_workers_.fetch_add(1);
  bool idle = false;
  while (!finished_.load(std::memory_order_acquire)) {
    if (pause_requested_.load(std::memory_order_acquire)) {
      park();
      continue;
    }
    const std::optional<local_id> next = scheduler_->pop(worker, is_scheduled);
    if (!next) {
      // Once every worker has found the scheduler empty, none can be
      // running, and if then no vertex is scheduled, none ever will be. (A
      // worker that leaves while another has just started an update only
      // costs parallelism: that one checks the same before it leaves.)
      if (!idle) {
        idle = true;
        count_updates();
        busy_workers_.fetch_sub(1);
      }
      if (busy_workers_.load() == 0 && state_.scheduled.empty_now()) break;
      std::this_thread::yield();
      continue;
    }
    if (idle) {
      idle = false;
      busy_workers_.fetch_add(1);
    }
    const local_id v = *next;
    if (!is_scheduled(v)) continue;  // a stale entry: v already ran
    if (!claim_update()) break;
    update_outcome outcome = update_outcome::busy;
    if (locks.try_lock(s, v, scope)) {
      outcome = run_claimed(ctx, v, locks, scope);
    } else if (failed_claims_[v].fetch_add(1, std::memory_order_relaxed) + 1 >= max_failed_claims) {
      // v found part of its scope busy again and again, as a vertex with
      // very many neighbours may: it runs with the other workers paused
      // between their updates, which leaves every flag clear.
      failed_claims_[v].store(0, std::memory_order_relaxed);
      with_workers_paused([&] {
        if (locks.try_lock(s, v, scope)) outcome = run_claimed(ctx, v, locks, scope);
      });
    }
    if (outcome == update_outcome::failed) break;
    if (outcome == update_outcome::busy) {
      // A neighbour is running: v stays scheduled and is tried again later.
      unclaim_update();
      requeue(v, worker);
      continue;
    }
    if (outcome == update_outcome::stale) {
      unclaim_update();
      continue;
    }
    ++uncounted;
    if (state_.stop_requested.load(std::memory_order_relaxed)) finish(termination::stopped);
    const bool timed = state_.next_due_seconds.load(std::memory_order_relaxed) != std::numeric_limits<double>::infinity();
    if (state_.options.timeout_seconds || timed) {
      const double now = clock.seconds();
      if (state_.options.timeout_seconds && now >= *state_.options.timeout_seconds) finish(termination::timeout);
      if (timed && now >= state_.next_due_seconds.load(std::memory_order_relaxed)) {
        count_updates();  // this update too, before a checkpoint may save the count
        report_paused(clock);
      }
    }
    if (uncounted >= count_batch_ && count_updates() >= state_.next_due_updates.load(std::memory_order_relaxed))
      report_paused(clock);
  }
  count_updates();
}

template <vertex_program Program, vertex_scheduler Scheduler>
void locked_run<Program, Scheduler>::park() {
  std::unique_lock lock(pause_mutex_);
  ++parked_;
  pause_cv_.notify_all();
  pause_cv_.wait(lock, [&] { return !pause_requested_.load(); });
  --parked_;
}

template <vertex_program Program, vertex_scheduler Scheduler>
template <class F>
bool locked_run<Program, Scheduler>::with_workers_paused(F&& f) {
  bool expected = false;
  if (!pause_requested_.compare_exchange_strong(expected, true)) {
    park();  // another worker is pausing the rest; wait for it
    return false;
  }
  {
    std::unique_lock lock(pause_mutex_);
    pause_cv_.wait(lock, [&] { return parked_ + 1 == present_; });
  }
  // The others resume even if f throws.
  struct resume {
    locked_run& r;
    ~resume() {
      {
        std::lock_guard lock(r.pause_mutex_);
        r.pause_requested_.store(false);
      }
      r.pause_cv_.notify_all();
    }
  } resume_on_exit{*this};
  f();
  return true;
}

}  // namespace gasworks
