#pragma once
// The dependency rule of STRADS for the Lasso: features whose centred
// columns correlate, |x_j^T x_k| / (||x_j|| ||x_k||), by rho or more never run
// in one set, since updating both at once from one residual overshoots
// along their shared direction (Shotgun's divergence, Bradley et al. 2011).
//
// Pairwise bounds alone do not prevent overshooting: a set of features each
// correlated by less than rho with every other can still overshoot together
// (32 features at 0.4 in 72 samples do). A set's simultaneous update is a
// proximal gradient step of length 1 in the columns' own scale, which
// decreases the objective whenever the largest eigenvalue of the set's
// correlation matrix is below 2 (F(x+) <= F(x) - (1 - L/2) ||step||^2). So
// the rule also keeps every row's sum of |correlations| with the rest of the
// set below 1 (Gershgorin's bound then puts every eigenvalue below 2): no
// set can make the objective grow, at any P.
//
// Correlations are computed when asked and cached: the scheduler asks about
// the same few moving features again and again, while the full correlation
// matrix would cost m^2 entries. When the centred, normalised columns fit in
// 64 MB as dense vectors (n x m <= 2^23: leukemia's 72 x 7129 takes 4 MB), a
// correlation is one dense dot product, a few nanoseconds per sample.
// Otherwise the two sparse columns are merged,
// (x_j - mean_j)^T (x_k - mean_k) = sum_i x_ij x_ik - n mean_j mean_k.
// The cache is direct-mapped (a pair has one slot, which a colliding pair
// takes over): a lookup is a hash and one comparison, where even a dense dot
// product costs n multiplications, and its memory is fixed.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/core/mix_hash.hpp"
#include "toolkits/lasso/lasso_problem.hpp"

namespace gasworks::lasso {

class correlation_rule {
 public:
  correlation_rule(const lasso_problem& problem, double rho) : problem_(&problem), rho_(rho) {
    const regression_data& d = problem.data();
    if (!enabled()) return;
    // About one slot per pair among the features, up to 2^20 slots (16 MB).
    const std::uint64_t pairs = d.features * d.features / 2;
    cache_.assign(std::bit_ceil(std::clamp<std::uint64_t>(pairs, 64, max_cached)), cached_pair{});
    if (d.samples * d.features > dense_limit) return;
    // Column j, centred and scaled to unit norm (zero if it is constant).
    dense_.assign(d.samples * d.features, 0.0);
    for (std::uint64_t j = 0; j < d.features; ++j) {
      double* column = dense_.data() + j * d.samples;
      for (std::uint64_t k = d.column_start[j]; k < d.column_start[j + 1]; ++k) column[d.sample[k]] = d.value[k];
      const double norm2 = problem.centred_norm2(j);
      const double scale = norm2 > 0 ? 1 / std::sqrt(norm2) : 0.0;
      for (std::uint64_t i = 0; i < d.samples; ++i) column[i] = (column[i] - problem.column_mean(j)) * scale;
    }
  }

  double rho() const noexcept { return rho_; }
  std::uint64_t computed() const noexcept { return computed_; }

  // A rho above 1 turns the rule off: every candidate is admitted.
  bool enabled() const noexcept { return rho_ <= 1; }

  void begin_set() {
    members_.clear();
    row_sums_.clear();
  }

  // Admits c if it correlates by less than rho with every member and the
  // set's rows of |correlations| all stay below 1 with it.
  bool admit(std::uint64_t c) {
    if (!enabled()) return true;
    correlations_.clear();
    double row = 0;
    for (std::size_t k = 0; k < members_.size(); ++k) {
      const double r = std::abs(correlation(members_[k], c));
      if (r >= rho_ || row_sums_[k] + r >= 1) return false;
      row += r;
      correlations_.push_back(r);
    }
    if (row >= 1) return false;
    for (std::size_t k = 0; k < members_.size(); ++k) row_sums_[k] += correlations_[k];
    members_.push_back(c);
    row_sums_.push_back(row);
    return true;
  }

  // The correlation of the centred columns a and b (0 if either is constant).
  double correlation(std::uint64_t a, std::uint64_t b) {
    if (a == b) return 1;
    if (a > b) std::swap(a, b);
    if (cache_.empty()) return sparse_correlation(a, b);  // the rule is off: nothing kept
    const std::uint64_t key = a * problem_->features() + b;
    cached_pair& slot = cache_[mix_hash(key) & (cache_.size() - 1)];
    if (slot.key != key) {
      ++computed_;
      slot.key = key;
      slot.value = dense_.empty() ? sparse_correlation(a, b) : dense_dot(a, b);
    }
    return slot.value;
  }

 private:
  static constexpr std::uint64_t max_cached = std::uint64_t{1} << 20;
  static constexpr std::uint64_t dense_limit = std::uint64_t{1} << 23;

  // Four partial sums, so that consecutive additions do not wait on each other.
  double dense_dot(std::uint64_t a, std::uint64_t b) const {
    const std::uint64_t n = problem_->samples();
    const double* x = dense_.data() + a * n;
    const double* y = dense_.data() + b * n;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::uint64_t i = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += x[i] * y[i];
      s1 += x[i + 1] * y[i + 1];
      s2 += x[i + 2] * y[i + 2];
      s3 += x[i + 3] * y[i + 3];
    }
    for (; i < n; ++i) s0 += x[i] * y[i];
    return (s0 + s1) + (s2 + s3);
  }

  double sparse_correlation(std::uint64_t a, std::uint64_t b) const {
    const double norms = problem_->centred_norm2(a) * problem_->centred_norm2(b);
    if (!(norms > 0)) return 0;
    const regression_data& d = problem_->data();
    double dot = 0;
    std::uint64_t p = d.column_start[a], q = d.column_start[b];
    const std::uint64_t p_end = d.column_start[a + 1], q_end = d.column_start[b + 1];
    while (p < p_end && q < q_end) {
      if (d.sample[p] < d.sample[q]) ++p;
      else if (d.sample[q] < d.sample[p]) ++q;
      else dot += d.value[p++] * d.value[q++];
    }
    const double n = static_cast<double>(d.samples);
    dot -= n * problem_->column_mean(a) * problem_->column_mean(b);
    return dot / std::sqrt(norms);
  }

  const lasso_problem* problem_;
  double rho_;
  std::vector<std::uint64_t> members_;  // this set's admitted candidates
  std::vector<double> row_sums_;        // per member, the sum of its |correlations| with the others
  std::vector<double> correlations_;    // scratch: the candidate's with each member
  std::vector<double> dense_;  // column j at [j n, (j + 1) n), when small enough
  // A slot holds the pair a * m + b (a < b) and its correlation; no pair has
  // the empty slot's key, as b < m.
  struct cached_pair {
    std::uint64_t key = ~std::uint64_t{0};
    double value = 0;
  };
  std::vector<cached_pair> cache_;
  std::uint64_t computed_ = 0;
};

}  // namespace gasworks::lasso
