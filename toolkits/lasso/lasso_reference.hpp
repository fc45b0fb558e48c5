#pragma once
// Plain serial cyclic coordinate descent for the Lasso, written apart from
// the engine: dense centred columns, features in order, each coordinate set
// to its exact minimiser given the others,
//   beta_j <- S(x_j^T r + beta_j ||x_j||^2, lambda n) / ||x_j||^2,
// S the soft threshold, r updated after each change; a sweep over every
// feature is a round, and the run stops when the duality gap falls to
// tol * ||y_c||^2 / n (scikit-learn's rule) or after max_rounds.
#include <cmath>
#include <cstdint>
#include <vector>

#include "toolkits/lasso/lasso_problem.hpp"

namespace gasworks::lasso::reference {

struct result {
  std::vector<double> beta;
  double intercept = 0;
  double objective = 0;
  double gap = 0;
  std::uint64_t rounds = 0;
  std::uint64_t updates = 0;  // coordinate updates
  bool converged = false;
};

inline double soft_threshold(double z, double t) { return z > t ? z - t : (z < -t ? z + t : 0.0); }

inline result cyclic_descent(const lasso_problem& p, double lambda, double tol = 1e-6, std::uint64_t max_rounds = 100000,
                             std::vector<double> start = {}) {
  const regression_data& d = p.data();
  const std::uint64_t n = d.samples, m = d.features;
  // Dense centred columns.
  std::vector<std::vector<double>> x(m, std::vector<double>(n, 0.0));
  for (std::uint64_t j = 0; j < m; ++j) {
    for (std::uint64_t k = d.column_start[j]; k < d.column_start[j + 1]; ++k) x[j][d.sample[k]] = d.value[k];
    for (double& v : x[j]) v -= p.column_mean(j);
  }
  std::vector<double> norm2(m, 0.0);
  for (std::uint64_t j = 0; j < m; ++j)
    for (double v : x[j]) norm2[j] += v * v;
  result r;
  r.beta = start.empty() ? std::vector<double>(m, 0.0) : std::move(start);
  std::vector<double> residual = p.residual(r.beta);
  const double threshold = lambda * static_cast<double>(n);
  const double target = tol * p.target_scale();
  while (r.rounds < max_rounds) {
    ++r.rounds;
    for (std::uint64_t j = 0; j < m; ++j) {
      if (norm2[j] == 0) continue;
      double dot = 0;
      for (std::uint64_t i = 0; i < n; ++i) dot += x[j][i] * residual[i];
      const double updated = soft_threshold(dot + r.beta[j] * norm2[j], threshold) / norm2[j];
      const double delta = updated - r.beta[j];
      ++r.updates;
      if (delta == 0) continue;
      for (std::uint64_t i = 0; i < n; ++i) residual[i] -= delta * x[j][i];
      r.beta[j] = updated;
    }
    r.gap = p.duality_gap(r.beta, lambda);
    if (r.gap <= target) {
      r.converged = true;
      break;
    }
  }
  r.intercept = p.intercept(r.beta);
  r.objective = p.objective(r.beta, lambda);
  return r;
}

}  // namespace gasworks::lasso::reference
