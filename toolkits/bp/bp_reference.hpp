#pragma once
// Plain serial loopy belief propagation (sum-product, or max-product) on a factor graph,
// written apart from the engine: every message recomputed in each
// iteration (flooding: all variable-to-factor messages, then all
// factor-to-variable messages from them), the latter optionally damped, until the largest change falls below the tolerance. Evidence
// clamps a variable to its value. Also the beliefs and the Bethe estimate of
// log Z, the quantities libDAI reports.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "toolkits/bp/factor_model.hpp"

namespace gasworks::bp::reference {

struct options {
  double damping = 0;         // new message = (1 - damping) * computed + damping * old
  double tolerance = 1e-9;    // on the largest change of a message entry
  std::uint64_t max_iterations = 10000;
  bool max_product = false;   // max instead of sum over the table (MAP)
};

struct result {
  marginals variable_beliefs;
  std::vector<std::vector<double>> factor_beliefs;  // over each factor's table
  double log_partition = 0;                         // the Bethe estimate
  std::uint64_t iterations = 0;
  double residual = 0;  // largest change in the last iteration
  bool converged = false;
};

namespace detail {

inline void normalize(std::vector<double>& p) {
  double s = 0;
  for (double x : p) s += x;
  if (s > 0)
    for (double& x : p) x /= s;
}

}  // namespace detail

inline result run(const factor_model& m, const evidence& observed = {}, const options& o = {}) {
  const std::size_t n = m.variables(), f_count = m.factors.size();
  // Clamping: a variable's prior is the indicator of its observed value.
  std::vector<std::vector<double>> prior(n);
  for (std::size_t v = 0; v < n; ++v) prior[v].assign(m.cardinality[v], 1.0);
  for (const auto& [v, value] : observed) {
    std::fill(prior[v].begin(), prior[v].end(), 0.0);
    prior[v][value] = 1.0;
  }
  // Edges: (factor, position in its scope); messages both ways on each.
  struct edge {
    std::size_t factor, position;
    variable_id variable;
  };
  std::vector<edge> edges;
  std::vector<std::vector<std::size_t>> edges_of_variable(n);
  for (std::size_t f = 0; f < f_count; ++f)
    for (std::size_t i = 0; i < m.factors[f].scope.size(); ++i) {
      edges_of_variable[m.factors[f].scope[i]].push_back(edges.size());
      edges.push_back({f, i, m.factors[f].scope[i]});
    }
  std::vector<std::size_t> first_edge(f_count + 1, 0);
  for (std::size_t f = 0; f < f_count; ++f) first_edge[f + 1] = first_edge[f] + m.factors[f].scope.size();
  std::vector<std::vector<double>> to_factor(edges.size()), to_variable(edges.size());
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto c = m.cardinality[edges[e].variable];
    to_factor[e].assign(c, 1.0 / c);
    to_variable[e].assign(c, 1.0 / c);
  }

  // Variable-to-factor: the prior times the other factors' messages.
  const auto variable_message = [&](std::size_t e) {
    std::vector<double> out = prior[edges[e].variable];
    for (std::size_t other : edges_of_variable[edges[e].variable])
      if (other != e)
        for (std::size_t x = 0; x < out.size(); ++x) out[x] *= to_variable[other][x];
    detail::normalize(out);
    return out;
  };
  // Factor-to-variable: sum over the table of the factor times the other
  // variables' messages.
  const auto factor_message = [&](std::size_t e) {
    const factor& fac = m.factors[edges[e].factor];
    const std::size_t target = edges[e].position, arity = fac.scope.size();
    std::vector<double> out(m.cardinality[edges[e].variable], 0.0);
    std::vector<std::uint32_t> x(arity, 0);
    for (std::size_t index = 0; index < fac.table.size(); ++index) {
      double w = fac.table[index];
      for (std::size_t i = 0; i < arity; ++i)
        if (i != target) w *= to_factor[first_edge[edges[e].factor] + i][x[i]];
      out[x[target]] = o.max_product ? std::max(out[x[target]], w) : out[x[target]] + w;
      for (std::size_t i = arity; i-- > 0;) {
        if (++x[i] < m.cardinality[fac.scope[i]]) break;
        x[i] = 0;
      }
    }
    detail::normalize(out);
    return out;
  };

  result r;
  for (r.iterations = 0; r.iterations < o.max_iterations;) {
    ++r.iterations;
    // Each iteration: every variable-to-factor message from the last
    // factor-to-variable ones, then every factor-to-variable message from those.
    std::vector<std::vector<double>> next_to_factor(edges.size()), next_to_variable(edges.size());
    for (std::size_t e = 0; e < edges.size(); ++e) next_to_factor[e] = variable_message(e);
    to_factor = std::move(next_to_factor);
    for (std::size_t e = 0; e < edges.size(); ++e) next_to_variable[e] = factor_message(e);
    double residual = 0;
    for (std::size_t e = 0; e < edges.size(); ++e)
      for (std::size_t x = 0; x < next_to_variable[e].size(); ++x) {
        const double updated = (1 - o.damping) * next_to_variable[e][x] + o.damping * to_variable[e][x];
        residual = std::max(residual, std::abs(updated - to_variable[e][x]));
        next_to_variable[e][x] = updated;
      }
    to_variable = std::move(next_to_variable);
    r.residual = residual;
    if (residual < o.tolerance) {
      r.converged = true;
      break;
    }
  }
  // Final variable-to-factor messages from the final factor messages.
  for (std::size_t e = 0; e < edges.size(); ++e) to_factor[e] = variable_message(e);

  // Beliefs and the Bethe free energy:
  //   log Z ~ sum_f sum_x b_f log(psi_f / b_f) + sum_v (d_v - 1) sum_x b_v log b_v
  r.variable_beliefs.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    std::vector<double> b = prior[v];
    for (std::size_t e : edges_of_variable[v])
      for (std::size_t x = 0; x < b.size(); ++x) b[x] *= to_variable[e][x];
    detail::normalize(b);
    r.variable_beliefs[v] = b;
    double entropy_term = 0;
    for (double p : b)
      if (p > 0) entropy_term += p * std::log(p);
    r.log_partition += (static_cast<double>(edges_of_variable[v].size()) - 1) * entropy_term;
  }
  r.factor_beliefs.resize(f_count);
  for (std::size_t f = 0; f < f_count; ++f) {
    const factor& fac = m.factors[f];
    std::vector<double> b(fac.table.size());
    std::vector<std::uint32_t> x(fac.scope.size(), 0);
    for (std::size_t index = 0; index < b.size(); ++index) {
      double w = fac.table[index];
      for (std::size_t i = 0; i < fac.scope.size(); ++i) w *= to_factor[first_edge[f] + i][x[i]];
      b[index] = w;
      for (std::size_t i = fac.scope.size(); i-- > 0;) {
        if (++x[i] < m.cardinality[fac.scope[i]]) break;
        x[i] = 0;
      }
    }
    detail::normalize(b);
    for (std::size_t index = 0; index < b.size(); ++index)
      if (b[index] > 0) r.log_partition += b[index] * std::log(fac.table[index] / b[index]);
    r.factor_beliefs[f] = std::move(b);
  }
  // (A variable without factors has degree 0: the sum above adds the
  // entropy of its uniform belief, log of its cardinality, as Z does.)
  return r;
}

}  // namespace gasworks::bp::reference
