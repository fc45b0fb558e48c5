#pragma once
// The factor side of belief propagation: the message a factor sends each
// variable of its scope,
//   m_{f->v}(x_v) ∝ combine over x_{scope \ v} of psi_f(x) prod_{u != v} m_{u->f}(x_u),
// with combine = sum (sum-product, marginals) or max (max-product, MAP),
// normalised; and the factor's term of the Bethe estimate of log Z. Tables
// are row-major, the scope's last variable changing fastest.
//
// In the log domain every weight is a sum of logarithms and the combination
// a log-sum-exp (or a maximum), so tables and messages whose products fall
// below the smallest double still give their messages.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "toolkits/bp/bp_settings.hpp"
#include "toolkits/bp/factor_model.hpp"

namespace gasworks::bp {

namespace detail {

// Advances x, a value of every scope variable, to the next table entry.
inline void next_assignment(std::vector<std::uint32_t>& x, const factor_model& m, const factor& fac) {
  for (std::size_t i = x.size(); i-- > 0;) {
    if (++x[i] < m.cardinality[fac.scope[i]]) return;
    x[i] = 0;
  }
}

inline void normalize(std::span<double> p) {
  double sum = 0;
  for (double x : p) sum += x;
  if (sum > 0)
    for (double& x : p) x /= sum;
}

}  // namespace detail

// Where each scope position's message starts in the concatenated outgoing
// messages (and the total at the end), into `start`.
inline void message_starts(const factor_model& m, const factor& fac, std::vector<std::size_t>& start) {
  start.assign(fac.scope.size() + 1, 0);
  for (std::size_t i = 0; i < fac.scope.size(); ++i) start[i + 1] = start[i] + m.cardinality[fac.scope[i]];
}

inline std::vector<std::size_t> message_starts(const factor_model& m, const factor& fac) {
  std::vector<std::size_t> start;
  message_starts(m, fac, start);
  return start;
}

// Every message of `fac` into `out` (concatenated in scope order, normalised);
// incoming(i) is the message from the variable at scope position i, and
// `start` the factor's message_starts.
template <class Incoming>
void compute_factor_messages(const factor_model& m, const factor& fac, std::span<const std::size_t> start, Incoming&& incoming,
                             bp_task task, bool log_domain, std::vector<double>& out) {
  const std::size_t arity = fac.scope.size();
  // Scratch kept per thread: a factor update allocates nothing once warm.
  thread_local std::vector<std::uint32_t> x;
  x.assign(arity, 0);
  const bool max_product = task == bp_task::map;
  if (!log_domain && arity == 2) {
    // Pairwise factors (grids, images) in two plain passes over the table:
    // out_0(a) = sum_b psi(a, b) m_1(b), out_1(b) = sum_a psi(a, b) m_0(a).
    const std::size_t rows = start[1], columns = start[2] - start[1];
    const auto m0 = incoming(0);
    const auto m1 = incoming(1);
    out.assign(start[2], 0.0);
    const double* table = fac.table.entries().data();
    for (std::size_t a = 0; a < rows; ++a) {
      const double* row = table + a * columns;
      double to_first = 0;
      for (std::size_t b = 0; b < columns; ++b) {
        const double w = row[b];
        if (max_product) {
          to_first = std::max(to_first, w * m1[b]);
          out[rows + b] = std::max(out[rows + b], w * m0[a]);
        } else {
          to_first += w * m1[b];
          out[rows + b] += w * m0[a];
        }
      }
      out[a] = to_first;
    }
  } else if (!log_domain) {
    out.assign(start[arity], 0.0);
    for (std::size_t index = 0; index < fac.table.size(); ++index, detail::next_assignment(x, m, fac)) {
      if (fac.table[index] == 0) continue;
      for (std::size_t target = 0; target < arity; ++target) {
        double w = fac.table[index];
        for (std::size_t i = 0; i < arity && w != 0; ++i)
          if (i != target) w *= incoming(i)[x[i]];
        double& slot = out[start[target] + x[target]];
        slot = max_product ? std::max(slot, w) : slot + w;
      }
    }
  } else {
    // Logs of the incoming messages, then per outgoing entry the largest log
    // weight seen and the sum of exp(log weight - that largest).
    thread_local std::vector<double> log_in, top, scaled;
    log_in.resize(start[arity]);
    for (std::size_t i = 0; i < arity; ++i) {
      const auto in = incoming(i);
      for (std::size_t k = 0; k < in.size(); ++k) log_in[start[i] + k] = in[k] > 0 ? std::log(in[k]) : -INFINITY;
    }
    top.assign(start[arity], -INFINITY);
    scaled.assign(start[arity], 0.0);
    for (std::size_t index = 0; index < fac.table.size(); ++index, detail::next_assignment(x, m, fac)) {
      if (!(fac.table[index] > 0)) continue;
      const double log_psi = std::log(fac.table[index]);
      for (std::size_t target = 0; target < arity; ++target) {
        double lw = log_psi;
        for (std::size_t i = 0; i < arity; ++i)
          if (i != target) lw += log_in[start[i] + x[i]];
        if (lw == -INFINITY) continue;
        const std::size_t k = start[target] + x[target];
        if (max_product) {
          top[k] = std::max(top[k], lw);
        } else if (lw > top[k]) {
          scaled[k] = scaled[k] * std::exp(top[k] - lw) + 1.0;
          top[k] = lw;
        } else {
          scaled[k] += std::exp(lw - top[k]);
        }
      }
    }
    out.assign(start[arity], 0.0);
    for (std::size_t target = 0; target < arity; ++target) {
      double largest = -INFINITY;
      for (std::size_t k = start[target]; k < start[target + 1]; ++k) largest = std::max(largest, top[k]);
      if (largest == -INFINITY) continue;
      for (std::size_t k = start[target]; k < start[target + 1]; ++k)
        out[k] = top[k] == -INFINITY ? 0.0 : (max_product ? 1.0 : scaled[k]) * std::exp(top[k] - largest);
    }
  }
  for (std::size_t target = 0; target < arity; ++target)
    detail::normalize(std::span<double>(out).subspan(start[target], start[target + 1] - start[target]));
}

// Mixes a fresh message with the old one, fresh <- (1 - damping) fresh +
// damping old, and returns the largest change of an entry.
inline double damp(std::span<double> fresh, std::span<const double> old, double damping) {
  double change = 0;
  for (std::size_t k = 0; k < fresh.size(); ++k) {
    fresh[k] = (1 - damping) * fresh[k] + damping * old[k];
    change = std::max(change, std::abs(fresh[k] - old[k]));
  }
  return change;
}

// The factor's term of the Bethe estimate of log Z, sum_x b_f log(psi_f / b_f),
// b_f the table times every incoming message, normalised.
template <class Incoming>
double factor_bethe_term(const factor_model& m, const factor& fac, Incoming&& incoming) {
  const std::size_t arity = fac.scope.size();
  std::vector<double> b(fac.table.size());
  std::vector<std::uint32_t> x(arity, 0);
  for (std::size_t index = 0; index < b.size(); ++index, detail::next_assignment(x, m, fac)) {
    double w = fac.table[index];
    for (std::size_t i = 0; i < arity; ++i) w *= incoming(i)[x[i]];
    b[index] = w;
  }
  detail::normalize(b);
  double term = 0;
  for (std::size_t index = 0; index < b.size(); ++index)
    if (b[index] > 0) term += b[index] * std::log(fac.table[index] / b[index]);
  return term;
}

}  // namespace gasworks::bp
