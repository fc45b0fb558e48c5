#pragma once
// The two halves of a vertex's update that touch its edges, shared by every
// schedule: collecting the messages it receives (gather) and writing the
// messages it sends (scatter), each sent message compared with the one it
// replaces so that a schedule can act on the change.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "toolkits/bp/bp_vertex.hpp"
#include "toolkits/bp/factor_messages.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/bp/message_store.hpp"

namespace gasworks::bp {

// Each variable's prior: the indicator of its observed value, else all ones.
inline std::vector<std::vector<double>> clamped_priors(const factor_model& m, const evidence& observed) {
  std::vector<std::vector<double>> priors(m.variables());
  for (std::size_t v = 0; v < priors.size(); ++v) priors[v].assign(m.cardinality[v], 1.0);
  for (const auto& [v, value] : observed) {
    std::fill(priors[v].begin(), priors[v].end(), 0.0);
    priors[v][value] = 1.0;
  }
  return priors;
}

// A variable multiplies the messages of its factors (in logarithms when
// `in_logs`); a factor collects the messages of its scope with the ones it
// sent last (bp_gather's layout).
template <class Edges>
bp_gather gather_incoming(const factor_model& m, vertex_id id, const Edges& edges, const message_store& store, bool in_logs) {
  bp_gather g;
  if (is_variable(id)) {
    g.product = message_product(in_logs);
    edges.for_each([&](const auto& e) { g.product.multiply(store.to_variable(e.data())); });
    return g;
  }
  thread_local std::vector<std::size_t> start;
  message_starts(m, m.factors[index_of(id)], start);
  g.scope.assign(2 * start.back(), 0.0);
  edges.for_each([&](const auto& e) {
    const std::size_t i = e.data().position;
    const auto in = store.to_factor(e.data());
    const auto old = store.to_variable(e.data());
    std::copy(in.begin(), in.end(), g.scope.begin() + static_cast<std::ptrdiff_t>(2 * start[i]));
    std::copy(old.begin(), old.end(), g.scope.begin() + static_cast<std::ptrdiff_t>(start[i] + start[i + 1]));
  });
  return g;
}

// The largest change of an entry between two messages.
inline double message_change(std::span<const double> a, std::span<const double> b) {
  double change = 0;
  for (std::size_t x = 0; x < a.size(); ++x) change = std::max(change, std::abs(a[x] - b[x]));
  return change;
}

// On each edge, the variable's prior times every message but the edge's own;
// changed(edge, largest change of an entry).
template <class Edges, class Changed>
void send_variable_messages(const bp_vertex& v, const std::vector<double>& prior, const Edges& edges, message_store& store,
                            Changed&& changed) {
  thread_local std::vector<double> out;
  out.resize(prior.size());
  edges.for_each([&](auto& e) {
    v.product.times_without(prior, store.to_variable(e.data()), out);
    const auto slot = store.to_factor(e.data());
    const double change = message_change(out, slot);
    std::copy(out.begin(), out.end(), slot.begin());
    changed(e, change);
  });
}

// On each edge, the factor's message for that position of its scope (from
// its outgoing messages, concatenated in scope order).
template <class Edges, class Changed>
void send_factor_messages(const factor_model& m, const factor& f, const bp_vertex& v, const Edges& edges, message_store& store,
                          Changed&& changed) {
  edges.for_each([&](auto& e) {
    std::size_t at = 0;
    for (std::uint32_t i = 0; i < e.data().position; ++i) at += m.cardinality[f.scope[i]];
    const std::span<const double> out(v.outgoing.data() + at, e.data().size);
    const auto slot = store.to_variable(e.data());
    const double change = message_change(out, slot);
    std::copy(out.begin(), out.end(), slot.begin());
    changed(e, change);
  });
}

}  // namespace gasworks::bp
