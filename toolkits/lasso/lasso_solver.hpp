#pragma once
// The Lasso solved on the phased engine: coordinate updates (the vertex
// program of coordinate_program.hpp) in sets chosen by a STRADS scheduler
// (engine/phased/strads_sets.hpp) under the correlation rule
// (correlation_rule.hpp) — or, with the rule off, cyclic blocks or Shotgun's
// uniform draws.
//
// Work goes in epochs of about m coordinate updates (m / 16 under strads,
// below): ceil(updates / s) rounds, s the mean set size of the last epoch
// (P at first; the dependency rule may keep sets smaller).
// After each, the duality gap is measured when the epoch's largest step is
// small beside the largest coefficient (scikit-learn's test, which spares a
// pass over the data while the model still moves), and the solve stops when
// the gap falls to tol * ||y - mean(y)||^2 / n or the round limit is reached.
// Under strads the gap is measured after every epoch: its pass computes
// every feature's gradient, hence the exact step each would take now, and
// those steps become the priorities of the next epoch's draws — the
// scheduler's priorities otherwise only know the step a feature took when it
// last ran, which misses features that the others' moves have made worth
// updating. Refreshed 16 times per m updates, strads needed 47 times fewer
// updates than cyclic on leukemia (at lambda_max / 100), against 11 times
// once per m and 30 times at 8 per m; at 32 per m the passes cost more than
// the updates they save (bench/lasso_bench.cpp). A pass costs about as much
// as 8 such epochs' updates, whatever m and the density.
// A solve warm-starts from the coefficients the last one left, which is
// what a regularisation path wants.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "engine/checkpoint/checkpointing.hpp"
#include "engine/comm/wire.hpp"
#include "engine/core/error.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/gas/gas_steps.hpp"
#include "engine/gas/saved_state.hpp"
#include "engine/phased/phased_engine.hpp"
#include "engine/phased/strads_sets.hpp"
#include "toolkits/lasso/coordinate_program.hpp"
#include "toolkits/lasso/correlation_rule.hpp"
#include "toolkits/lasso/lasso_graph.hpp"
#include "toolkits/lasso/lasso_problem.hpp"

namespace gasworks::lasso {

struct lasso_settings {
  set_selection schedule = set_selection::priority;
  std::uint32_t parallel = 16;  // P: coordinates per phase
  double rho = 0.5;             // strads: largest correlation allowed within a set
  double eta = 0.02;             // strads: the share of draws made uniformly (exploration)
  double tol = 1e-6;            // duality gap target, relative to ||y - mean(y)||^2 / n
  std::uint64_t max_rounds = 1'000'000;  // phases per solve at most
  std::uint64_t seed = 1;
};

// A solution's measures, the same on every rank.
struct lasso_measures {
  double objective = 0;
  double gap = std::numeric_limits<double>::quiet_NaN();  // when measured
  double intercept = 0;
  double largest_coefficient = 0;
  std::uint64_t nonzeros = 0;
};

// Reported after every epoch.
struct lasso_progress {
  double lambda = 0;
  std::uint64_t rounds = 0;   // phases so far in this solve
  std::uint64_t updates = 0;  // coordinate updates so far in this solve
  double seconds = 0;
  lasso_measures measures;
};

struct lasso_fit {
  double lambda = 0;
  std::vector<double> beta;  // per column of the data
  double intercept = 0;
  double objective = 0;
  double gap = 0;
  std::uint64_t nonzeros = 0;
  std::uint64_t rounds = 0;
  std::uint64_t updates = 0;
  double seconds = 0;
  bool converged = false;
  // The objective grew a millionfold past where the solve started (or past
  // its value at beta = 0), or stopped being a number: simultaneous updates
  // of correlated features overshoot without end (cyclic blocks or shotgun
  // with a large P); the solve stops and the model is not a solution.
  bool diverged = false;
};

class lasso_solver {
 public:
  static constexpr double strads_refreshes_per_sweep = 16;
  using sets_type = strads_sets<correlation_rule>;
  using engine_type = phased_engine<coordinate_program, sets_type>;

  // Collective: every rank passes the same problem and settings.
  lasso_solver(const std::shared_ptr<communicator>& ranks, const lasso_problem& problem, const lasso_settings& settings,
               ingress_options ingress = {})
      : problem_(&problem), settings_(settings), graph_(load_lasso_graph(ranks, problem, ingress)) {
    if (settings.parallel < 1) throw usage_error("--parallel must be at least 1");
    if (!(settings.rho > 0 && settings.rho <= 1)) throw usage_error("--rho must lie in (0, 1]");
    if (!(settings.eta > 0 && settings.eta <= 1)) throw usage_error("--eta must lie in (0, 1]");
    if (!(settings.tol > 0)) throw usage_error("--tol must be positive");
    const regression_data& d = problem.data();
    double residual_sum = 0;
    for (double y : d.target) residual_sum += y;
    const double target_spread = problem.target_scale() * static_cast<double>(d.samples);
    // Only strads keeps correlated features apart; cyclic and shotgun run
    // what they draw (a rule that never refuses).
    const double rho = settings.schedule == set_selection::priority ? settings.rho : 2.0;
    strads_options options;
    options.selection = settings.schedule;
    options.set_size = settings.parallel;
    options.exploration = settings.eta;
    options.seed = settings.seed;
    async_options engine_options;
    engine_options.consistency = consistency_model::vertex;  // the sets are the consistency
    engine_ = std::make_unique<engine_type>(
        graph_, coordinate_program(d.features, static_cast<double>(d.samples), residual_sum, target_spread),
        sets_type(graph_.structure(), 0, d.features, correlation_rule(problem, rho), options), engine_options);
    engine_->signal_all(priority{options.initial_priority});
    lambda_max_ = problem.lambda_max();
  }

  const lasso_graph& graph() const noexcept { return graph_; }
  sets_type& scheduler() noexcept { return engine_->scheduler(); }

  // Solves at `lambda` from the current coefficients; observe(progress)
  // after every epoch.
  lasso_fit solve(double lambda, const std::function<void(const lasso_progress&)>& observe = {}) {
    solve_state state = begin_solve(lambda, observe);
    while (!state.finished) run_epoch(state, observe);
    return end_solve(state);
  }

  // Solves each of `lambdas` in turn, each from the coefficients the last
  // left (a regularisation path), and stops after a solve that diverged.
  // With `checkpoints`, one may be saved after any epoch that leaves its
  // solve unfinished (a step is an epoch, counted along the path), holding
  // the path's finished fits (without their coefficients: only the last
  // one's are kept), the solve under way, the scheduler's draws to come and
  // the engine's state; a path that resumes one starts inside that solve.
  std::vector<lasso_fit> solve_path(std::span<const double> lambdas,
                                    const std::function<void(const lasso_progress&)>& observe = {},
                                    checkpoint::checkpointing* checkpoints = nullptr) {
    std::vector<lasso_fit> fits;
    std::optional<solve_state> resumed;
    std::uint64_t epochs = 0, saved_after = 0;
    if (checkpoints)
      if (auto saved = checkpoints->take_resumed_state())
        restore_collectively(graph_, checkpoints->resumed_folder(), [&] {
          wire_reader r(*saved);
          engine_->restore_state(r);
          engine_->scheduler().read_from(r);
          epochs = saved_after = r.get<std::uint64_t>();
          fits.resize(r.get<std::uint64_t>());
          if (fits.size() >= lambdas.size()) throw checkpoint::checkpoint_error("the checkpoint's path is longer than this one");
          for (lasso_fit& f : fits) read_fit(r, f);
          resumed.emplace();
          resumed->read_from(r);
          if (!r.done()) throw checkpoint::checkpoint_error("the checkpoint holds more state than this solver reads");
        });
    for (std::size_t k = fits.size(); k < lambdas.size(); ++k) {
      solve_state state = resumed ? *std::exchange(resumed, std::nullopt) : begin_solve(lambdas[k], observe);
      while (!state.finished) {
        run_epoch(state, observe);
        ++epochs;
        if (checkpoints && !state.finished && checkpoints->due(saved_after, epochs)) {
          std::vector<std::byte> bytes;
          wire_writer w(bytes);
          engine_->save_state(w);
          engine_->scheduler().write_to(w);
          w.put(epochs);
          w.put(static_cast<std::uint64_t>(fits.size()));
          for (const lasso_fit& f : fits) write_fit(w, f);
          state.write_to(w);
          checkpoints->save(epochs, bytes);
          saved_after = epochs;
        }
      }
      fits.push_back(end_solve(state));
      if (fits.back().diverged) break;
      if (fits.size() > 1) fits[fits.size() - 2].beta.clear();  // the last fit's coefficients are what a path returns
    }
    return fits;
  }

  // Collective: the coefficients, per column, on every rank.
  std::vector<double> coefficients() {
    const regression_data& d = problem_->data();
    std::vector<double> beta(d.features, 0.0);
    const auto& s = graph_.structure();
    for (local_id v = 0; v < s.num_local_vertices(); ++v)
      if (s.is_master(v) && s.global_id(v) < d.features) beta[s.global_id(v)] = graph_.vertex_data(v).value;
    all_reduce_sum(beta);
    return beta;
  }

  // Collective: the objective and (with_gap) the duality gap of the current
  // coefficients, as lasso_problem defines them, from the vertices' state;
  // also resets the program's running sum of residuals to its exact value.
  // With reprioritise, every feature's priority becomes the one its update
  // would signal now (coordinate_program's measure of a step).
  lasso_measures measure(double lambda, bool with_gap, bool reprioritise = false) {
    const regression_data& d = problem_->data();
    const auto& s = graph_.structure();
    const double n = static_cast<double>(d.samples);
    // Sums over masters: sum u, sum u^2, sum u y, ||beta||_1, nonzeros.
    std::vector<double> sums(5, 0.0);
    double largest = 0;
    for (local_id v = 0; v < s.num_local_vertices(); ++v) {
      if (!s.is_master(v)) continue;
      const vertex_id id = s.global_id(v);
      const double x = graph_.vertex_data(v).value;
      if (id < d.features) {
        sums[3] += std::abs(x);
        sums[4] += x != 0;
        largest = std::max(largest, std::abs(x));
      } else {
        sums[0] += x;
        sums[1] += x * x;
        sums[2] += x * d.target[id - d.features];
      }
    }
    all_reduce_sum(sums);
    if (s.num_ranks() > 1) largest = s.ranks()->all_reduce_max(largest);
    const double u_sum = sums[0];
    engine_->program().set_residual_sum(u_sum);
    lasso_measures m;
    m.intercept = problem_->fits_intercept() ? u_sum / n : 0.0;
    const double b = m.intercept;
    double r_norm2 = sums[1] - 2 * b * u_sum + n * b * b;
    if (r_norm2 < 0) r_norm2 = 0;  // rounding; a NaN stays one
    const double r_dot_y = sums[2] - problem_->target_mean() * u_sum;
    m.objective = r_norm2 / (2 * n) + lambda * sums[3];
    m.nonzeros = static_cast<std::uint64_t>(sums[4]);
    m.largest_coefficient = largest;
    if (!with_gap) return m;

    // X_c^T r: each rank's edges add their terms; the centring term once.
    // The residuals go to one contiguous array first, so that the pass
    // streams the edges' values and targets and finds every residual in a
    // few cache lines.
    residuals_.resize(s.num_local_vertices());
    for (local_id v = 0; v < s.num_local_vertices(); ++v) residuals_[v] = graph_.vertex_data(v).value;
    std::vector<double> dots(d.features, 0.0);
    tbb::parallel_for(tbb::blocked_range<local_id>(0, s.num_local_vertices(), 256), [&](const tbb::blocked_range<local_id>& r) {
      for (local_id v = r.begin(); v != r.end(); ++v) {
        const vertex_id id = s.global_id(v);
        if (id >= d.features) continue;
        dots[id] = sum_range<double>(s.out_begin(v), s.out_end(v),
                                     [&](edge_index e) { return graph_.edge_data(e) * residuals_[s.out_target(e)]; });
      }
    });
    all_reduce_sum(dots);
    double dual_norm = 0;
    for (std::uint64_t j = 0; j < d.features; ++j)
      dual_norm = std::max(dual_norm, std::abs(dots[j] - problem_->column_mean(j) * u_sum));
    if (reprioritise) {
      const std::vector<double> beta = coefficients();
      const double spread = problem_->target_scale() * n;
      std::vector<double> priorities(d.features, 0.0);
      for (std::uint64_t j = 0; j < d.features; ++j) {
        const double norm2 = problem_->centred_norm2(j);
        if (!(norm2 > 0)) continue;
        const double gradient = dots[j] - problem_->column_mean(j) * u_sum;
        const double step = soft_threshold(gradient + beta[j] * norm2, lambda * n) / norm2 - beta[j];
        priorities[j] = spread > 0 ? step * step * norm2 / spread : step * step * norm2;
      }
      engine_->scheduler().set_priorities(priorities);
    }
    const double alpha = lambda * n;
    double gap = r_norm2, scale = 1;
    if (dual_norm > alpha) {
      scale = alpha / dual_norm;
      gap = 0.5 * (r_norm2 + r_norm2 * scale * scale);
    }
    gap += alpha * sums[3] - scale * r_dot_y;
    m.gap = gap / n;
    return m;
  }

 private:
  // A solve under way: what its loop carries from one epoch to the next.
  struct solve_state {
    lasso_fit fit;                  // lambda, rounds and updates so far
    lasso_measures measures;        // after the last epoch
    double mean_set = 0;            // the mean set size of the last epoch
    std::uint64_t kept_before = 0;  // the scheduler's count of candidates run when the solve began
    double divergence_bound = 0;
    double seconds_before = 0;      // spent before a resume
    stopwatch clock;
    bool finished = false;

    double seconds() const { return seconds_before + clock.seconds(); }
    void write_to(wire_writer& w) const {
      write_fit(w, fit);
      w.put(measures);
      w.put(mean_set);
      w.put(kept_before);
      w.put(divergence_bound);
      w.put(seconds());
    }
    void read_from(wire_reader& r) {
      read_fit(r, fit);
      measures = r.get<lasso_measures>();
      mean_set = r.get<double>();
      kept_before = r.get<std::uint64_t>();
      divergence_bound = r.get<double>();
      seconds_before = r.get<double>();
    }
  };

  // A fit's figures, without its coefficients.
  static void write_fit(wire_writer& w, const lasso_fit& f) {
    w.put(f.lambda);
    w.put(f.intercept);
    w.put(f.objective);
    w.put(f.gap);
    w.put(f.nonzeros);
    w.put(f.rounds);
    w.put(f.updates);
    w.put(f.seconds);
    w.put(static_cast<std::uint8_t>(f.converged));
    w.put(static_cast<std::uint8_t>(f.diverged));
  }
  static void read_fit(wire_reader& r, lasso_fit& f) {
    f.lambda = r.get<double>();
    f.intercept = r.get<double>();
    f.objective = r.get<double>();
    f.gap = r.get<double>();
    f.nonzeros = r.get<std::uint64_t>();
    f.rounds = r.get<std::uint64_t>();
    f.updates = r.get<std::uint64_t>();
    f.seconds = r.get<double>();
    f.converged = r.get<std::uint8_t>() != 0;
    f.diverged = r.get<std::uint8_t>() != 0;
  }

  solve_state begin_solve(double lambda, const std::function<void(const lasso_progress&)>& observe) {
    if (!(lambda > 0)) throw usage_error("lambda must be positive");
    solve_state state;
    engine_->program().set_lambda(lambda);
    state.mean_set = settings_.parallel;
    state.kept_before = engine_->scheduler().statistics().kept;
    state.fit.lambda = lambda;
    state.measures = measure(lambda, false);
    const double zero_objective = problem_->target_scale() / 2;  // at beta = 0: ||y_c||^2 / 2n
    state.divergence_bound = 1e6 * std::max(state.measures.objective, zero_objective);
    // At lambda_max and above the solution is all zeros (the definition of
    // lambda_max): set it rather than let rounding leave a 1e-17 coefficient.
    if (lambda >= lambda_max_) {
      set_all_zero();
      state.measures = measure(lambda, true);
      if (observe) observe({lambda, 0, 0, state.seconds(), state.measures});
      state.fit.converged = state.finished = true;
    }
    return state;
  }

  // About m coordinate updates (m / 16 under strads), then the measures.
  void run_epoch(solve_state& state, const std::function<void(const lasso_progress&)>& observe) {
    const regression_data& d = problem_->data();
    coordinate_program& program = engine_->program();
    sets_type& sets = engine_->scheduler();
    lasso_fit& fit = state.fit;
    const double lambda = fit.lambda;
    const bool prioritised = settings_.schedule == set_selection::priority;
    const double epoch_updates = static_cast<double>(d.features) / (prioritised ? strads_refreshes_per_sweep : 1.0);
    const double target = settings_.tol * problem_->target_scale();

    program.reset_changes();
    sets.set_size(settings_.parallel);
    const auto epoch = static_cast<std::uint64_t>(std::ceil(epoch_updates / state.mean_set));
    const std::uint64_t kept_then = sets.statistics().kept;
    const std::uint64_t rounds = engine_->run(std::min(epoch, settings_.max_rounds - fit.rounds)).supersteps;
    fit.rounds += rounds;
    if (rounds > 0) state.mean_set = std::max(1.0, static_cast<double>(sets.statistics().kept - kept_then) / static_cast<double>(rounds));
    // One round with no coordinates delivers the last set's residual changes.
    sets.set_size(0);
    engine_->run(1);
    fit.updates = sets.statistics().kept - state.kept_before;
    const bool out_of_rounds = fit.rounds >= settings_.max_rounds;
    lasso_measures& m = state.measures;
    if (prioritised) {
      m = measure(lambda, true, true);
    } else {
      m = measure(lambda, false);
      const double step = program.changes().largest_step;
      const bool settled = m.largest_coefficient == 0 || step <= settings_.tol * m.largest_coefficient;
      if (settled || out_of_rounds) m = measure(lambda, true);
    }
    if (observe) observe({lambda, fit.rounds, fit.updates, state.seconds(), m});
    fit.converged = !std::isnan(m.gap) && m.gap <= target;
    fit.diverged = !(m.objective <= state.divergence_bound);  // true for NaN too
    state.finished = fit.converged || out_of_rounds || fit.diverged;
  }

  lasso_fit end_solve(solve_state& state) {
    lasso_fit fit = state.fit;
    fit.beta = coefficients();
    fit.intercept = state.measures.intercept;
    fit.objective = state.measures.objective;
    fit.gap = state.measures.gap;
    fit.nonzeros = state.measures.nonzeros;
    fit.seconds = state.seconds();
    return fit;
  }

  // beta = 0: u = y at every sample, U = sum y.
  void set_all_zero() {
    const regression_data& d = problem_->data();
    const auto& s = graph_.structure();
    for (local_id v = 0; v < s.num_local_vertices(); ++v) {
      lasso_vertex& data = graph_.vertex_data(v);
      const vertex_id id = s.global_id(v);
      data.value = id < d.features ? 0.0 : d.target[id - d.features];
      data.step = 0;
    }
  }

  void all_reduce_sum(std::vector<double>& values) {
    const auto& s = graph_.structure();
    if (s.num_ranks() > 1) s.ranks()->all_reduce_sum(std::span<double>(values));
  }

  const lasso_problem* problem_;
  lasso_settings settings_;
  lasso_graph graph_;
  std::unique_ptr<engine_type> engine_;
  double lambda_max_ = 0;
  std::vector<double> residuals_;  // scratch of measure(): each local vertex's value
};

}  // namespace gasworks::lasso
