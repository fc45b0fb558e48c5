#pragma once
// Exact marginals, log partition function and most probable assignment of a
// small model by visiting every joint assignment: the oracle that belief propagation is checked
// against on trees (where it is exact) and measured against on loops.
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "toolkits/bp/factor_model.hpp"

namespace gasworks::bp {

struct exact_result {
  marginals probability;
  double log_partition = 0;  // log Z, evidence included
  std::vector<std::uint32_t> most_probable;  // a joint assignment of the largest weight (the first found)
};

// Throws std::length_error above `max_assignments` joint assignments.
inline exact_result exact_marginals(const factor_model& m, const evidence& observed = {},
                                    std::uint64_t max_assignments = std::uint64_t{1} << 22) {
  const std::size_t n = m.variables();
  std::uint64_t assignments = 1;
  for (auto c : m.cardinality) {
    assignments *= c;
    if (assignments > max_assignments) throw std::length_error("too many joint assignments to enumerate");
  }
  std::vector<std::int64_t> fixed(n, -1);
  for (const auto& [v, value] : observed) fixed[v] = value;
  exact_result r;
  r.probability.resize(n);
  for (std::size_t v = 0; v < n; ++v) r.probability[v].assign(m.cardinality[v], 0.0);
  std::vector<std::uint32_t> x(n, 0);
  double z = 0, best = -1;
  for (std::uint64_t a = 0; a < assignments; ++a) {
    bool consistent = true;
    for (std::size_t v = 0; v < n && consistent; ++v) consistent = fixed[v] < 0 || fixed[v] == x[v];
    if (consistent) {
      double weight = 1;
      for (const factor& f : m.factors) {
        std::uint64_t index = 0;
        for (variable_id v : f.scope) index = index * m.cardinality[v] + x[v];
        weight *= f.table[index];
      }
      z += weight;
      if (weight > best) {
        best = weight;
        r.most_probable = x;
      }
      for (std::size_t v = 0; v < n; ++v) r.probability[v][x[v]] += weight;
    }
    // The next assignment, the last variable fastest.
    for (std::size_t v = n; v-- > 0;) {
      if (++x[v] < m.cardinality[v]) break;
      x[v] = 0;
    }
  }
  if (!(z > 0)) throw std::domain_error("the model gives every assignment zero weight");
  for (auto& p : r.probability)
    for (double& q : p) q /= z;
  r.log_partition = std::log(z);
  return r;
}

}  // namespace gasworks::bp
