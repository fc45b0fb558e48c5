#pragma once
// Lasso coordinate descent as a vertex program on the features-samples
// graph (lasso_graph.hpp). A feature vertex j holds its coefficient beta_j;
// a sample vertex i its residual without intercept u_i = y_i - x_i beta.
//
// Updating feature j gathers sum_i x_ij u_i over its samples. With the best
// intercept b = sum_i u_i / n, the centred gradient is
//   g_j = sum_i (x_ij - mean_j)(u_i - b) = sum_i x_ij u_i - mean_j U,
// U = sum_i u_i, so a sparse column stays sparse. apply sets beta_j to the
// exact minimiser given the others,
//   beta_j <- S(g_j + beta_j ||x_j - mean_j||^2, lambda n) / ||x_j - mean_j||^2,
// and scatter sends -step x_ij to each sample, which adds it to u_i in its
// init before the next set reads it. U changes by -step * n * mean_j: applies
// return that change and end_phase adds the phase's total on every rank.
//
// Every update signals the feature itself with the priority STRADS samples
// by: its step's share of the target's spread, step^2 ||x_j - mean_j||^2 /
// ||y - mean(y)||^2 (scale-free, so one exploration constant fits any data).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/gas/vertex_program.hpp"
#include "toolkits/lasso/lasso_graph.hpp"

namespace gasworks::lasso {

inline double soft_threshold(double z, double t) noexcept { return z > t ? z - t : (z < -t ? z + t : 0.0); }

// What a phase's applies return, summed over the phase (and an epoch's phases).
struct phase_change {
  double residual_sum = 0;         // change of U = sum_i u_i
  double largest_step = 0;         // max |step|
  double largest_coefficient = 0;  // max |beta_j| among the updated
  phase_change& operator+=(const phase_change& o) noexcept {
    residual_sum += o.residual_sum;
    largest_step = std::max(largest_step, o.largest_step);
    largest_coefficient = std::max(largest_coefficient, o.largest_coefficient);
    return *this;
  }
};

class coordinate_program : public program_types<lasso_vertex, double> {
 public:
  using gather_type = double;
  using message_type = double;  // a change of a sample's residual

  coordinate_program(std::uint64_t features, double samples, double residual_sum, double target_spread)
      : features_(features), n_(samples), residual_sum_(residual_sum),
        priority_scale_(target_spread > 0 ? 1 / target_spread : 1) {}

  bool is_feature(const vertex_type& v) const noexcept { return v.id() < features_; }

  void set_lambda(double lambda) noexcept { threshold_ = lambda * n_; }
  double residual_sum() const noexcept { return residual_sum_; }
  // The exact sum, measured over the samples, replaces the running one.
  void set_residual_sum(double u) noexcept { residual_sum_ = u; }
  // What the phases changed since the last reset (largest steps, for the
  // test that decides when to measure the duality gap).
  const phase_change& changes() const noexcept { return changes_; }
  void reset_changes() noexcept { changes_ = {}; }

  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type& v) const noexcept {
    return is_feature(v) ? edge_dir::out : edge_dir::none;
  }
  template <class Ctx>
  double gather(const Ctx&, const vertex_type&, const edge_type& e) const noexcept {
    return e.data() * e.target().data().value;
  }

  template <class Ctx>
  void init(const Ctx&, vertex_type& v, const double& residual_change) const noexcept {
    if (!is_feature(v)) v.data().value += residual_change;
  }

  template <class Ctx>
  phase_change apply(const Ctx&, vertex_type& v, const double& dot) const noexcept {
    if (!is_feature(v)) return {};
    lasso_vertex& d = v.data();
    d.step = 0;
    if (d.norm2 <= 0) return {};  // a constant column: its centred values are all zero
    const double gradient = dot - d.mean * residual_sum_;
    const double updated = soft_threshold(gradient + d.value * d.norm2, threshold_) / d.norm2;
    d.step = updated - d.value;
    d.value = updated;
    return {-d.step * d.mean * n_, std::abs(d.step), std::abs(updated)};
  }

  template <class Ctx>
  edge_dir scatter_edges(const Ctx&, const vertex_type& v) const noexcept {
    return is_feature(v) ? edge_dir::out : edge_dir::none;
  }
  template <class Ctx, class Edges>
  void scatter_local(const Ctx& ctx, const vertex_type& v, const Edges& edges) const {
    const lasso_vertex& d = v.data();
    if (d.step != 0) edges.for_each([&](const edge_type& e) { ctx.signal(e.target(), -d.step * e.data()); });
    ctx.signal(v, priority{d.step * d.step * d.norm2 * priority_scale_});
  }

  void end_phase(const phase_change& c) noexcept {
    residual_sum_ += c.residual_sum;
    changes_ += c;
  }

 private:
  std::uint64_t features_;
  double n_;
  double residual_sum_;
  double priority_scale_;
  double threshold_ = 0;  // lambda n
  phase_change changes_;
};

}  // namespace gasworks::lasso
