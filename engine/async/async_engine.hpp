#pragma once
// The asynchronous engine: no supersteps. A vertex runs
//     init (its combined message) -> gather -> apply -> scatter
// as soon as a scheduler picks it, and its gather reads the newest data of
// its neighbours. Programs are the same as for the synchronous engine; a
// signal may carry a priority (signal_priority.hpp).
//
// On one rank, worker threads pop vertices from the scheduler (fifo, sweep,
// priority) and claim each update's scope with per-vertex busy flags
// (scope_locks.hpp), which gives the consistency model; an update whose
// scope is busy goes back to the scheduler.
//
// On several ranks, the engine runs colour phases (chromatic execution):
// the vertices are coloured so that no two vertices that must not run
// together share a colour (none for vertex consistency, neighbours for edge,
// vertices within distance two for full), and each phase runs the scheduled
// vertices of one colour, like a superstep restricted to them: their gathers
// read only vertices of other colours, which no phase is changing, so every
// replica sees the same newest data. Between phases the replica exchange
// routes signals and messages to masters and moves vertex data to mirrors.
// Rounds go through the colours until no vertex is scheduled on any rank.
//
// Termination: on one rank, a count of scheduled and running updates falls
// to zero only when no update can signal again; across ranks, signals are
// routed collectively between phases, so a phase that finds no vertex
// scheduled anywhere sees no message in flight either. A run also ends on
// max_updates, timeout or stop().
//
// Aggregators run periodically while the engine runs, with every worker
// paused between updates (one rank) or between colour phases (several), so
// they read a consistent graph.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "engine/aggregator.hpp"
#include "engine/async/async_options.hpp"
#include "engine/async/fifo_scheduler.hpp"
#include "engine/async/priority_scheduler.hpp"
#include "engine/async/scope_locks.hpp"
#include "engine/async/sweep_scheduler.hpp"
#include "engine/async/vertex_colouring.hpp"
#include "engine/error.hpp"
#include "engine/frontier.hpp"
#include "engine/gas_steps.hpp"
#include "engine/memory/large_vector.hpp"
#include "engine/phase_timer.hpp"
#include "engine/replica_exchange.hpp"
#include "engine/run_report.hpp"
#include "engine/signal_priority.hpp"
#include "engine/signalled_ids.hpp"
#include "engine/spin_guard.hpp"
#include "engine/sync_engine.hpp"
#include "engine/vertex_program.hpp"
#include "engine/vertex_reductions.hpp"

namespace gasworks {

// How often an aggregator runs while the asynchronous engine runs: every
// `updates` updates and/or every `seconds` seconds (0: not by that measure;
// both 0: with every progress report).
struct aggregation_period {
  std::uint64_t updates = 0;
  double seconds = 0;
};

template <vertex_program Program>
class async_engine {
  static_assert(!has_superstep_hooks<Program>,
                "the asynchronous engine has no supersteps: a program with begin_superstep/end_superstep hooks "
                "runs on the synchronous engine");

 public:
  using program_type = Program;
  using graph_type = typename Program::graph_type;
  using vertex_type = typename Program::vertex_type;
  using gather_type = typename Program::gather_type;
  using message_type = message_t<Program>;
  static constexpr bool has_messages = has_message_type<Program>;
  using published_type = published_t<Program>;
  static constexpr bool has_published = publishes<Program>;
  using signal_type = pending_signal<message_type, priority_rule_of<Program>()>;

  // What a vertex program sees while it runs; Sink decides what a signal does.
  template <class Sink>
  class basic_context {
   public:
    basic_context(async_engine& e, const Sink& sink) noexcept : engine_(&e), sink_(sink) {}
    template <bool W>
    void signal(const basic_vertex<graph_type, W>& v) const {
      sink_.deliver(v.local(), signal_type{});
    }
    template <bool W>
    void signal(const basic_vertex<graph_type, W>& v, const message_type& m) const
      requires has_messages
    {
      sink_.deliver(v.local(), signal_type{m, 0.0});
    }
    template <bool W>
    void signal(const basic_vertex<graph_type, W>& v, priority p) const {
      signal_type s{};
      s.priority = p.value;
      sink_.deliver(v.local(), s);
    }
    template <bool W>
    void signal(const basic_vertex<graph_type, W>& v, const message_type& m, priority p) const
      requires has_messages
    {
      sink_.deliver(v.local(), signal_type{m, p.value});
    }
    template <bool W>
    const published_type& published(const basic_vertex<graph_type, W>& v) const noexcept
      requires has_published
    {
      return engine_->published_[v.local()];
    }
    // Updates completed so far in this run (on several ranks: over all
    // ranks, up to the last colour phase).
    std::uint64_t iteration() const noexcept { return engine_->updates_done_.load(std::memory_order_relaxed); }
    std::uint64_t num_vertices() const noexcept { return engine_->graph_->num_vertices(); }
    std::uint64_t num_edges() const noexcept { return engine_->graph_->num_edges(); }
    int rank() const noexcept { return engine_->exchange_.rank(); }
    int num_ranks() const noexcept { return engine_->exchange_.num_ranks(); }
    void stop() const noexcept { engine_->stop_requested_.store(true, std::memory_order_relaxed); }

   private:
    async_engine* engine_;
    Sink sink_;
  };

  async_engine(graph_type& g, Program program, async_options options = {})
      : graph_(&g),
        program_(std::move(program)),
        options_(options),
        exchange_(g.structure()),
        scheduled_(g.num_local_vertices()),
        pending_(g.num_local_vertices()),
        slot_locks_(std::make_unique<std::atomic_flag[]>(g.num_local_vertices())),
        failed_claims_(std::make_unique<std::atomic<std::uint8_t>[]>(g.num_local_vertices())) {
    if (!(options_.min_priority >= 0)) throw usage_error("min_priority must be non-negative");
    if (options_.timeout_seconds && !(*options_.timeout_seconds >= 0)) throw usage_error("timeout must be non-negative");
    if constexpr (has_published) published_.resize(g.num_local_vertices());
  }

  Program& program() noexcept { return program_; }
  const Program& program() const noexcept { return program_; }
  graph_type& graph() noexcept { return *graph_; }
  const async_options& options() const noexcept { return options_; }

  // Schedule vertices before a run (these signals ignore min_priority). As
  // with the synchronous engine, a signal given on any rank that holds the
  // vertex reaches it, and ids no rank holds are reported when the run starts.
  void signal_all() { scheduled_.insert_all(); }
  // Every vertex, with priority p (e.g. infinity: ahead of any later signal).
  void signal_all(priority p) {
    scheduled_.insert_all();
    for (auto& s : pending_) s += signal_type{{}, p.value};
  }
  void signal(vertex_id id) { signal_before_run(id, signal_type{}); }
  void signal(vertex_id id, priority p) {
    signal_type s{};
    s.priority = p.value;
    signal_before_run(id, s);
  }
  void signal(vertex_id id, const message_type& m)
    requires has_messages
  {
    signal_before_run(id, signal_type{m, 0.0});
  }
  void signal(vertex_id id, const message_type& m, priority p)
    requires has_messages
  {
    signal_before_run(id, signal_type{m, p.value});
  }

  // Runs `map` over the vertices periodically while the engine runs (and
  // once when it ends) and reports the sum as metric `name`; `finalize`
  // receives each result.
  template <class Map, class Finalize = ignore_result>
  void add_aggregator(std::string name, aggregation_period period, Map map, Finalize finalize = {}) {
    aggregators_.push_back(
        {make_vertex_aggregator<graph_type>(std::move(name), 1, std::move(map), std::move(finalize)), period, 0, 0});
  }

  // The same over the edges.
  template <class Map, class Finalize = ignore_result>
  void add_edge_aggregator(std::string name, aggregation_period period, Map map, Finalize finalize = {}) {
    aggregators_.push_back(
        {make_edge_aggregator<graph_type>(std::move(name), 1, std::move(map), std::move(finalize)), period, 0, 0});
  }

  // Called with every progress report: `superstep` numbers the reports,
  // `active` is the updates since the previous one.
  void on_progress(std::function<void(const superstep_report&)> observer) { observer_ = std::move(observer); }

  run_summary run();

 private:
  struct periodic_aggregator {
    std::unique_ptr<aggregator<graph_type>> reduction;
    aggregation_period period;
    std::uint64_t next_updates;  // due once this many updates are done
    double next_seconds;         // due once the run is this old
  };

  // Signals on one rank: straight to the scheduler.
  template <class Scheduler>
  struct scheduling_sink {
    async_engine* engine;
    Scheduler* scheduler;
    unsigned worker;
    void deliver(local_id v, const signal_type& s) const { engine->schedule(v, s, *scheduler, worker); }
  };
  // Signals across ranks: into the set that later phases run.
  struct no_scheduler {
    static constexpr bool wants_raised_priorities = false;
    void push(unsigned, local_id, double) const noexcept {}
  };
  struct phase_sink {
    async_engine* engine;
    void deliver(local_id v, const signal_type& s) const {
      no_scheduler none;
      engine->schedule(v, s, none);
    }
  };

  // True when a signal's only effect is to schedule its target: no message
  // to combine, and a scheduler that ignores priorities. Signals then skip
  // the pending slot and its lock.
  template <class Scheduler>
  static constexpr bool signals_carry_nothing() {
    return !has_messages && !Scheduler::wants_raised_priorities;
  }

  // Combines s into v's pending signal and schedules v, unless the priority
  // scheduler's min_priority drops it.
  template <class Scheduler>
  void schedule(local_id v, const signal_type& s, Scheduler& scheduler, unsigned worker = 0) {
    if constexpr (signals_carry_nothing<Scheduler>()) {
      if (scheduled_.insert(v)) scheduler.push(worker, v, 0);
      return;
    }
    bool push = false;
    double combined;
    {
      spin_guard guard(slot_locks_[v]);
      const double before = pending_[v].priority;
      pending_[v] += s;
      combined = pending_[v].priority;
      if (options_.scheduler == scheduler_kind::priority && combined < options_.min_priority) return;
      if (scheduled_.insert(v)) {
        push = true;
      } else {
        push = Scheduler::wants_raised_priorities && combined > before;
      }
    }
    if (push) scheduler.push(worker, v, combined);
  }

  void signal_before_run(vertex_id id, const signal_type& s) {
    if (const auto v = signalled_.find(graph_->structure(), id)) {
      pending_[*v] += s;
      scheduled_.insert(*v);
    }
  }

  // One whole update of v at the rank that holds all of v (one rank).
  template <class Ctx>
  void update(const Ctx& ctx, local_id v, const signal_type& s) {
    vertex_type vertex(*graph_, v);
    if constexpr (has_init<Program, Ctx>) program_.init(ctx, vertex, s.message);
    const gather_type total = gather_local_edges(program_, ctx, *graph_, v);
    program_.apply(ctx, vertex, total);
    if constexpr (has_published) published_[v] = program_.publish(vertex);
    scatter_local_edges(program_, ctx, *graph_, v);
  }

  // --- one rank: scheduler and scope locks ---
  enum class update_outcome { ran, stale, busy, failed };
  // Claims before a vertex runs alone (see work).
  static constexpr std::uint8_t max_failed_claims = 16;
  // Runs v, whose scope this worker holds, and releases the scope: stale if
  // v ran meanwhile, failed if the update threw (the run then ends).
  template <class Scheduler, class Ctx>
  update_outcome run_claimed(const Ctx& ctx, local_id v, scope_locks& locks, const std::vector<local_id>& scope) {
    bool ran = false;
    try {
      signal_type signal;
      if constexpr (signals_carry_nothing<Scheduler>()) {
        ran = scheduled_.erase(v);
      } else {
        spin_guard guard(slot_locks_[v]);
        if (scheduled_.erase(v)) {
          signal = std::exchange(pending_[v], signal_type{});
          ran = true;
        }
      }
      if (ran) update(ctx, v, signal);
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
  template <class Scheduler>
  void run_locked(Scheduler& scheduler, unsigned workers, const stopwatch& clock);
  template <class Scheduler>
  void work(unsigned worker, Scheduler& scheduler, scope_locks& locks, const stopwatch& clock);
  bool claim_update() {
    if (options_.max_updates == std::numeric_limits<std::uint64_t>::max()) return true;
    if (claimed_.fetch_add(1, std::memory_order_relaxed) < options_.max_updates) return true;
    claimed_.fetch_sub(1, std::memory_order_relaxed);
    finish(termination::max_updates);
    return false;
  }
  // A claimed update that did not run after all.
  void unclaim_update() {
    if (options_.max_updates != std::numeric_limits<std::uint64_t>::max()) claimed_.fetch_sub(1, std::memory_order_relaxed);
  }
  template <class Scheduler>
  void requeue(local_id v, Scheduler& scheduler, unsigned worker) {
    double p = 0;
    if constexpr (Scheduler::wants_raised_priorities) {
      spin_guard guard(slot_locks_[v]);
      p = pending_[v].priority;
    }
    scheduler.push(worker, v, p);
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
    explicit worker_presence(async_engine& e) : e_(e) {
      std::lock_guard lock(e_.pause_mutex_);
      ++e_.present_;
    }
    ~worker_presence() {
      {
        std::lock_guard lock(e_.pause_mutex_);
        --e_.present_;
      }
      e_.pause_cv_.notify_all();
    }
    worker_presence(const worker_presence&) = delete;
    worker_presence& operator=(const worker_presence&) = delete;

   private:
    async_engine& e_;
  };

  // A report from inside the run, with the other workers paused. Isolated,
  // so that the aggregators' parallel loops never pick up a worker task,
  // which would park on this very pause.
  void report_paused(const stopwatch& clock) {
    with_workers_paused([&] {
      tbb::this_task_arena::isolate([&] { report(updates_done_.load(), clock.seconds(), false); });
    });
  }

  // --- several ranks: colour phases ---
  void run_chromatic(run_summary& summary, const stopwatch& clock);
  void prepare_colour_classes();
  void run_phase(run_summary& summary);

  // --- both ---
  bool report_due(std::uint64_t done, double now) const;
  // Runs the due aggregators (all when `all`) and reports progress.
  void report(std::uint64_t done, double now, bool all);

  graph_type* graph_;
  Program program_;
  async_options options_;
  replica_exchange exchange_;
  frontier scheduled_;                // signalled and not yet run
  std::vector<signal_type> pending_;  // what each vertex was sent since it last ran
  std::unique_ptr<std::atomic_flag[]> slot_locks_;
  std::unique_ptr<std::atomic<std::uint8_t>[]> failed_claims_;  // claims of each vertex that found its scope busy
  large_vector<published_type> published_;
  std::vector<periodic_aggregator> aggregators_;
  std::function<void(const superstep_report&)> observer_;
  signalled_ids signalled_;

  std::atomic<unsigned> busy_workers_{0};       // workers that have not found the scheduler empty (one rank)
  std::uint64_t count_batch_ = 1;               // updates a worker counts before adding them to updates_done_
  std::atomic<std::uint64_t> claimed_{0};       // updates started or done, against max_updates
  std::atomic<std::uint64_t> updates_done_{0};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> finished_{false};
  std::atomic<int> finish_reason_{-1};
  std::exception_ptr failure_;
  std::mutex failure_mutex_;

  std::mutex pause_mutex_;
  std::condition_variable pause_cv_;
  std::atomic<bool> pause_requested_{false};
  unsigned parked_ = 0;   // workers waiting for the pause to end
  unsigned present_ = 0;  // workers inside the run

  std::uint64_t report_every_ = 1;
  std::uint64_t next_report_updates_ = 0;
  std::uint64_t last_report_updates_ = 0;
  std::uint64_t reports_ = 0;
  std::atomic<std::uint64_t> next_due_updates_{0};  // the earliest update count at which a report is due
  std::atomic<double> next_due_seconds_{0};         // the earliest time at which an aggregator is due

  // Several ranks.
  std::optional<vertex_colouring> colouring_;
  std::vector<std::uint64_t> colour_begin_;  // members of colour c: colour_members_[colour_begin_[c] ..]
  std::vector<local_id> colour_members_;
  frontier masters_;
  frontier active_;
  std::vector<local_id> active_list_;
  large_vector<gather_type> partials_;
};

template <vertex_program Program>
run_summary async_engine<Program>::run() {
  run_summary summary;
  const stopwatch clock;
  stop_requested_.store(false);
  finished_.store(false);
  finish_reason_.store(-1);
  failure_ = nullptr;
  claimed_.store(0);
  updates_done_.store(0);
  signalled_.check(exchange_, graph_->structure());
  refresh_replicas_and_publish(program_, *graph_, exchange_, std::span<published_type>(published_), summary.times);
  report_every_ = options_.report_every_updates ? options_.report_every_updates
                                                : std::max<std::uint64_t>(1, graph_->num_vertices());
  next_report_updates_ = report_every_;
  last_report_updates_ = 0;
  reports_ = 0;
  double first_timed = std::numeric_limits<double>::infinity();
  std::uint64_t first_counted = next_report_updates_;
  for (auto& a : aggregators_) {
    a.next_updates = a.period.updates ? a.period.updates : std::numeric_limits<std::uint64_t>::max();
    a.next_seconds = a.period.seconds > 0 ? a.period.seconds : std::numeric_limits<double>::infinity();
    first_counted = std::min(first_counted, a.next_updates);
    first_timed = std::min(first_timed, a.next_seconds);
  }
  next_due_updates_.store(first_counted);
  next_due_seconds_.store(first_timed);

  if (exchange_.num_ranks() > 1) {
    run_chromatic(summary, clock);
  } else {
    // As many workers as threads may run at once (a global_control may allow
    // fewer than the arena has).
    const auto workers = static_cast<unsigned>(std::max<std::size_t>(
        1, std::min<std::size_t>(static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()),
                                 tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism))));
    switch (options_.scheduler) {
      case scheduler_kind::fifo: {
        fifo_scheduler s(workers);
        run_locked(s, workers, clock);
        break;
      }
      case scheduler_kind::sweep: {
        sweep_scheduler s(graph_->num_local_vertices(), workers, options_.order, options_.seed,
                          [&](local_id k) { return graph_->structure().in_external_id_order(k); });
        run_locked(s, workers, clock);
        break;
      }
      case scheduler_kind::priority: {
        priority_scheduler s(graph_->num_local_vertices(), workers);
        run_locked(s, workers, clock);
        break;
      }
    }
    if (failure_) std::rethrow_exception(failure_);
    summary.updates = updates_done_.load();
    summary.reason = finish_reason_.load() < 0 ? termination::converged : static_cast<termination>(finish_reason_.load());
  }
  // A last report, with every aggregator, describes the end state.
  {
    scoped_phase timed(summary.times, phase::hooks);
    report(summary.updates, clock.seconds(), true);
  }
  summary.seconds = clock.seconds();
  return summary;
}

template <vertex_program Program>
template <class Scheduler>
void async_engine<Program>::run_locked(Scheduler& scheduler, unsigned workers, const stopwatch& clock) {
  // The vertices signalled before the run, in id order, in one contiguous
  // block per worker.
  const local_id n = graph_->num_local_vertices();
  for (local_id v = 0; v < n; ++v) {
    if (!scheduled_.contains(v)) continue;
    scheduler.push(static_cast<unsigned>(std::uint64_t{v} * workers / n), v, pending_[v].priority);
  }
  busy_workers_.store(0);  // each worker counts itself in when it starts
  // Exact counts cost every worker a shared counter per update; only periods
  // measured in updates need them.
  count_batch_ = options_.report_every_updates != 0 ? 1 : 64;
  for (const auto& a : aggregators_)
    if (a.period.updates != 0) count_batch_ = 1;
  scope_locks locks(n, options_.consistency);
  tbb::parallel_for(
      0u, workers, 1u, [&](unsigned w) { work(w, scheduler, locks, clock); }, tbb::simple_partitioner());
}

template <vertex_program Program>
template <class Scheduler>
void async_engine<Program>::work(unsigned worker, Scheduler& scheduler, scope_locks& locks, const stopwatch& clock) {
  worker_presence presence(*this);
  const basic_context<scheduling_sink<Scheduler>> ctx(*this, scheduling_sink<Scheduler>{this, &scheduler, worker});
  const auto& s = graph_->structure();
  const auto is_scheduled = [&](local_id v) { return scheduled_.contains_now(v); };
  std::vector<local_id> scope;
  std::uint64_t uncounted = 0;  // updates run and not yet added to updates_done_
  const auto count_updates = [&] {
    const std::uint64_t done = updates_done_.fetch_add(uncounted, std::memory_order_relaxed) + uncounted;
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
    const std::optional<local_id> next = scheduler.pop(worker, is_scheduled);
    if (!next) {
      // Only a running update schedules vertices. So once every worker has
      // found the scheduler empty, none can be running, and if then no
      // vertex is scheduled, none ever will be. (A worker that leaves while
      // another has just started an update only costs parallelism: that one
      // checks the same before it leaves.)
      if (!idle) {
        idle = true;
        count_updates();
        busy_workers_.fetch_sub(1);
      }
      if (busy_workers_.load() == 0 && scheduled_.empty_now()) break;
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
      outcome = run_claimed<Scheduler>(ctx, v, locks, scope);
    } else if (failed_claims_[v].fetch_add(1, std::memory_order_relaxed) + 1 >= max_failed_claims) {
      // v found part of its scope busy again and again, as a vertex with
      // very many neighbours may: it runs with the other workers paused
      // between their updates, which leaves every flag clear.
      failed_claims_[v].store(0, std::memory_order_relaxed);
      with_workers_paused([&] {
        if (locks.try_lock(s, v, scope)) outcome = run_claimed<Scheduler>(ctx, v, locks, scope);
      });
    }
    if (outcome == update_outcome::failed) break;
    if (outcome == update_outcome::busy) {
      // A neighbour is running: v stays scheduled and is tried again later.
      unclaim_update();
      requeue(v, scheduler, worker);
      continue;
    }
    if (outcome == update_outcome::stale) {
      unclaim_update();
      continue;
    }
    ++uncounted;
    if (stop_requested_.load(std::memory_order_relaxed)) finish(termination::stopped);
    const bool timed = next_due_seconds_.load(std::memory_order_relaxed) != std::numeric_limits<double>::infinity();
    if (options_.timeout_seconds || timed) {
      const double now = clock.seconds();
      if (options_.timeout_seconds && now >= *options_.timeout_seconds) finish(termination::timeout);
      if (timed && now >= next_due_seconds_.load(std::memory_order_relaxed)) report_paused(clock);
    }
    if (uncounted >= count_batch_ && count_updates() >= next_due_updates_.load(std::memory_order_relaxed))
      report_paused(clock);
  }
  count_updates();
}

template <vertex_program Program>
void async_engine<Program>::park() {
  std::unique_lock lock(pause_mutex_);
  ++parked_;
  pause_cv_.notify_all();
  pause_cv_.wait(lock, [&] { return !pause_requested_.load(); });
  --parked_;
}

template <vertex_program Program>
template <class F>
bool async_engine<Program>::with_workers_paused(F&& f) {
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
    async_engine& e;
    ~resume() {
      {
        std::lock_guard lock(e.pause_mutex_);
        e.pause_requested_.store(false);
      }
      e.pause_cv_.notify_all();
    }
  } resume_on_exit{*this};
  f();
  return true;
}

template <vertex_program Program>
bool async_engine<Program>::report_due(std::uint64_t done, double now) const {
  return done >= next_due_updates_.load(std::memory_order_relaxed) || now >= next_due_seconds_.load(std::memory_order_relaxed);
}

template <vertex_program Program>
void async_engine<Program>::report(std::uint64_t done, double now, bool all) {
  // Another worker may have reported since this one found a report due.
  if (!all && !report_due(done, now)) return;
  superstep_report r;
  r.superstep = reports_;
  r.active = done - last_report_updates_;
  r.elapsed = now;
  double next_seconds = std::numeric_limits<double>::infinity();
  std::uint64_t next_updates = std::numeric_limits<std::uint64_t>::max();
  for (auto& a : aggregators_) {
    const bool periodless = a.period.updates == 0 && a.period.seconds <= 0;
    if (all || done >= a.next_updates || now >= a.next_seconds || (periodless && done >= next_report_updates_)) {
      a.reduction->run(*graph_, exchange_, r.metrics);
      // Due again at the next multiple of the period, however far past this one the run went.
      if (a.period.updates) a.next_updates = (done / a.period.updates + 1) * a.period.updates;
      if (a.period.seconds > 0) a.next_seconds = now + a.period.seconds;
    }
    next_updates = std::min(next_updates, a.next_updates);
    next_seconds = std::min(next_seconds, a.next_seconds);
  }
  const bool progress = all || done >= next_report_updates_;
  if (done >= next_report_updates_) next_report_updates_ = (done / report_every_ + 1) * report_every_;
  next_due_updates_.store(std::min(next_updates, next_report_updates_));
  next_due_seconds_.store(next_seconds);
  if (!progress && r.metrics.empty()) return;
  last_report_updates_ = done;
  ++reports_;
  if (observer_) observer_(r);
}

// --- several ranks ---

template <vertex_program Program>
void async_engine<Program>::prepare_colour_classes() {
  if (colouring_) return;
  const auto& s = graph_->structure();
  const local_id n = s.num_local_vertices();
  if (options_.consistency == consistency_model::vertex) {
    colouring_ = vertex_colouring{std::vector<std::uint32_t>(n, 0), 1};
  } else {
    colouring_ = colour_vertices(
        s, options_.consistency == consistency_model::edge ? colouring_distance::one : colouring_distance::two);
  }
  // Members of each colour, in ascending local id.
  colour_begin_.assign(colouring_->colours + 1, 0);
  for (local_id v = 0; v < n; ++v) ++colour_begin_[colouring_->colour[v] + 1];
  for (std::size_t c = 1; c < colour_begin_.size(); ++c) colour_begin_[c] += colour_begin_[c - 1];
  colour_members_.resize(n);
  std::vector<std::uint64_t> at(colour_begin_.begin(), colour_begin_.end() - 1);
  for (local_id v = 0; v < n; ++v) colour_members_[at[colouring_->colour[v]]++] = v;
  masters_ = frontier(n);
  for (local_id v = 0; v < n; ++v)
    if (s.is_master(v)) masters_.insert(v);
  active_ = frontier(n);
  partials_.resize(n);
}

template <vertex_program Program>
void async_engine<Program>::run_chromatic(run_summary& summary, const stopwatch& clock) {
  prepare_colour_classes();
  const auto& s = graph_->structure();
  const std::uint32_t colours = colouring_->colours;

  // What the ranks agree on before each phase.
  struct phase_votes {
    std::uint64_t active = 0;     // scheduled vertices of this phase's colour
    std::uint64_t scheduled = 0;  // scheduled vertices of any colour, this phase's included
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

  std::uint64_t done = 0;
  for (std::uint64_t round = 0;; ++round) {
    summary.supersteps = round + 1;
    bool over = false;
    for (std::uint32_t c = 0; c < colours && !over; ++c) {
      {
        scoped_phase timed(summary.times, phase::exchange);
        exchange_.route_signals(scheduled_, std::span<signal_type>(pending_));
      }
      // This phase runs the scheduled vertices of colour c; every replica
      // agrees on which they are, since routing agreed on scheduled_.
      active_.clear();
      active_list_.clear();
      std::uint64_t active_masters = 0;
      for (auto i = colour_begin_[c]; i < colour_begin_[c + 1]; ++i) {
        const local_id v = colour_members_[i];
        if (!scheduled_.contains(v)) continue;
        scheduled_.erase(v);
        active_.insert(v);
        active_list_.push_back(v);
        if (s.is_master(v)) ++active_masters;
      }
      phase_votes mine;
      mine.active = active_masters;
      mine.scheduled = active_masters + scheduled_.count_common(masters_);
      mine.stop = stop_requested_.load(std::memory_order_relaxed) ? 1 : 0;
      mine.clock = clock.seconds();
      const phase_votes votes = exchange_.all_reduce_sum(mine);
      // Decisions that depend on time use the same time on every rank.
      const double now = votes.clock / exchange_.num_ranks();
      if (report_due(done, now)) {
        scoped_phase timed(summary.times, phase::hooks);
        report(done, now, false);
      }
      const auto end_with = [&](termination why) {
        summary.reason = why;
        // Leave this phase's vertices scheduled for a later run.
        for (local_id v : active_list_) scheduled_.insert(v);
        over = true;
      };
      if (votes.stop) end_with(termination::stopped);
      else if (options_.timeout_seconds && now >= *options_.timeout_seconds) end_with(termination::timeout);
      else if (votes.scheduled == 0) end_with(termination::converged);
      else if (done >= options_.max_updates) end_with(termination::max_updates);
      if (over || votes.active == 0) continue;
      run_phase(summary);
      done += votes.active;
      updates_done_.store(done);
    }
    if (over) break;
  }
  summary.updates = done;
}

template <vertex_program Program>
void async_engine<Program>::run_phase(run_summary& summary) {
  const auto& s = graph_->structure();
  const phase_sink sink{this};
  const basic_context<phase_sink> ctx(*this, sink);
  const auto each_active = [&](auto&& f) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, active_list_.size(), 64), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) f(active_list_[i]);
    });
  };
  {
    scoped_phase timed(summary.times, phase::init);
    // Masters hold the combined messages (routing moved the mirrors' there).
    each_active([&](local_id v) {
      const signal_type signal = std::exchange(pending_[v], signal_type{});
      if constexpr (has_init<Program, basic_context<phase_sink>>) {
        if (s.is_master(v)) {
          vertex_type vertex(*graph_, v);
          program_.init(ctx, vertex, signal.message);
        }
      }
    });
  }
  if constexpr (has_init<Program, basic_context<phase_sink>>) {
    scoped_phase timed(summary.times, phase::exchange);
    exchange_.broadcast_to_mirrors(active_, graph_->vertex_data());
  }
  {
    scoped_phase timed(summary.times, phase::gather);
    each_active([&](local_id v) { partials_[v] = gather_local_edges(program_, ctx, *graph_, v); });
  }
  {
    scoped_phase timed(summary.times, phase::exchange);
    exchange_.combine_partials_at_masters(active_, std::span<gather_type>(partials_));
  }
  {
    scoped_phase timed(summary.times, phase::apply);
    each_active([&](local_id v) {
      if (!s.is_master(v)) return;
      vertex_type vertex(*graph_, v);
      program_.apply(ctx, vertex, std::as_const(partials_[v]));
      if constexpr (has_published) published_[v] = program_.publish(vertex);
    });
  }
  {
    scoped_phase timed(summary.times, phase::exchange);
    if constexpr (has_published)
      exchange_.broadcast_to_mirrors(active_, graph_->vertex_data(),
                                     [&](local_id v) { published_[v] = program_.publish(vertex_type(*graph_, v)); });
    else
      exchange_.broadcast_to_mirrors(active_, graph_->vertex_data());
  }
  {
    scoped_phase timed(summary.times, phase::scatter);
    each_active([&](local_id v) { scatter_local_edges(program_, ctx, *graph_, v); });
  }
}

}  // namespace gasworks
