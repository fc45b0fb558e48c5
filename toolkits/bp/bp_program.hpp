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

#include "engine/gas/vertex_program.hpp"
#include "toolkits/bp/bp_settings.hpp"
#include "toolkits/bp/bp_vertex.hpp"
#include "toolkits/bp/factor_messages.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/bp/message_store.hpp"
#include "toolkits/bp/vertex_messages.hpp"

namespace gasworks::bp {

class bp_program : public program_types<bp_vertex, message_slot> {
 public:
  using gather_type = bp_gather;

  using settings = bp_settings;

  bp_program(std::shared_ptr<const factor_model> model, const evidence& observed, const settings& s, message_store& messages)
      : model_(std::move(model)), settings_(s), messages_(&messages), priors_(clamped_priors(*model_, observed)) {}

  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type& v) const {
    return is_variable(v.id()) == variable_step_ ? edge_dir::all : edge_dir::none;
  }

  template <class Ctx>
  bp_gather gather_local(const Ctx&, const vertex_type& v, const local_edges<graph_type>& edges) const {
    return gather_incoming(*model_, v.id(), edges, *messages_, settings_.log_domain);
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
    if (finishing_) {
      const factor& fac = model_->factors[index_of(v.id())];
      return {0, factor_bethe_term(*model_, fac, total.incoming(message_starts(*model_, fac)))};
    }
    return update_factor(index_of(v.id()), total, v.data().outgoing);
  }

  // The last factor step only weighs: it writes no message.
  template <class Ctx>
  edge_dir scatter_edges(const Ctx& ctx, const vertex_type& v) const {
    return finishing_ && !is_variable(v.id()) ? edge_dir::none : gather_edges(ctx, v);
  }

  template <class Ctx>
  void scatter_local(const Ctx&, const vertex_type& v, const local_edges<graph_type>& edges) const {
    const auto ignore = [](const auto&, double) {};
    if (is_variable(v.id())) send_variable_messages(v.data(), priors_[index_of(v.id())], edges, *messages_, ignore);
    else send_factor_messages(*model_, model_->factors[index_of(v.id())], v.data(), edges, *messages_, ignore);
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

  // What a checkpoint keeps between supersteps: where the schedule stands,
  // the last residual and every message.
  void save_state(wire_writer& w) const {
    w.put(static_cast<std::uint8_t>(variable_step_));
    w.put(static_cast<std::uint8_t>(finishing_));
    w.put(static_cast<std::uint8_t>(converged_));
    w.put(iterations_);
    w.put(residual_);
    w.put(log_partition_);
    messages_->write_to(w);
  }
  void restore_state(wire_reader& r) {
    variable_step_ = r.get<std::uint8_t>() != 0;
    finishing_ = r.get<std::uint8_t>() != 0;
    converged_ = r.get<std::uint8_t>() != 0;
    iterations_ = r.get<std::uint64_t>();
    residual_ = r.get<double>();
    log_partition_ = r.get<double>();
    messages_->read_from(r);
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
    thread_local std::vector<std::size_t> start;
    message_starts(*model_, fac, start);
    compute_factor_messages(*model_, fac, start, in.incoming(start), settings_.task, settings_.log_domain, outgoing);
    step_totals change;
    for (std::size_t i = 0; i < fac.scope.size(); ++i) {
      const std::span<double> fresh(outgoing.data() + start[i], start[i + 1] - start[i]);
      change.largest_change = std::max(change.largest_change, damp(fresh, in.sent(start, i), settings_.damping));
    }
    return change;
  }

  std::shared_ptr<const factor_model> model_;
  settings settings_;
  message_store* messages_;
  std::vector<std::vector<double>> priors_;  // the indicator of an observed value, else all ones

  bool variable_step_ = true;
  bool finishing_ = false;
  bool converged_ = false;
  std::uint64_t iterations_ = 0;
  double residual_ = 0;
  double log_partition_ = 0;
};

}  // namespace gasworks::bp
