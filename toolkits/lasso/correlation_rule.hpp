#pragma once
// The dependency rule of STRADS for the Lasso: two features interfere when
// their centred columns' absolute correlation |x_j^T x_k| / (||x_j|| ||x_k||)
// reaches rho, since updating both at once from one residual overshoots
// along their shared direction (Shotgun's divergence, Bradley et al. 2011).
// Correlations are computed when first asked, by merging the two sparse
// columns (x_j - mean_j)^T (x_k - mean_k) = sum_i x_ij x_ik - n mean_j mean_k,
// and cached: the scheduler asks about the same few moving features again
// and again, while the full correlation matrix would cost m^2 entries.
#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "toolkits/lasso/lasso_problem.hpp"

namespace gasworks::lasso {

class correlation_rule {
 public:
  correlation_rule(const lasso_problem& problem, double rho) : problem_(&problem), rho_(rho) {}

  double rho() const noexcept { return rho_; }
  std::uint64_t computed() const noexcept { return computed_; }

  // A rho above 1 turns the rule off (no correlation reaches it).
  bool interferes(std::uint64_t a, std::uint64_t b) { return rho_ <= 1 && std::abs(correlation(a, b)) >= rho_; }

  // The correlation of the centred columns a and b (0 if either is constant).
  double correlation(std::uint64_t a, std::uint64_t b) {
    if (a == b) return 1;
    if (a > b) std::swap(a, b);
    const std::uint64_t key = a * problem_->features() + b;
    if (const auto found = cache_.find(key); found != cache_.end()) return found->second;
    if (cache_.size() >= max_cached) cache_.clear();  // bounded memory; recomputing is cheap
    const double c = compute(a, b);
    cache_.emplace(key, static_cast<float>(c));
    return c;
  }

 private:
  static constexpr std::size_t max_cached = std::size_t{1} << 22;

  double compute(std::uint64_t a, std::uint64_t b) {
    ++computed_;
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
  std::unordered_map<std::uint64_t, float> cache_;
  std::uint64_t computed_ = 0;
};

}  // namespace gasworks::lasso
