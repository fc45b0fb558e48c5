#pragma once
// Loopy belief propagation (sum-product) as a vertex program on the
// synchronous engine, with flooding updates: an iteration is two supersteps.
//   variable step  each variable multiplies the messages its factors sent
//                  (gather, over every rank's edges), and on each edge sends
//                  back its prior times the others (scatter);
//   factor step    each factor gathers the messages of its scope, computes
//                  every outgoing message at its master (apply: sum over the
//                  table, damped with the old one), and writes each on its
//                  edge (scatter); apply returns the largest change.
// The run stops when that change falls below the tolerance (or after the
// iteration limit) with one last variable step, whose products give the
// beliefs, and one last factor step that only weighs the factors' beliefs:
// both add their terms of the Bethe estimate of log Z,
//   sum_f sum_x b_f log(psi_f / b_f) + sum_v (d_v - 1) sum_x b_v log b_v.
// The same equations as the serial reference (bp_reference.hpp), so on one
// rank or several the messages agree to rounding.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/comm/wire.hpp"
#include "engine/gas/vertex_program.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/bp/message_product.hpp"
#include "toolkits/bp/message_store.hpp"

namespace gasworks::bp {

// A variable's product of incoming messages, or a factor's outgoing
// messages (concatenated in scope order).
struct bp_vertex {
  message_product product;
  std::vector<double> outgoing;

  void write_to(wire_writer& w) const {
    product.write_to(w);
    w.put(static_cast<std::uint32_t>(outgoing.size()));
    w.put_all(std::span<const double>(outgoing));
  }
  void read_from(wire_reader& r) {
    product.read_from(r);
    outgoing.resize(r.get<std::uint32_t>());
    r.get_all(std::span<double>(outgoing));
  }
};

// What a factor gathers from one edge: the message its variable sent, and
// the message it sent that variable last (for damping and the change).
struct scope_message {
  std::uint32_t position = 0;
  std::vector<double> to_factor;
  std::vector<double> old_to_variable;
};

struct bp_gather {
  message_product product;           // variables
  std::vector<scope_message> scope;  // factors, ascending position

  bp_gather& operator+=(const bp_gather& o) {
    product += o.product;
    if (!o.scope.empty()) {
      scope.insert(scope.end(), o.scope.begin(), o.scope.end());
      std::sort(scope.begin(), scope.end(), [](const auto& a, const auto& b) { return a.position < b.position; });
    }
    return *this;
  }
  void write_to(wire_writer& w) const {
    product.write_to(w);
    w.put(static_cast<std::uint32_t>(scope.size()));
    for (const auto& s : scope) {
      w.put(s.position);
      w.put(static_cast<std::uint32_t>(s.to_factor.size()));
      w.put_all(std::span<const double>(s.to_factor));
      w.put_all(std::span<const double>(s.old_to_variable));
    }
  }
  void read_from(wire_reader& r) {
    product.read_from(r);
    scope.resize(r.get<std::uint32_t>());
    for (auto& s : scope) {
      s.position = r.get<std::uint32_t>();
      const auto n = r.get<std::uint32_t>();
      s.to_factor.resize(n);
      s.old_to_variable.resize(n);
      r.get_all(std::span<double>(s.to_factor));
      r.get_all(std::span<double>(s.old_to_variable));
    }
  }
};

// What a step's applies add up to: the largest change of a message entry
// (combined by maximum) and terms of the Bethe free energy (by sum).
struct step_totals {
  double largest_change = 0;
  double bethe = 0;
  step_totals& operator+=(const step_totals& o) noexcept {
    largest_change = std::max(largest_change, o.largest_change);
    bethe += o.bethe;
    return *this;
  }
};

class bp_program : public program_types<bp_vertex, message_slot> {
 public:
  using gather_type = bp_gather;

  struct settings {
    double damping = 0;       // new message = (1 - damping) computed + damping old
    double tolerance = 1e-9;  // on the largest change of a message entry
    std::uint64_t max_iterations = 10000;
  };

  bp_program(std::shared_ptr<const factor_model> model, const evidence& observed, const settings& s, message_store& messages)
      : model_(std::move(model)), settings_(s), messages_(&messages) {
    priors_.resize(model_->variables());
    for (std::size_t v = 0; v < priors_.size(); ++v) priors_[v].assign(model_->cardinality[v], 1.0);
    for (const auto& [v, value] : observed) {
      std::fill(priors_[v].begin(), priors_[v].end(), 0.0);
      priors_[v][value] = 1.0;
    }
  }

  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type& v) const {
    return is_variable(v.id()) == variable_step_ ? edge_dir::all : edge_dir::none;
  }

  template <class Ctx>
  bp_gather gather_local(const Ctx&, const vertex_type& v, const local_edges<graph_type>& edges) const {
    bp_gather g;
    if (is_variable(v.id())) {
      edges.for_each([&](const edge_type& e) { g.product.multiply(messages_->to_variable(e.data())); });
    } else {
      edges.for_each([&](const edge_type& e) {
        const auto in = messages_->to_factor(e.data());
        const auto old = messages_->to_variable(e.data());
        g.scope.push_back({e.data().position, {in.begin(), in.end()}, {old.begin(), old.end()}});
      });
      std::sort(g.scope.begin(), g.scope.end(), [](const auto& a, const auto& b) { return a.position < b.position; });
    }
    return g;
  }

  template <class Ctx>
  step_totals apply(const Ctx&, vertex_type& v, const bp_gather& total) const {
    if (is_variable(v.id())) {
      v.data().product = total.product;
      if (!finishing_) return {};
      // (d_v - 1) sum_x b_v log b_v, d_v its number of factors.
      double entropy_term = 0;
      for (double p : belief(index_of(v.id()), v.data()))
        if (p > 0) entropy_term += p * std::log(p);
      return {0, (static_cast<double>(v.num_in_edges()) - 1) * entropy_term};
    }
    if (finishing_) return {0, factor_energy(index_of(v.id()), total)};
    return update_factor(index_of(v.id()), total, v.data().outgoing);
  }

  // The last factor step only weighs: it writes no message.
  template <class Ctx>
  edge_dir scatter_edges(const Ctx& ctx, const vertex_type& v) const {
    return finishing_ && !is_variable(v.id()) ? edge_dir::none : gather_edges(ctx, v);
  }

  template <class Ctx>
  void scatter_local(const Ctx&, const vertex_type& v, const local_edges<graph_type>& edges) const {
    if (is_variable(v.id())) {
      const auto& prior = priors_[index_of(v.id())];
      edges.for_each([&](edge_type& e) {
        const auto out = v.data().product.times_without(prior, messages_->to_variable(e.data()));
        std::copy(out.begin(), out.end(), messages_->to_factor(e.data()).begin());
      });
    } else {
      const factor& f = model_->factors[index_of(v.id())];
      edges.for_each([&](edge_type& e) {
        std::size_t at = 0;
        for (std::uint32_t i = 0; i < e.data().position; ++i) at += model_->cardinality[f.scope[i]];
        std::copy_n(v.data().outgoing.begin() + static_cast<std::ptrdiff_t>(at), e.data().size,
                    messages_->to_variable(e.data()).begin());
      });
    }
  }

  template <class View>
  void begin_superstep(View& view) {
    if (view.iteration() == 0) variable_step_ = true;
  }

  template <class View>
  void end_superstep(View& view) {
    if (finishing_) {
      log_partition_ += view.applied_sum().bethe;
      if (!variable_step_) {
        view.stop();
        return;
      }
      variable_step_ = false;
    } else if (variable_step_) {
      variable_step_ = false;
    } else {
      ++iterations_;
      residual_ = view.applied_sum().largest_change;
      view.report("iteration", static_cast<double>(iterations_));
      view.report("residual", residual_);
      converged_ = residual_ < settings_.tolerance;
      // One more variable step gives the beliefs, one more factor step the
      // factors' part of log Z.
      finishing_ = converged_ || iterations_ >= settings_.max_iterations;
      variable_step_ = true;
    }
    view.signal_where([&](const auto& v) { return is_variable(v.id()) == variable_step_; });
  }

  // A variable's belief from its product: its prior times every message.
  std::vector<double> belief(std::uint64_t variable, const bp_vertex& data) const {
    return data.product.times_without(priors_[variable], {});
  }

  // The Bethe estimate of log Z, once the run has ended.
  double log_partition() const noexcept { return log_partition_; }
  std::uint64_t iterations() const noexcept { return iterations_; }
  double residual() const noexcept { return residual_; }
  bool converged() const noexcept { return converged_; }

 private:
  // Every message of factor f from the messages of its scope, damped;
  // returns the largest change.
  step_totals update_factor(std::uint64_t f, const bp_gather& in, std::vector<double>& outgoing) const {
    const factor& fac = model_->factors[f];
    const std::size_t arity = fac.scope.size();
    std::vector<std::size_t> start(arity + 1, 0);
    for (std::size_t i = 0; i < arity; ++i) start[i + 1] = start[i] + model_->cardinality[fac.scope[i]];
    std::vector<double> computed(start[arity], 0.0);
    std::vector<std::uint32_t> x(arity, 0);
    for (std::size_t index = 0; index < fac.table.size(); ++index) {
      for (std::size_t target = 0; target < arity; ++target) {
        double w = fac.table[index];
        for (std::size_t i = 0; i < arity && w != 0; ++i)
          if (i != target) w *= in.scope[i].to_factor[x[i]];
        computed[start[target] + x[target]] += w;
      }
      for (std::size_t i = arity; i-- > 0;) {
        if (++x[i] < model_->cardinality[fac.scope[i]]) break;
        x[i] = 0;
      }
    }
    step_totals change;
    outgoing.resize(start[arity]);
    for (std::size_t target = 0; target < arity; ++target) {
      double sum = 0;
      for (std::size_t k = start[target]; k < start[target + 1]; ++k) sum += computed[k];
      const auto& old = in.scope[target].old_to_variable;
      for (std::size_t k = start[target]; k < start[target + 1]; ++k) {
        const double fresh = sum > 0 ? computed[k] / sum : 0.0;
        const double previous = old[k - start[target]];
        const double damped = (1 - settings_.damping) * fresh + settings_.damping * previous;
        change.largest_change = std::max(change.largest_change, std::abs(damped - previous));
        outgoing[k] = damped;
      }
    }
    return change;
  }

  std::shared_ptr<const factor_model> model_;
  settings settings_;
  message_store* messages_;
  std::vector<std::vector<double>> priors_;  // the indicator of an observed value, else all ones

  // sum_x b_f log(psi_f / b_f), b_f the factor's table times its scope's
  // messages, normalised.
  double factor_energy(std::uint64_t f, const bp_gather& in) const {
    const factor& fac = model_->factors[f];
    const std::size_t arity = fac.scope.size();
    std::vector<double> b(fac.table.size());
    std::vector<std::uint32_t> x(arity, 0);
    double sum = 0;
    for (std::size_t index = 0; index < b.size(); ++index) {
      double w = fac.table[index];
      for (std::size_t i = 0; i < arity; ++i) w *= in.scope[i].to_factor[x[i]];
      b[index] = w;
      sum += w;
      for (std::size_t i = arity; i-- > 0;) {
        if (++x[i] < model_->cardinality[fac.scope[i]]) break;
        x[i] = 0;
      }
    }
    double energy = 0;
    for (std::size_t index = 0; index < b.size(); ++index) {
      const double p = sum > 0 ? b[index] / sum : 0.0;
      if (p > 0) energy += p * std::log(fac.table[index] / p);
    }
    return energy;
  }

  bool variable_step_ = true;
  bool finishing_ = false;
  bool converged_ = false;
  std::uint64_t iterations_ = 0;
  double residual_ = 0;
  double log_partition_ = 0;
};

}  // namespace gasworks::bp
