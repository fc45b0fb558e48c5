#pragma once
// The synchronous (bulk-synchronous) engine.
//
// Each superstep runs the active vertices through
//     init (messages) -> gather -> apply -> scatter
// with a barrier between phases, so every gather of superstep k sees the
// vertex data left by superstep k-1, whatever the thread count. Signals raised
// during scatter form the next superstep's frontier. Between phases the
// replica exchange moves partial gathers to masters and vertex data to
// mirrors (nothing to move with one rank).
//
// A program that gathers only published values (reads_only_published) runs
// gather and apply as one pass when one rank has every vertex active, as a
// hand-written pull kernel does: gathers read last superstep's published
// values from one array while applies publish into a second, so no barrier
// is needed between them. Statistics report that pass as gather.
//
// Results do not depend on the thread count: each vertex's gather sums its
// edges in a fixed order, and global reductions split work deterministically.
// Only the combination order of messages sent to one vertex may vary.
//
// Checkpoints (engine_options::checkpoints) are taken between supersteps,
// when the next superstep's signals and messages are still where scatter
// left them: the saved state is the superstep count, those signals and
// messages, the program's state and the shard's vertex and edge data
// (saved_state.hpp). A resumed run starts from exactly that point, so it
// computes what the uninterrupted run would have, bit for bit.
#include <atomic>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/comm/collective_error.hpp"
#include "engine/core/error.hpp"
#include "engine/core/large_vector.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/core/spin_guard.hpp"
#include "engine/gas/aggregator.hpp"
#include "engine/gas/engine_options.hpp"
#include "engine/gas/frontier.hpp"
#include "engine/gas/gas_steps.hpp"
#include "engine/gas/replica_exchange.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/gas/saved_state.hpp"
#include "engine/gas/signalled_ids.hpp"
#include "engine/gas/vertex_program.hpp"
#include "engine/gas/vertex_reductions.hpp"

namespace gasworks {

template <vertex_program Program>
class sync_engine {
 public:
  using program_type = Program;
  using graph_type = typename Program::graph_type;
  using vertex_type = typename Program::vertex_type;
  using edge_type = typename Program::edge_type;
  using gather_type = typename Program::gather_type;
  using message_type = message_t<Program>;
  static constexpr bool has_messages = has_message_type<Program>;
  using published_type = published_t<Program>;
  static constexpr bool has_published = publishes<Program>;
  // Programs whose gather and apply may share one pass (see above).
  static constexpr bool can_fuse_gather_apply = reads_only_published<Program> && !has_messages;

  // What a vertex program sees while it runs.
  class context {
   public:
    explicit context(sync_engine& e) noexcept : engine_(&e) {}
    template <bool W>
    void signal(const basic_vertex<graph_type, W>& v) const {
      engine_->signal_local(v.local());
    }
    template <bool W>
    void signal(const basic_vertex<graph_type, W>& v, const message_type& m) const
      requires has_messages
    {
      engine_->signal_local(v.local(), m);
    }
    // Priorities order the asynchronous engine's work; here every signalled
    // vertex runs in the next superstep, so they are ignored.
    template <bool W>
    void signal(const basic_vertex<graph_type, W>& v, priority) const {
      engine_->signal_local(v.local());
    }
    template <bool W>
    void signal(const basic_vertex<graph_type, W>& v, const message_type& m, priority) const
      requires has_messages
    {
      engine_->signal_local(v.local(), m);
    }
    // The value v published after its last apply.
    template <bool W>
    const published_type& published(const basic_vertex<graph_type, W>& v) const noexcept
      requires has_published
    {
      return engine_->published_[v.local()];
    }
    std::uint64_t iteration() const noexcept { return engine_->superstep_; }
    std::uint64_t num_vertices() const noexcept { return engine_->graph_->num_vertices(); }
    std::uint64_t num_edges() const noexcept { return engine_->graph_->num_edges(); }
    int rank() const noexcept { return engine_->exchange_.rank(); }
    int num_ranks() const noexcept { return engine_->exchange_.num_ranks(); }
    void stop() const noexcept { engine_->stop_requested_.store(true, std::memory_order_relaxed); }

   private:
    sync_engine* engine_;
  };

  // The sum of what apply returned in a superstep (programs whose apply returns a value).
  static constexpr bool has_applied_sum = sums_applies<Program, context>;
  using applied_sum_type = applied_sum_t<Program, context>;

  // What a program's begin_superstep / end_superstep hooks see: the whole graph
  // between supersteps.
  class superstep_view {
   public:
    superstep_view(sync_engine& e, metric_list& metrics) noexcept : engine_(&e), metrics_(&metrics) {}
    std::uint64_t iteration() const noexcept { return engine_->superstep_; }
    std::uint64_t num_vertices() const noexcept { return engine_->graph_->num_vertices(); }
    std::uint64_t num_edges() const noexcept { return engine_->graph_->num_edges(); }
    graph_type& graph() noexcept { return *engine_->graph_; }

    // Sum of map(vertex) over all vertices of the graph.
    template <class Map>
    auto map_reduce_vertices(Map&& map) {
      return engine_->exchange_.all_reduce_sum(gasworks::map_reduce_vertices(*engine_->graph_, map));
    }
    // Sum of map(vertex) over the vertices active in this superstep.
    template <class Map>
    auto map_reduce_active_vertices(Map&& map) {
      const frontier& active = engine_->active_;
      return engine_->exchange_.all_reduce_sum(
          gasworks::map_reduce_vertices(*engine_->graph_, map, [&](local_id v) { return active.contains(v); }));
    }
    // Sum of map(edge) over all edges of the graph (each edge lives on one
    // rank); map takes a read-only edge handle, whose endpoints are current.
    template <class Map>
    auto map_reduce_edges(Map&& map) {
      return engine_->exchange_.all_reduce_sum(gasworks::map_reduce_edges(*engine_->graph_, map));
    }
    // The largest of a value over every rank.
    template <class T>
    T all_reduce_max(const T& local) {
      return engine_->exchange_.all_reduce_max(local);
    }
    // Element-wise sums over every rank, in place, of integers whose count
    // is chosen at run time (per-topic counts: every rank adds its own).
    template <std::integral T>
    void all_reduce_sum(std::span<T> values) {
      engine_->exchange_.all_reduce_sum(values);
    }
    // Signals, for the next superstep, every vertex v with keep(v), keep
    // taking a read-only vertex handle. keep must give the same answer on
    // every replica of a vertex (e.g. depend on its id only).
    template <class Keep>
    void signal_where(Keep&& keep) {
      engine_->signal_where(keep);
    }
    // True if v ran in this superstep (in begin_superstep: is about to run).
    template <bool W>
    bool is_active(const basic_vertex<graph_type, W>& v) const noexcept {
      return engine_->active_.contains(v.local());
    }
    void signal_all() { engine_->next_.insert_all(); }
    // In end_superstep: the sum, over every rank, of what this superstep's
    // applies returned.
    const applied_sum_type& applied_sum() const noexcept
      requires has_applied_sum
    {
      return engine_->applied_sum_;
    }
    void stop() noexcept { engine_->stop_requested_.store(true, std::memory_order_relaxed); }
    void report(std::string name, double value) { metrics_->emplace_back(std::move(name), value); }

   private:
    sync_engine* engine_;
    metric_list* metrics_;
  };

  sync_engine(graph_type& g, Program program, engine_options options = {})
      : graph_(&g),
        program_(std::move(program)),
        options_(options),
        exchange_(g.structure()),
        active_(g.num_local_vertices()),
        next_(g.num_local_vertices()),
        partials_(g.num_local_vertices()),
        balanced_words_(active_.balanced_word_bounds(edges_up_to{&g.structure()}, balanced_ranges)) {
    if (exchange_.num_ranks() > 1) {
      masters_ = frontier(g.num_local_vertices());
      for (local_id v = 0; v < g.num_local_vertices(); ++v)
        if (g.structure().is_master(v)) masters_.insert(v);
    }
    if constexpr (has_published) published_.resize(g.num_local_vertices());
    if constexpr (can_fuse_gather_apply)
      if (exchange_.num_ranks() == 1) published_next_.resize(g.num_local_vertices());
    if constexpr (has_messages) {
      messages_.assign(g.num_local_vertices(), message_type{});
      message_locks_ = std::make_unique<std::atomic_flag[]>(g.num_local_vertices());
    }
  }

  Program& program() noexcept { return program_; }
  const Program& program() const noexcept { return program_; }
  graph_type& graph() noexcept { return *graph_; }

  // Activate vertices for the first superstep. A signal given on any rank
  // that holds the vertex reaches it (once, with its message, if any); with
  // several ranks, a rank may signal only vertices of its own shard, and ids
  // that no rank holds are reported when the run starts, on every rank alike.
  void signal_all() { next_.insert_all(); }
  void signal(vertex_id id) {
    if (auto v = signalled_.find(graph_->structure(), id)) signal_local(*v);
  }
  void signal(vertex_id id, const message_type& m)
    requires has_messages
  {
    if (auto v = signalled_.find(graph_->structure(), id)) signal_local(*v, m);
  }

  // Activates every vertex v with keep(v), keep taking a read-only vertex
  // handle; keep must give the same answer on every replica of a vertex
  // (e.g. depend on its id only).
  template <class Keep>
  void signal_where(Keep&& keep) {
    const graph_type& g = *graph_;
    for (local_id v = 0; v < g.num_local_vertices(); ++v)
      if (keep(basic_vertex<const graph_type, false>(g, v))) next_.insert(v);
  }

  // Runs `map` over vertices every `every` supersteps and reports the sum as
  // metric `name`; `finalize` receives each result.
  template <class Map, class Finalize = ignore_result>
  void add_aggregator(std::string name, std::uint64_t every, Map map, Finalize finalize = {}) {
    aggregators_.push_back(make_vertex_aggregator<graph_type>(std::move(name), every, std::move(map), std::move(finalize)));
  }

  // Called after every superstep (progress lines, statistics files).
  void on_superstep(std::function<void(const superstep_report&)> observer) { observer_ = std::move(observer); }

  run_summary run();

  // The engine's state between supersteps, as a checkpoint holds it (the
  // signals for the next superstep replace any given since).
  void save_state(wire_writer& w) const;
  void restore_state(wire_reader& r);

 private:
  void save_checkpoint();
  void signal_local(local_id v) { next_.insert(v); }
  void signal_local(local_id v, const message_type& m)
    requires has_messages
  {
    // Messages combine with +=; message_type{} is the identity, so no flag
    // is needed to tell the first message from later ones.
    {
      spin_guard guard(message_locks_[v]);
      messages_[v] += m;
    }
    next_.insert(v);
  }

  // Work of a vertex in a superstep ~ its edge count (in plus out).
  struct edges_up_to {
    const topology* s;
    edge_index operator[](std::size_t v) const noexcept { return s->in_begin(static_cast<local_id>(v)) + s->out_begin(static_cast<local_id>(v)); }
  };
  // Enough ranges for work stealing to even out the rest, few enough to be worth a task each.
  static constexpr std::size_t balanced_ranges = 256;

  // Runs f(v) on every active vertex, with dense frontiers split by edge counts.
  template <class F>
  void for_each_active(std::uint64_t active_count, F&& f) const {
    active_.parallel_for_each(active_count, f, balanced_words_);
  }

  // Runs f(v) -> applied_sum_type on the members of `set` and sums the results.
  template <class F>
  applied_sum_type sum_over(const frontier& set, std::uint64_t count, F&& f) const {
    if constexpr (has_applied_sum) {
      return set.template parallel_sum_each<applied_sum_type>(count, f, balanced_words_);
    } else {
      set.parallel_for_each(count, f, balanced_words_);
      return {};
    }
  }

  graph_type* graph_;
  Program program_;
  engine_options options_;
  replica_exchange exchange_;
  frontier active_;
  frontier next_;
  frontier masters_;  // with several ranks: the vertices mastered here
  frontier active_masters_;  // scratch: active_ and masters_
  large_vector<gather_type> partials_;
  std::vector<std::size_t> balanced_words_;
  large_vector<published_type> published_;
  large_vector<published_type> published_next_;  // what a fused gather-apply pass publishes into
  applied_sum_type applied_sum_{};
  std::vector<message_type> messages_;
  std::unique_ptr<std::atomic_flag[]> message_locks_;
  std::vector<std::unique_ptr<aggregator<graph_type>>> aggregators_;
  std::function<void(const superstep_report&)> observer_;
  signalled_ids signalled_;

  // What ranks sum at the end of a superstep.
  struct stop_votes {
    std::uint64_t stop = 0;
    std::uint64_t bytes = 0;
    std::uint64_t full_frontiers = 0;  // ranks whose next frontier holds all their vertices
    stop_votes& operator+=(const stop_votes& o) noexcept {
      stop += o.stop;
      bytes += o.bytes;
      full_frontiers += o.full_frontiers;
      return *this;
    }
  };
  bool next_full_everywhere_ = false;
  // Only asked with several ranks: one rank never routes signals.
  bool full_next_frontier() const { return exchange_.num_ranks() > 1 && next_.count() == next_.universe(); }
  std::uint64_t superstep_ = 0;
  std::atomic<bool> stop_requested_{false};
};

template <vertex_program Program>
void sync_engine<Program>::save_state(wire_writer& w) const {
  if constexpr (!checkpointable_program<Program> || !checkpointable_graph<graph_type> ||
                (has_messages && !wire_encodable<message_type>)) {
    throw usage_error("this vertex program cannot be checkpointed: its data types must be trivially copyable or have "
                      "write_to/read_from, and a program that is not trivially copyable needs save_state/restore_state");
  } else {
    save_shard_layout(w, *graph_);
    w.put(superstep_);
    w.put_all(next_.words());
    if constexpr (has_messages)
      next_.for_each_common(next_, [&](local_id v) { encode(w, messages_[v]); });
    save_program_state(w, program_);
    save_graph_data(w, *graph_);
  }
}

template <vertex_program Program>
void sync_engine<Program>::restore_state(wire_reader& r) {
  if constexpr (!checkpointable_program<Program> || !checkpointable_graph<graph_type> ||
                (has_messages && !wire_encodable<message_type>)) {
    throw usage_error("this vertex program cannot be checkpointed");
  } else {
    check_shard_layout(r, *graph_);
    superstep_ = r.get<std::uint64_t>();
    std::vector<std::uint64_t> words(next_.words().size());
    r.get_all(std::span<std::uint64_t>(words));
    next_.assign_words(words);
    if constexpr (has_messages) {
      std::fill(messages_.begin(), messages_.end(), message_type{});
      next_.for_each_common(next_, [&](local_id v) { decode(r, messages_[v]); });
    }
    restore_program_state(r, program_);
    restore_graph_data(r, *graph_);
    if (!r.done()) throw checkpoint::checkpoint_error("the checkpoint holds more state than this program reads");
  }
}

template <vertex_program Program>
void sync_engine<Program>::save_checkpoint() {
  std::vector<std::byte> state;
  wire_writer w(state);
  save_state(w);
  options_.checkpoints->save(superstep_, state);
}

template <vertex_program Program>
run_summary sync_engine<Program>::run() {
  run_summary summary;
  const stopwatch clock;
  const context ctx(*this);
  const auto& s = graph_->structure();
  stop_requested_.store(false);
  if (options_.checkpoints)
    if (auto saved = options_.checkpoints->take_resumed_state())
      restore_collectively(*graph_, options_.checkpoints->resumed_folder(), [&] {
        wire_reader r(*saved);
        restore_state(r);
      });
  next_full_everywhere_ = false;  // the caller may have signalled since
  signalled_.check(exchange_, s);
  refresh_replicas_and_publish(program_, *graph_, exchange_, std::span<published_type>(published_), summary.times);

  for (;;) {
    if (superstep_ >= options_.max_iterations) {
      summary.reason = termination::max_iterations;
      break;
    }
    if (options_.timeout_seconds && clock.seconds() >= *options_.timeout_seconds) {
      summary.reason = termination::timeout;
      break;
    }
    superstep_report report;
    report.superstep = superstep_;
    const std::uint64_t bytes_before = exchange_.bytes_sent();
    phase_times& t = report.times;

    // The signals of the last superstep (or of the caller) become the frontier.
    {
      scoped_phase timed(t, phase::exchange);
      // A frontier that holds every vertex on every rank has nothing to route.
      if (has_messages || !next_full_everywhere_) exchange_.route_signals(next_, std::span<message_type>(messages_));
      next_full_everywhere_ = false;
    }
    active_.swap(next_);
    next_.clear();
    if constexpr (requires(Program& p, superstep_view& view) { p.begin_superstep(view); }) {
      scoped_phase timed(t, phase::hooks);
      superstep_view view(*this, report.metrics);
      program_.begin_superstep(view);
    }
    // Traversal adapts to this rank's count; the run counts each vertex once.
    // With several ranks, apply walks the active masters only.
    const std::uint64_t local_active = active_.count();
    std::uint64_t local_active_masters = local_active;
    if (exchange_.num_ranks() > 1) {
      active_masters_.assign_intersection(active_, masters_);
      local_active_masters = active_masters_.count();
    }
    const std::uint64_t active_count = exchange_.all_reduce_sum(local_active_masters);
    if (active_count == 0) {
      summary.reason = termination::converged;
      break;
    }
    report.active = active_count;

    if constexpr (has_init<Program, context>) {
      {
        scoped_phase timed(t, phase::init);
        for_each_active(local_active, [&](local_id v) {
          if (s.is_master(v)) {
            vertex_type vertex(*graph_, v);
            program_.init(ctx, vertex, std::as_const(messages_[v]));
          }
          messages_[v] = message_type{};
        });
      }
      scoped_phase timed(t, phase::exchange);
      exchange_.broadcast_to_mirrors(active_, graph_->vertex_data());
    } else if constexpr (has_messages) {
      for_each_active(local_active, [&](local_id v) { messages_[v] = message_type{}; });
    }
    applied_sum_type applied{};
    if (can_fuse_gather_apply && exchange_.num_ranks() == 1 && local_active == graph_->num_local_vertices()) {
      {
        scoped_phase timed(t, phase::gather);
        applied = sum_over(active_, local_active, [&](local_id v) {
          return apply_and_publish(program_, ctx, *graph_, v, gather_local_edges(program_, ctx, *graph_, v),
                                   published_next_.data());
        });
        published_.swap(published_next_);
      }
      // Nothing moves between replicas on one rank.
      scoped_phase timed(t, phase::scatter);
      for_each_active(local_active, [&](local_id v) { scatter_local_edges(program_, ctx, *graph_, v); });
    } else {
      // With several ranks only masters apply: mirrors are skipped a word at a time.
      const frontier& appliers = exchange_.num_ranks() == 1 ? active_ : active_masters_;
      const std::uint64_t applier_count = exchange_.num_ranks() == 1 ? local_active : local_active_masters;
      applied = gather_apply_scatter(
          program_, ctx, *graph_, exchange_, active_, std::span<gather_type>(partials_), std::span<published_type>(published_), t,
          step_members{[&](auto&& f) { for_each_active(local_active, f); },
                       [&](auto&& f) { return sum_over(appliers, applier_count, f); }});
    }
    if constexpr (has_applied_sum) {
      scoped_phase timed(t, phase::exchange);
      applied_sum_ = exchange_.all_reduce_sum(applied);
    }
    {
      scoped_phase timed(t, phase::hooks);
      if constexpr (requires(Program& p, superstep_view& view) { p.end_superstep(view); }) {
        superstep_view view(*this, report.metrics);
        program_.end_superstep(view);
      }
      for (auto& a : aggregators_)
        if (a->due(superstep_)) a->run(*graph_, exchange_, report.metrics);
    }

    // One reduction tells every rank whether any asked to stop, and the bytes sent.
    const auto votes = exchange_.all_reduce_sum(stop_votes{stop_requested_.load(std::memory_order_relaxed) ? 1u : 0u,
                                                          exchange_.bytes_sent() - bytes_before,
                                                          full_next_frontier() ? 1u : 0u});
    next_full_everywhere_ = votes.full_frontiers == static_cast<std::uint64_t>(exchange_.num_ranks());
    if (exchange_.num_ranks() > 1)
      report.metrics.emplace_back("bytes_sent_per_rank", static_cast<double>(votes.bytes) / exchange_.num_ranks());
    summary.updates += active_count;
    summary.times += t;
    ++superstep_;
    report.elapsed = clock.seconds();
    if (observer_) observer_(report);
    if (votes.stop > 0) {
      summary.reason = termination::stopped;
      break;
    }
    // No checkpoint after the last superstep: nothing would resume from it.
    if (options_.checkpoints && superstep_ < options_.max_iterations && options_.checkpoints->due(superstep_ - 1, superstep_))
      save_checkpoint();
  }
  summary.supersteps = superstep_;
  summary.seconds = clock.seconds();
  return summary;
}

}  // namespace gasworks
