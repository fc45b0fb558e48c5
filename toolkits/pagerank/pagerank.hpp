#pragma once
// PageRank as a vertex program, with networkx's definition:
//
//   rank'(v) = (1 - d) / n  +  d * ( sum over in-edges u->v of rank(u) / outdeg(u)  +  D / n )
//
// where d is the damping factor and D the total rank of dangling vertices
// (no out-edges), spread uniformly so that ranks keep summing to 1. Ranks
// start at 1/n. Parallel edges count with their multiplicity, self-loops
// like any edge.
//
// Three ways to run it:
//   fixed      exactly `iterations` supersteps, every vertex each time;
//   converge   every vertex each superstep, until the L1 change of the whole
//              rank vector falls below `tolerance`;
//   dynamic    only vertices whose rank moved by more than `tolerance` signal
//              their out-neighbours, which then recompute (PowerGraph's dynamic
//              PageRank, dynamic_pagerank.hpp); on the synchronous engine or
//              the asynchronous one.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>

#include "engine/async/scheduler_choice.hpp"
#include "engine/async_engine.hpp"
#include "engine/core/error.hpp"
#include "engine/gas/engine_options.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/gas/vertex_program.hpp"
#include "engine/gas/vertex_reductions.hpp"
#include "engine/graph/graph.hpp"
#include "engine/sync/sync_engine.hpp"
#include "toolkits/pagerank/dynamic_pagerank.hpp"
#include "toolkits/pagerank/pagerank_state.hpp"
#include "toolkits/pagerank/rank_pull.hpp"

namespace gasworks::pagerank {

enum class mode { fixed, converge, dynamic };

struct options {
  double damping = 0.85;
  mode run_mode = mode::converge;
  std::uint64_t iterations = 20;  // fixed mode
  double tolerance = 1e-9;        // converge: total L1 change; dynamic: per-vertex change
  std::uint64_t max_iterations = 1000;
  std::optional<double> timeout_seconds;
  // Dynamic mode only: run on the asynchronous engine with these options and
  // scheduler (its timeout is timeout_seconds above).
  std::optional<async_choice> asynchronous;
  // Checkpoints to save and resume from (not owned).
  checkpoint::checkpointing* checkpoints = nullptr;
};

struct superstep_sums {
  double l1_change = 0;      // sum of |change| over the vertices that ran
  double dangling_mass = 0;  // rank held by vertices without out-edges
  superstep_sums& operator+=(const superstep_sums& o) noexcept {
    l1_change += o.l1_change;
    dangling_mass += o.dangling_mass;
    return *this;
  }
};

class program : public rank_pull {
 public:
  explicit program(const options& opts) : rank_pull(opts.damping, opts.tolerance), mode_(opts.run_mode) {}

  template <class View>
  void begin_superstep(View& view) {
    if (view.iteration() != 0) return;  // later supersteps get it from end_superstep
    spread(view, view.map_reduce_vertices([](const auto& v) { return v.num_out_edges() == 0 ? v.data().rank : 0.0; }));
  }

  // Returns what the superstep sums: every vertex runs in every superstep,
  // so the sum over the applies is the sum over the graph.
  template <class Ctx>
  superstep_sums apply(const Ctx&, vertex_type& v, double total) const {
    set_rank(v, uniform_share_ + damping_ * total);
    return {std::abs(v.data().change), v.num_out_edges() == 0 ? v.data().rank : 0.0};
  }

  template <class Ctx>
  edge_dir scatter_edges(const Ctx&, const vertex_type&) const {
    return edge_dir::none;
  }
  template <class Ctx>
  void scatter(const Ctx&, const vertex_type&, edge_type&) const {}

  template <class View>
  void end_superstep(View& view) {
    // The applies summed this superstep's L1 change and the dangling mass
    // the next superstep spreads.
    const superstep_sums& sums = view.applied_sum();
    spread(view, sums.dangling_mass);
    view.report("l1_change", sums.l1_change);
    if (mode_ == mode::converge && sums.l1_change < tolerance_) view.stop();
    else view.signal_all();
  }

 private:
  // Sets what every vertex receives next superstep whatever its in-edges:
  // the teleport share plus its share of the dangling mass.
  template <class View>
  void spread(const View& view, double dangling_mass) {
    const double n = static_cast<double>(view.num_vertices());
    uniform_share_ = (1 - damping_) / n + damping_ * dangling_mass / n;
  }

  mode mode_;
  double uniform_share_ = 0;
};

static_assert(vertex_program<program>);

// Sets every rank to 1/n.
inline void initialize(program::graph_type& g) {
  const double start = 1.0 / static_cast<double>(g.num_vertices());
  transform_vertices(g, [&](auto& v) { v.data() = vertex_state{start, 0.0}; });
}

// Runs PageRank on g (ranks start at 1/n); `observer` sees every superstep
// (asynchronous runs: every progress report).
inline run_summary run(program::graph_type& g, const options& opts,
                       std::function<void(const superstep_report&)> observer = {}) {
  initialize(g);
  if (opts.asynchronous && opts.run_mode != mode::dynamic)
    throw usage_error("the asynchronous engine runs dynamic PageRank only");
  if (opts.run_mode == mode::dynamic) {
    const dynamic_program dynamic(opts.damping, opts.tolerance);
    run_summary summary;
    if (opts.asynchronous) {
      async_options async = opts.asynchronous->options;
      async.timeout_seconds = opts.timeout_seconds;
      async.checkpoints = opts.checkpoints;
      summary = with_scheduler(opts.asynchronous->scheduler, [&](const auto& scheduler) {
        async_engine<dynamic_program, typename std::decay_t<decltype(scheduler)>::scheduler_type> engine(g, dynamic, async,
                                                                                                        scheduler);
        if (observer) engine.on_progress(observer);
        // Every vertex's first update is due before any change it causes.
        engine.signal_all(priority{std::numeric_limits<double>::infinity()});
        return engine.run();
      });
    } else {
      engine_options limits;
      limits.max_iterations = opts.max_iterations;
      limits.timeout_seconds = opts.timeout_seconds;
      limits.checkpoints = opts.checkpoints;
      sync_engine<dynamic_program> engine(g, dynamic, limits);
      if (observer) engine.on_superstep(observer);
      engine.signal_all();
      summary = engine.run();
    }
    normalize_dynamic_ranks(g);
    return summary;
  }
  engine_options limits;
  limits.max_iterations = opts.run_mode == mode::fixed ? opts.iterations : opts.max_iterations;
  limits.timeout_seconds = opts.timeout_seconds;
  limits.checkpoints = opts.checkpoints;
  sync_engine<program> engine(g, program(opts), limits);
  if (observer) engine.on_superstep(observer);
  engine.signal_all();
  return engine.run();
}

}  // namespace gasworks::pagerank
