#pragma once
// The Lasso problem with an unpenalised intercept, as scikit-learn states it:
//   minimise over (beta, b)   (1/2n) ||y - X beta - b||^2 + lambda ||beta||_1.
// For any beta the best intercept is b = mean(y) - mean(X) beta, which turns
// the problem into one on centred columns and target; centring is kept
// implicit (x_ij - mean_j) so that a sparse design stays sparse.
// Without an intercept (fit_intercept false) nothing is centred: the means
// are taken as zero. Measures of a solution: the objective, the smallest lambda whose solution
// is all zeros (lambda_max = ||X_c^T y_c||_inf / n), the duality gap as
// scikit-learn computes it (divided by n, in the objective's units), and
// the KKT conditions' largest violation.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "toolkits/lasso/regression_file.hpp"

namespace gasworks::lasso {

class lasso_problem {
 public:
  explicit lasso_problem(const regression_data& d, bool fit_intercept = true)
      : data_(&d), n_(static_cast<double>(d.samples)), fit_intercept_(fit_intercept) {
    if (fit_intercept) {
      for (double y : d.target) target_mean_ += y;
      target_mean_ /= n_;
    }
    for (double y : d.target) target_scale_ += (y - target_mean_) * (y - target_mean_);
    target_scale_ /= n_;
    column_mean_.assign(d.features, 0.0);
    centred_norm2_.assign(d.features, 0.0);
    for (std::uint64_t j = 0; j < d.features; ++j) {
      double sum = 0, squares = 0;
      for (std::uint64_t k = d.column_start[j]; k < d.column_start[j + 1]; ++k) {
        sum += d.value[k];
        squares += d.value[k] * d.value[k];
      }
      column_mean_[j] = fit_intercept ? sum / n_ : 0.0;
      // sum_i (x_ij - m_j)^2 = sum x^2 - n m^2
      centred_norm2_[j] = std::max(0.0, squares - n_ * column_mean_[j] * column_mean_[j]);
    }
  }

  const regression_data& data() const noexcept { return *data_; }
  bool fits_intercept() const noexcept { return fit_intercept_; }
  double target_mean() const noexcept { return target_mean_; }
  std::uint64_t samples() const noexcept { return data_->samples; }
  std::uint64_t features() const noexcept { return data_->features; }
  double column_mean(std::uint64_t j) const noexcept { return column_mean_[j]; }
  // sum_i (x_ij - mean_j)^2
  double centred_norm2(std::uint64_t j) const noexcept { return centred_norm2_[j]; }
  // ||y - mean(y)||^2 / n (||y||^2 / n without intercept): the scale of the
  // stopping rule gap <= tol * this.
  double target_scale() const noexcept { return target_scale_; }

  double intercept(const std::vector<double>& beta) const {
    double b = target_mean_;
    for (std::uint64_t j = 0; j < features(); ++j) b -= column_mean_[j] * beta[j];
    return b;
  }

  // r_i = y_i - x_i beta - b, with the best intercept b (so sum r_i = 0).
  std::vector<double> residual(const std::vector<double>& beta) const {
    const regression_data& d = *data_;
    std::vector<double> r(d.target);
    for (std::uint64_t j = 0; j < d.features; ++j)
      if (beta[j] != 0)
        for (std::uint64_t k = d.column_start[j]; k < d.column_start[j + 1]; ++k) r[d.sample[k]] -= d.value[k] * beta[j];
    const double b = intercept(beta);
    for (double& x : r) x -= b;
    return r;
  }

  // (X_c^T r)_j / n for every feature.
  std::vector<double> correlations(const std::vector<double>& r) const {
    const regression_data& d = *data_;
    double sum_r = 0;
    for (double x : r) sum_r += x;
    std::vector<double> c(d.features);
    for (std::uint64_t j = 0; j < d.features; ++j) {
      double dot = 0;
      for (std::uint64_t k = d.column_start[j]; k < d.column_start[j + 1]; ++k) dot += d.value[k] * r[d.sample[k]];
      c[j] = (dot - column_mean_[j] * sum_r) / n_;
    }
    return c;
  }

  double lambda_max() const {
    std::vector<double> zero(features(), 0.0);
    double largest = 0;
    for (double c : correlations(residual(zero))) largest = std::max(largest, std::abs(c));
    return largest;
  }

  double objective(const std::vector<double>& beta, double lambda) const {
    double loss = 0;
    for (double x : residual(beta)) loss += x * x;
    return loss / (2 * n_) + lambda * l1_norm(beta);
  }

  // scikit-learn's duality gap (enet_coordinate_descent with l2 penalty 0),
  // divided by n: a dual point is the residual scaled into the constraint
  // ||X_c^T theta||_inf <= lambda n.
  double duality_gap(const std::vector<double>& beta, double lambda) const {
    const std::vector<double> r = residual(beta);
    double r_norm2 = 0, r_dot_y = 0;
    for (std::uint64_t i = 0; i < samples(); ++i) {
      r_norm2 += r[i] * r[i];
      r_dot_y += r[i] * (data_->target[i] - target_mean_);
    }
    double dual_norm = 0;
    for (double c : correlations(r)) dual_norm = std::max(dual_norm, std::abs(c) * n_);
    const double alpha = lambda * n_;
    double gap = 0, scale = 1;
    if (dual_norm > alpha) {
      scale = alpha / dual_norm;
      gap = 0.5 * (r_norm2 + r_norm2 * scale * scale);
    } else {
      gap = r_norm2;
    }
    gap += alpha * l1_norm(beta) - scale * r_dot_y;
    return gap / n_;
  }

  // The largest violation of the KKT conditions, in units of lambda:
  // |c_j| <= lambda where beta_j = 0, c_j = lambda sign(beta_j) elsewhere,
  // c = X_c^T r / n.
  double kkt_violation(const std::vector<double>& beta, double lambda) const {
    const std::vector<double> c = correlations(residual(beta));
    double worst = 0;
    for (std::uint64_t j = 0; j < features(); ++j) {
      const double v = beta[j] == 0 ? std::max(0.0, std::abs(c[j]) - lambda) : std::abs(c[j] - lambda * (beta[j] > 0 ? 1 : -1));
      worst = std::max(worst, v / lambda);
    }
    return worst;
  }

  static double l1_norm(const std::vector<double>& beta) {
    double s = 0;
    for (double b : beta) s += std::abs(b);
    return s;
  }

 private:
  const regression_data* data_;
  double n_;
  bool fit_intercept_;
  double target_mean_ = 0;
  double target_scale_ = 0;
  std::vector<double> column_mean_;
  std::vector<double> centred_norm2_;
};

}  // namespace gasworks::lasso
