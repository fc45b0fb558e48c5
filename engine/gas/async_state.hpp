#pragma once
// What both asynchronous engines work on: the engine that runs locked
// updates on one rank (engine/async/locked_run.hpp) and the one that runs
// phases of vertex sets on any number of ranks (engine/phased/phased_run.hpp).
//
//   - the scheduled set and each vertex's pending signal (its combined
//     message and priority since it last ran), which signals fill;
//   - the values vertices publish;
//   - aggregators with their periods, and the progress reports;
//   - the context a program sees, whose signals go to a sink the run chooses;
//   - checkpoints: what a run saves after a progress report, at a moment
//     when no update runs (the scheduled set, every pending signal, the
//     counts of updates and reports, the program's state and the shard's
//     data), and restores before it starts. A resumed run continues the
//     count of updates, so limits and schedules that depend on it hold;
//     the order of the scheduled vertices is the scheduler's anew, so it
//     reaches the same answer within the program's tolerance, not the same
//     bits.
//
// A run reads and writes this state; the engine classes (async_engine.hpp,
// phased_engine.hpp) keep it private and offer the setup calls.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/error.hpp"
#include "engine/core/large_vector.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/core/spin_guard.hpp"
#include "engine/gas/aggregator.hpp"
#include "engine/gas/async_options.hpp"
#include "engine/gas/frontier.hpp"
#include "engine/gas/gas_steps.hpp"
#include "engine/gas/replica_exchange.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/gas/saved_state.hpp"
#include "engine/gas/signal_priority.hpp"
#include "engine/gas/signalled_ids.hpp"
#include "engine/gas/vertex_program.hpp"

namespace gasworks {

// How often an aggregator runs while an asynchronous engine runs: every
// `updates` updates and/or every `seconds` seconds (0: not by that measure;
// both 0: with every progress report).
struct aggregation_period {
  std::uint64_t updates = 0;
  double seconds = 0;
};

template <vertex_program Program>
struct async_state {
  using graph_type = typename Program::graph_type;
  using vertex_type = typename Program::vertex_type;
  using message_type = message_t<Program>;
  static constexpr bool has_messages = has_message_type<Program>;
  using published_type = published_t<Program>;
  static constexpr bool has_published = publishes<Program>;
  using signal_type = pending_signal<message_type, priority_rule_of<Program>()>;

  // What a vertex program sees while it runs; Sink::deliver(v, signal) says
  // what a signal does.
  template <class Sink>
  class context {
   public:
    context(async_state& s, const Sink& sink) noexcept : state_(&s), sink_(sink) {}
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
      return state_->published[v.local()];
    }
    // Updates completed so far in this run (on several ranks: over all
    // ranks, up to the last phase).
    std::uint64_t iteration() const noexcept { return state_->updates_done.load(std::memory_order_relaxed); }
    std::uint64_t num_vertices() const noexcept { return state_->graph->num_vertices(); }
    std::uint64_t num_edges() const noexcept { return state_->graph->num_edges(); }
    int rank() const noexcept { return state_->exchange.rank(); }
    int num_ranks() const noexcept { return state_->exchange.num_ranks(); }
    void stop() const noexcept { state_->stop_requested.store(true, std::memory_order_relaxed); }

   private:
    async_state* state_;
    Sink sink_;
  };

  async_state(graph_type& g, Program p, async_options o)
      : graph(&g),
        program(std::move(p)),
        options(o),
        exchange(g.structure()),
        masters(g.num_local_vertices()),
        scheduled(g.num_local_vertices()),
        pending(g.num_local_vertices()),
        slot_locks(std::make_unique<std::atomic_flag[]>(g.num_local_vertices())) {
    if (options.timeout_seconds && !(*options.timeout_seconds >= 0)) throw usage_error("timeout must be non-negative");
    if constexpr (has_published) published.resize(g.num_local_vertices());
    for (local_id v = 0; v < g.num_local_vertices(); ++v)
      if (g.structure().is_master(v)) masters.insert(v);
  }

  // --- before a run: what the engines' setup calls do ---

  // As with the synchronous engine, a signal given on any rank that holds
  // the vertex reaches it, and ids no rank holds are reported when the run starts.
  void signal_before_run(vertex_id id, const signal_type& s) {
    if (const auto v = signalled.find(graph->structure(), id)) {
      pending[*v] += s;
      scheduled.insert(*v);
    }
  }
  void signal_all(const signal_type& s) {
    scheduled.insert_all();
    for (auto& p : pending) p += s;
  }
  template <class Make>
  void add_aggregator(aggregation_period period, Make&& make) {
    aggregators.push_back({make(), period, 0, 0});
  }

  // --- during a run ---

  // True when a signal's only effect is to schedule its target: no message
  // to combine, and a scheduler that ignores priorities. Signals then skip
  // the pending slot and its lock.
  template <class Scheduler>
  static constexpr bool signals_carry_nothing() {
    return !has_messages && !Scheduler::uses_priorities;
  }

  // Combines s into v's pending signal and schedules v, unless the scheduler
  // refuses its combined priority (the priority scheduler's minimum). A
  // newly scheduled vertex is pushed to the scheduler, and so is one whose
  // priority rose, for schedulers that order by it.
  template <class Scheduler>
  void schedule(local_id v, const signal_type& s, Scheduler& scheduler, unsigned worker) {
    if constexpr (signals_carry_nothing<Scheduler>()) {
      if (scheduled.insert(v)) scheduler.push(worker, v, 0);
      return;
    }
    bool push = false;
    double combined;
    {
      spin_guard guard(slot_locks[v]);
      const double before = pending[v].priority;
      pending[v] += s;
      combined = pending[v].priority;
      if (!scheduler.admits(combined)) return;
      if (scheduled.insert(v)) push = true;
      else push = Scheduler::uses_priorities && combined > before;
    }
    if (push) scheduler.push(worker, v, combined);
  }

  // schedule() for a caller that no other thread runs beside and whose
  // scheduler takes every signal and keeps no queue (the phased engine's
  // phases that run on one thread): no lock, no atomic operation.
  void schedule_alone(local_id v, const signal_type& s) {
    pending[v] += s;
    scheduled.insert_alone(v);
  }

  // Takes v's pending signal if v is still scheduled (no other worker ran it
  // meanwhile); false if it is not.
  template <class Scheduler>
  bool take_scheduled(local_id v, signal_type& signal) {
    if constexpr (signals_carry_nothing<Scheduler>()) {
      return scheduled.erase(v);
    } else {
      spin_guard guard(slot_locks[v]);
      if (!scheduled.erase(v)) return false;
      signal = std::exchange(pending[v], signal_type{});
      return true;
    }
  }

  double pending_priority(local_id v) {
    spin_guard guard(slot_locks[v]);
    return pending[v].priority;
  }

  // Resets what a run counts (or restores it from the checkpoint the run
  // resumes), refreshes mirrors and published values, and sets the first
  // report and aggregator due points.
  void begin_run(phase_times& times) {
    stop_requested.store(false);
    std::uint64_t done = 0;
    reports = options.earlier_reports;
    last_report_updates = 0;
    if (options.checkpoints)
      if (auto saved = options.checkpoints->take_resumed_state())
        restore_collectively(*graph, options.checkpoints->resumed_folder(), [&] {
          wire_reader r(*saved);
          restore_state(r, done);
          if (!r.done()) throw checkpoint::checkpoint_error("the checkpoint holds more state than this program reads");
        });
    updates_done.store(done);
    last_checkpoint_reports = reports;
    signalled.check(exchange, graph->structure());
    refresh_replicas_and_publish(program, *graph, exchange, std::span<published_type>(published), times);
    report_every = options.report_every_updates ? options.report_every_updates
                                                : std::max<std::uint64_t>(1, graph->num_vertices());
    next_report_updates = (done / report_every + 1) * report_every;
    double first_timed = std::numeric_limits<double>::infinity();
    std::uint64_t first_counted = next_report_updates;
    for (auto& a : aggregators) {
      a.next_updates = a.period.updates ? (done / a.period.updates + 1) * a.period.updates : std::numeric_limits<std::uint64_t>::max();
      a.next_seconds = a.period.seconds > 0 ? a.period.seconds : std::numeric_limits<double>::infinity();
      first_counted = std::min(first_counted, a.next_updates);
      first_timed = std::min(first_timed, a.next_seconds);
    }
    next_due_updates.store(first_counted);
    next_due_seconds.store(first_timed);
  }

  // True when a progress report or an aggregator is due after `done`
  // updates at time `now`.
  bool report_due(std::uint64_t done, double now) const {
    return done >= next_due_updates.load(std::memory_order_relaxed) ||
           now >= next_due_seconds.load(std::memory_order_relaxed);
  }

  // Runs the due aggregators (all when `all`) and reports progress. Callers
  // make sure no update runs meanwhile.
  void report(std::uint64_t done, double now, bool all);

  // The program updates v, which this rank holds whole (one rank): init with
  // its signal's message, gather, apply and publish, scatter.
  template <class Ctx>
  void update(const Ctx& ctx, local_id v, const signal_type& s) {
    vertex_type vertex(*graph, v);
    if constexpr (has_init<Program, Ctx>) program.init(ctx, vertex, s.message);
    apply_and_publish(program, ctx, *graph, v, gather_local_edges(program, ctx, *graph, v), published.data());
    scatter_local_edges(program, ctx, *graph, v);
  }

  // Saves a checkpoint if one is due after the reports so far. Callers make
  // sure no update runs meanwhile, and (with several ranks) call it at the
  // same point on every rank, where the pending signals are not yet routed.
  void checkpoint_if_due() {
    if (!options.checkpoints || reports == last_checkpoint_reports) return;
    // None once the run's updates are spent: nothing would resume from it.
    if (updates_done.load() >= options.max_updates || !options.checkpoints->due(last_checkpoint_reports, reports)) return;
    last_checkpoint_reports = reports;
    std::vector<std::byte> state;
    wire_writer w(state);
    save_state(w);
    options.checkpoints->save(reports, state);
  }

  void save_state(wire_writer& w) const {
    if constexpr (!checkpointable_program<Program> || !checkpointable_graph<graph_type> || !wire_copyable<signal_type>) {
      throw usage_error("this vertex program cannot be checkpointed: its data types must be trivially copyable or have "
                        "write_to/read_from, its messages trivially copyable, and a program that is not trivially "
                        "copyable needs save_state/restore_state");
    } else {
      save_shard_layout(w, *graph);
      w.put(updates_done.load());
      w.put(reports);
      w.put(last_report_updates);
      w.put_all(scheduled.words());
      w.put_all(std::span<const signal_type>(pending));
      save_program_state(w, program);
      save_graph_data(w, *graph);
    }
  }
  void restore_state(wire_reader& r, std::uint64_t& done) {
    if constexpr (!checkpointable_program<Program> || !checkpointable_graph<graph_type> || !wire_copyable<signal_type>) {
      throw usage_error("this vertex program cannot be checkpointed");
    } else {
      check_shard_layout(r, *graph);
      done = r.get<std::uint64_t>();
      reports = r.get<std::uint64_t>();
      last_report_updates = r.get<std::uint64_t>();
      std::vector<std::uint64_t> words(scheduled.words().size());
      r.get_all(std::span<std::uint64_t>(words));
      scheduled.assign_words(words);
      r.get_all(std::span<signal_type>(pending));
      restore_program_state(r, program);
      restore_graph_data(r, *graph);
    }
  }

  struct periodic_aggregator {
    std::unique_ptr<aggregator<graph_type>> reduction;
    aggregation_period period;
    std::uint64_t next_updates;  // due once this many updates are done
    double next_seconds;         // due once the run is this old
  };

  graph_type* graph;
  Program program;
  async_options options;
  replica_exchange exchange;
  frontier masters;                  // the vertices mastered on this rank
  frontier scheduled;                // signalled and not yet run
  std::vector<signal_type> pending;  // what each vertex was sent since it last ran
  std::unique_ptr<std::atomic_flag[]> slot_locks;
  large_vector<published_type> published;
  std::vector<periodic_aggregator> aggregators;
  std::function<void(const superstep_report&)> observer;
  signalled_ids signalled;

  std::atomic<std::uint64_t> updates_done{0};
  std::atomic<bool> stop_requested{false};

  std::uint64_t report_every = 1;
  std::uint64_t next_report_updates = 0;
  std::uint64_t last_report_updates = 0;
  std::uint64_t reports = 0;
  std::uint64_t last_checkpoint_reports = 0;  // the reports when the last checkpoint was saved (or resumed)
  std::atomic<std::uint64_t> next_due_updates{0};  // the earliest update count at which a report is due
  std::atomic<double> next_due_seconds{0};         // the earliest time at which an aggregator is due
};

template <vertex_program Program>
void async_state<Program>::report(std::uint64_t done, double now, bool all) {
  // Another worker may have reported since this one found a report due.
  if (!all && !report_due(done, now)) return;
  superstep_report r;
  r.superstep = reports;
  r.active = done - last_report_updates;
  r.updates_so_far = done;
  r.elapsed = now;
  double next_seconds = std::numeric_limits<double>::infinity();
  std::uint64_t next_updates = std::numeric_limits<std::uint64_t>::max();
  for (auto& a : aggregators) {
    const bool periodless = a.period.updates == 0 && a.period.seconds <= 0;
    if (all || done >= a.next_updates || now >= a.next_seconds || (periodless && done >= next_report_updates)) {
      a.reduction->run(*graph, exchange, r.metrics);
      // Due again at the next multiple of the period, however far past this one the run went.
      if (a.period.updates) a.next_updates = (done / a.period.updates + 1) * a.period.updates;
      if (a.period.seconds > 0) a.next_seconds = now + a.period.seconds;
    }
    next_updates = std::min(next_updates, a.next_updates);
    next_seconds = std::min(next_seconds, a.next_seconds);
  }
  const bool progress = all || done >= next_report_updates;
  if (done >= next_report_updates) next_report_updates = (done / report_every + 1) * report_every;
  next_due_updates.store(std::min(next_updates, next_report_updates));
  next_due_seconds.store(next_seconds);
  if (!progress && r.metrics.empty()) return;
  last_report_updates = done;
  ++reports;
  if (observer) observer(r);
}

}  // namespace gasworks
