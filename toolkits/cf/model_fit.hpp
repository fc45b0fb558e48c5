#pragma once
// What both factorization programs share: the pass that counts each
// vertex's training ratings, the summary of the training ratings, the
// initial factors, the fit measured after each iteration, and the two ways
// of running an update rule over the graph.
//
// On the synchronous engine (alternating_program), an iteration is two
// supersteps: every user is updated with the items' factors fixed, then
// every item with the users' new factors fixed (Jacobi within a side).
// On the asynchronous engine (gauss_seidel_program), a vertex is updated
// against its neighbours' newest factors and then signals them, so that
// they are updated against its own; an iteration is as many updates as
// there are vertices.
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "engine/async/scheduler_choice.hpp"
#include "engine/async_engine.hpp"
#include "engine/gas/replica_exchange.hpp"
#include "engine/gas/vertex_program.hpp"
#include "engine/gas/vertex_reductions.hpp"
#include "engine/graph/graph.hpp"
#include "engine/sync/sync_engine.hpp"
#include "toolkits/cf/latent_vertex.hpp"
#include "toolkits/cf/prediction_rule.hpp"
#include "toolkits/cf/ratings.hpp"

namespace gasworks::cf {

using ratings_graph = graph<latent_vertex, rating_edge>;

// How strongly a fit pulls a vertex with n training ratings towards zero:
// it adds  (per_rating n + fixed) |f|^2 + (bias_per_rating n + bias_fixed) b^2
// to the squared training errors. The per-rating part is weighted-lambda
// regularisation; the fixed part is the precision of a zero-mean Gaussian
// prior, which shrinks the factors of vertices with few ratings the most.
struct regularisation {
  double per_rating = 0;
  double fixed = 0;
  double bias_per_rating = 0;
  double bias_fixed = 0;

  double of_factors(std::uint32_t n) const noexcept { return per_rating * n + fixed; }
  double of_bias(std::uint32_t n) const noexcept { return bias_per_rating * n + bias_fixed; }
};

// Options every factorization takes.
struct fit_options {
  int rank = 20;                   // latent factors per user and item (D)
  double lambda = 0.05;            // regularisation per training rating
  std::uint64_t iterations = 10;   // user half-step + item half-step each
  std::uint64_t seed = 1;          // initial factors
  double initial_scale = 0.1;      // initial factors uniform in [0, scale)
  std::optional<double> min_rating;  // clamp; default: the training range
  std::optional<double> max_rating;
  std::optional<double> timeout_seconds;
  std::optional<async_choice> asynchronous;  // run on the asynchronous engine, with these options and scheduler
  // Checkpoints to save and resume from (not owned).
  checkpoint::checkpointing* checkpoints = nullptr;
};

// The fit after one iteration (the same on every rank).
struct iteration_fit {
  std::uint64_t iteration = 0;  // 1-based
  double train_rmse = 0;
  double validation_rmse = std::numeric_limits<double>::quiet_NaN();  // NaN without validation ratings
  double objective = 0;         // squared training error + regularisation
  double seconds = 0;           // since the run started
};

// What a factorization run returns.
struct fit_result {
  run_summary run;
  std::vector<iteration_fit> history;
  prediction_rule rule;
};

// Sums over ratings from which the fit is measured.
struct fit_sums {
  double train_squared = 0;
  std::uint64_t train_count = 0;
  double validation_squared = 0;
  std::uint64_t validation_count = 0;
  double objective = 0;
  fit_sums& operator+=(const fit_sums& o) noexcept {
    train_squared += o.train_squared;
    train_count += o.train_count;
    validation_squared += o.validation_squared;
    validation_count += o.validation_count;
    objective += o.objective;
    return *this;
  }
};

// The regularisation of vertex v, shared out evenly among its n training
// ratings (so that the objective is a sum over ratings).
inline double penalty_per_rating(const latent_vertex& v, const regularisation& r) {
  const std::uint32_t n = v.training_ratings;
  return (r.of_factors(n) * v.factors.squaredNorm() + r.of_bias(n) * v.bias * v.bias) / static_cast<double>(n);
}

// The objective counts, for each training rating (u, i), the squared error
// of the unclamped prediction and the shares of u's and i's regularisation.
template <class Edge>
fit_sums fit_of_edge(const Edge& e, const prediction_rule& rule, const regularisation& penalty) {
  const latent_vertex& user = e.source().data();
  const latent_vertex& item = e.target().data();
  const double error = e.data().value - rule(user, item);
  fit_sums s;
  if (e.data().trains()) {
    const double raw_error = e.data().value - prediction_rule::raw(user, item, rule.offset);
    s.train_squared = error * error;
    s.train_count = 1;
    s.objective = raw_error * raw_error + penalty_per_rating(user, penalty) + penalty_per_rating(item, penalty);
  } else {
    s.validation_squared = error * error;
    s.validation_count = 1;
  }
  return s;
}

// Counts every vertex's training ratings into training_ratings.
class training_rating_count : public program_types<latent_vertex, rating_edge> {
 public:
  using gather_type = std::uint64_t;
  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type&) const { return edge_dir::all; }
  template <class Ctx>
  gather_type gather(const Ctx&, const vertex_type&, const edge_type& e) const { return e.data().trains() ? 1 : 0; }
  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, gather_type total) const {
    if (total > std::numeric_limits<std::uint32_t>::max()) throw usage_error("a user or item has more than 2^32 ratings");
    v.data().training_ratings = static_cast<std::uint32_t>(total);
  }
  template <class Ctx>
  edge_dir scatter_edges(const Ctx&, const vertex_type&) const { return edge_dir::none; }
  template <class Ctx>
  void scatter(const Ctx&, const vertex_type&, edge_type&) const {}
};

// Count and range of the training ratings, over all ranks.
inline rating_summary summarize_training(ratings_graph& g) {
  const auto local = map_reduce_edges(g, [](const auto& e) {
    rating_summary s;
    if (e.data().trains()) {
      s.count = 1;
      s.sum = s.min = s.max = e.data().value;
    }
    return s;
  });
  return replica_exchange(g.structure()).all_reduce_sum(local);
}

// Counts ratings, sets initial factors and zero biases at every vertex, and
// returns the rule that predictions follow.
inline prediction_rule prepare_model(ratings_graph& g, const fit_options& opts, bool biased) {
  if (opts.rank < 1) throw usage_error("the rank (number of latent factors) must be at least 1");
  if (!(opts.lambda >= 0)) throw usage_error("lambda must be non-negative");
  engine_options one_superstep;
  one_superstep.max_iterations = 1;
  sync_engine<training_rating_count> counting(g, training_rating_count{}, one_superstep);
  counting.signal_all();
  counting.run();
  transform_vertices(g, [&](auto& v) {
    v.data().factors = initial_factors(opts.seed, v.id(), opts.rank, opts.initial_scale);
    v.data().bias = 0;
    v.data().covariance.resize(0, 0);
  });
  // Mirrors too, so that the initial fit can be measured on every rank.
  replica_exchange(g.structure()).broadcast_all_to_mirrors(g.vertex_data());
  const rating_summary training = summarize_training(g);
  prediction_rule rule;
  rule.mean = training.mean();
  rule.offset = biased ? rule.mean : 0.0;
  rule.min = opts.min_rating.value_or(training.min);
  rule.max = opts.max_rating.value_or(training.max);
  if (rule.min > rule.max) throw usage_error("the minimum rating exceeds the maximum");
  return rule;
}

// The fit after `iteration` iterations, from the sums over the ratings.
inline iteration_fit measure_fit(const fit_sums& sums, std::uint64_t iteration, double seconds) {
  iteration_fit fit;
  fit.iteration = iteration;
  fit.train_rmse = std::sqrt(sums.train_squared / static_cast<double>(std::max<std::uint64_t>(sums.train_count, 1)));
  if (sums.validation_count > 0)
    fit.validation_rmse = std::sqrt(sums.validation_squared / static_cast<double>(sums.validation_count));
  fit.objective = sums.objective;
  fit.seconds = seconds;
  return fit;
}

// The fit of the graph's current factors, over all ranks.
inline fit_sums measure_sums(ratings_graph& g, const prediction_rule& rule, const regularisation& penalty) {
  const fit_sums local = map_reduce_edges(g, [&](const auto& e) { return fit_of_edge(e, rule, penalty); });
  return replica_exchange(g.structure()).all_reduce_sum(local);
}

// The metrics of one fit, as the progress line and --stats show them.
inline void add_fit_metrics(const iteration_fit& fit, metric_list& metrics) {
  metrics.emplace_back("iteration", static_cast<double>(fit.iteration));
  metrics.emplace_back("train_rmse", fit.train_rmse);
  if (!std::isnan(fit.validation_rmse)) metrics.emplace_back("validation_rmse", fit.validation_rmse);
  metrics.emplace_back("objective", fit.objective);
}

// The side of the graph that superstep k updates: users on even supersteps.
inline bool updates_users(std::uint64_t superstep) noexcept { return superstep % 2 == 0; }

// What every update rule sees: a user's ratings are its out-edges, an
// item's its in-edges; the regularisation; the prediction rule; and the mean
// squared training error of the latest fit measured (variational ALS takes
// it as the noise variance of the ratings), which every copy of the program
// shares, the engine keeping its own copy.
class factor_program : public program_types<latent_vertex, rating_edge> {
 public:
  factor_program(regularisation penalty, prediction_rule rule)
      : penalty_(penalty), rule_(rule), training_mse_(std::make_shared<std::atomic<double>>(0.0)) {}

  const regularisation& penalty() const noexcept { return penalty_; }
  const prediction_rule& rule() const noexcept { return rule_; }

  double training_mse() const noexcept { return training_mse_->load(std::memory_order_relaxed); }
  void set_training_mse(double mse) const noexcept { training_mse_->store(mse, std::memory_order_relaxed); }
  // Const: the fit is not part of the program's settings, and every copy sees it.
  void note_fit(const fit_sums& sums) const noexcept {
    if (sums.train_count > 0)
      training_mse_->store(sums.train_squared / static_cast<double>(sums.train_count), std::memory_order_relaxed);
  }

  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type& v) const {
    return is_user(v.id()) ? edge_dir::out : edge_dir::in;
  }

  // What a checkpoint keeps of it: the fit's noise variance.
  void save_state(wire_writer& w) const { w.put(training_mse()); }
  void restore_state(wire_reader& r) { set_training_mse(r.get<double>()); }

 protected:
  // The data of the vertex at the other end of one of v's ratings.
  static const latent_vertex& other_side(const vertex_type& v, const edge_type& e) {
    return (e.source().local() == v.local() ? e.target() : e.source()).data();
  }

  regularisation penalty_;
  prediction_rule rule_;

 private:
  std::shared_ptr<std::atomic<double>> training_mse_;
};

// For the synchronous engine: nothing is scattered; after each superstep the
// other side runs next, and after an item half-step the fit is measured and
// reported.
class alternating_program : public factor_program {
 public:
  using factor_program::factor_program;

  template <class View>
  void begin_superstep(View& view) {
    if (view.iteration() == 0) start_ = std::chrono::steady_clock::now();
  }

  template <class Ctx>
  edge_dir scatter_edges(const Ctx&, const vertex_type&) const { return edge_dir::none; }
  template <class Ctx>
  void scatter(const Ctx&, const vertex_type&, edge_type&) const {}

  template <class View>
  void end_superstep(View& view) {
    const bool users_ran = updates_users(view.iteration());
    view.signal_where([users_ran](const auto& v) { return is_user(v.id()) != users_ran; });
    if (users_ran) return;
    const fit_sums sums = view.map_reduce_edges([&](const auto& e) { return fit_of_edge(e, rule_, penalty_); });
    note_fit(sums);
    const iteration_fit fit = measure_fit(sums, view.iteration() / 2 + 1,
                                          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    history_.push_back(fit);
    view.report("iteration", static_cast<double>(fit.iteration));
    view.report("train_rmse", fit.train_rmse);
    if (sums.validation_count > 0) view.report("validation_rmse", fit.validation_rmse);
    view.report("objective", fit.objective);
  }

  const std::vector<iteration_fit>& history() const noexcept { return history_; }

  // What a checkpoint keeps: the fits so far and the noise variance the next
  // updates read. The clock goes on from the last fit's time.
  void save_state(wire_writer& w) const {
    factor_program::save_state(w);
    w.put(static_cast<std::uint64_t>(history_.size()));
    w.put_all(std::span<const iteration_fit>(history_));
  }
  void restore_state(wire_reader& r) {
    factor_program::restore_state(r);
    const auto fits = r.get<std::uint64_t>();
    if (fits > r.remaining() / sizeof(iteration_fit)) throw std::invalid_argument("saved fit history longer than its state");
    history_.resize(fits);
    r.get_all(std::span<iteration_fit>(history_));
    const double elapsed = history_.empty() ? 0.0 : history_.back().seconds;
    start_ = std::chrono::steady_clock::now() -
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(elapsed));
  }

 private:
  std::chrono::steady_clock::time_point start_;
  std::vector<iteration_fit> history_;
};

// Runs a factorization program: users first, then alternating sides.
template <class Program, class Observer>
run_summary run_alternating(ratings_graph& g, Program& program, const fit_options& opts, Observer&& observer) {
  engine_options engine;
  engine.max_iterations = 2 * opts.iterations;
  engine.timeout_seconds = opts.timeout_seconds;
  engine.checkpoints = opts.checkpoints;
  sync_engine<Program> e(g, program, engine);
  e.on_superstep(std::forward<Observer>(observer));
  e.signal_where([](const auto& v) { return is_user(v.id()); });
  const run_summary summary = e.run();
  program = e.program();
  return summary;
}

// For the asynchronous engine: after an update that moved it, a vertex
// signals the other end of each of its training ratings, which is then
// updated against its new factors. The signal's priority is how far the
// vertex moved (the largest such move, if several arrive), so the priority
// scheduler first updates the vertices whose neighbours moved most. No
// superstep hooks: the fit is measured every `vertices` updates.
class gauss_seidel_program : public factor_program {
 public:
  using factor_program::factor_program;

  template <class Ctx>
  edge_dir scatter_edges(const Ctx& ctx, const vertex_type& v) const {
    return v.data().change > 0 ? gather_edges(ctx, v) : edge_dir::none;
  }
  template <class Ctx>
  void scatter(const Ctx& ctx, const vertex_type& v, edge_type& e) const {
    if (e.data().trains()) ctx.signal(e.source().local() == v.local() ? e.target() : e.source(), priority{v.data().change});
  }
};

// Runs engine e, measuring the fit every `per_iteration` updates into `history`.
template <class Engine, class Program, class Observer>
run_summary run_measured(Engine& e, ratings_graph& g, const Program& program, std::uint64_t per_iteration, Observer&& observer,
                         std::vector<iteration_fit>& history) {
  const auto start = std::chrono::steady_clock::now();
  fit_sums latest;
  e.add_edge_aggregator("fit", aggregation_period{}, [&](const auto& edge) { return fit_of_edge(edge, program.rule(), program.penalty()); },
                        [&](const fit_sums& sums) {
                          latest = sums;
                          program.note_fit(sums);
                        });
  const std::function<void(const superstep_report&)> forward(std::forward<Observer>(observer));
  std::uint64_t done = 0;
  e.on_progress([&](superstep_report r) {
    // The last report of a run that ended on an iteration adds no update.
    if (r.active == 0) return;
    done = r.updates_so_far;  // a resumed run's count goes on from its checkpoint
    // On several ranks reports come between colour phases, a little past
    // the iteration's count; the nearest iteration is the one just done.
    const std::uint64_t iteration = std::max<std::uint64_t>(1, (done + per_iteration / 2) / per_iteration);
    const iteration_fit fit = measure_fit(latest, iteration,
                                          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (!history.empty() && history.back().iteration == iteration) history.back() = fit;
    else history.push_back(fit);
    add_fit_metrics(fit, r.metrics);
    if (forward) forward(r);
  });
  for (local_id v = 0; v < g.num_local_vertices(); ++v) {
    const vertex_id id = g.structure().global_id(v);
    if (is_user(id)) e.signal(id);
  }
  return e.run();
}

// Runs an update rule on the asynchronous engine, starting from the users:
// `iterations` times as many updates as there are vertices, with the fit
// measured after every such number of updates (and at the end, if the run
// stopped between two). Returns the run and fills `history`.
template <class Program, class Observer>
run_summary run_gauss_seidel(ratings_graph& g, const Program& program, const fit_options& opts, const async_choice& choice,
                             Observer&& observer, std::vector<iteration_fit>& history) {
  async_options engine = choice.options;
  if (engine.consistency == consistency_model::vertex)
    throw usage_error("an update reads its neighbours' factors: it needs edge or full consistency, not vertex");
  const std::uint64_t per_iteration = std::max<std::uint64_t>(1, g.num_vertices());
  engine.max_updates = opts.iterations * per_iteration;
  engine.timeout_seconds = opts.timeout_seconds;
  engine.report_every_updates = per_iteration;
  engine.checkpoints = opts.checkpoints;
  return with_scheduler(choice.scheduler, [&](const auto& scheduler) {
    async_engine<Program, typename std::decay_t<decltype(scheduler)>::scheduler_type> e(g, program, engine, scheduler);
    return run_measured(e, g, program, per_iteration, std::forward<Observer>(observer), history);
  });
}

// Fits the graph's factors with an update rule (UpdateRule<Base>, Base as
// above) on the engine the options choose; observer(superstep_report) after
// every superstep or iteration.
template <template <class> class UpdateRule, class Options, class Observer>
fit_result fit_factors(ratings_graph& g, const Options& opts, Observer&& observer) {
  fit_result result;
  result.rule = prepare_model(g, opts, opts.biased);
  const fit_sums initial = measure_sums(g, result.rule, opts.penalty());
  if (opts.asynchronous) {
    const UpdateRule<gauss_seidel_program> program(opts, result.rule);
    program.note_fit(initial);
    result.run = run_gauss_seidel(g, program, opts, *opts.asynchronous, std::forward<Observer>(observer), result.history);
    return result;
  }
  UpdateRule<alternating_program> program(opts, result.rule);
  program.note_fit(initial);
  result.run = run_alternating(g, program, opts, std::forward<Observer>(observer));
  result.history = program.history();
  return result;
}

}  // namespace gasworks::cf
