#pragma once
// How far computed marginals lie from reference ones (the exact marginals
// of a UAI competition's .MAR file, say), over the variables the evidence
// leaves free: the Hellinger distance per variable,
//   H(p, q) = sqrt(1/2 sum_x (sqrt p(x) - sqrt q(x))^2),
// its mean and maximum, and the largest absolute error of a probability.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "toolkits/bp/factor_model.hpp"

namespace gasworks::bp {

inline double hellinger(const std::vector<double>& p, const std::vector<double>& q) {
  double sum = 0;
  for (std::size_t x = 0; x < p.size(); ++x) {
    const double d = std::sqrt(std::max(p[x], 0.0)) - std::sqrt(std::max(q[x], 0.0));
    sum += d * d;
  }
  return std::sqrt(0.5 * sum);
}

struct marginal_errors {
  std::uint64_t variables = 0;  // compared: the unobserved ones
  double mean_hellinger = 0;
  double max_hellinger = 0;
  double max_absolute = 0;
};

inline marginal_errors compare_marginals(const marginals& computed, const marginals& reference, const evidence& observed) {
  std::vector<bool> skip(computed.size(), false);
  for (const auto& [v, value] : observed) skip[v] = true;
  marginal_errors e;
  for (std::size_t v = 0; v < computed.size(); ++v) {
    if (skip[v]) continue;
    ++e.variables;
    const double h = hellinger(computed[v], reference[v]);
    e.mean_hellinger += h;
    e.max_hellinger = std::max(e.max_hellinger, h);
    for (std::size_t x = 0; x < computed[v].size(); ++x)
      e.max_absolute = std::max(e.max_absolute, std::abs(computed[v][x] - reference[v][x]));
  }
  if (e.variables > 0) e.mean_hellinger /= static_cast<double>(e.variables);
  return e;
}

}  // namespace gasworks::bp
