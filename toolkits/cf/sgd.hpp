#pragma once
// Matrix factorization by stochastic gradient descent (Funk; Koren, Bell
// and Volinsky, "Matrix factorization techniques for recommender systems",
// 2009), as a vertex program, optionally with biases:
//
//   prediction(u, i) = [mu + b_u + b_i +] f_u . f_i
//
// Each rating (u, i, r) takes a gradient step on the squared error plus
// lambda times the squared norms: with e = r - prediction,
//     f_u += step (e f_i - lambda f_u),   b_u += step (e - lambda b_u).
// The steps are taken from the vertex program's gather: a user walks its
// ratings in order, stepping its own factors while the items' stay fixed;
// then each item does the same with the users' new factors. The step shrinks
// by --step-decay after each iteration.
//
// On several ranks, the ratings of a user (or item) may lie on several
// ranks: each rank steps from the same starting factors through its own
// ratings, and the master takes the mean of the ranks' moves weighted by
// their rating counts. Results are reproducible for a given layout of
// ranks, and do not depend on the thread count.
#include <cmath>
#include <functional>
#include <vector>

#include "toolkits/cf/model_fit.hpp"

namespace gasworks::cf {

struct sgd_options : fit_options {
  double step = 0.02;         // learning rate of the first iteration
  double step_decay = 0.95;   // multiplies the step after each iteration
  bool biased = true;         // add the global mean and per-user/item biases
};

// The gather type of SGD: how far a vertex's steps along its ratings on one
// rank moved its factors and bias, and over how many ratings. Moves made on
// several ranks from the same start combine into their mean weighted by
// ratings (iterative parameter mixing, McDonald et al. 2010): their sum
// would overshoot, since each rank's steps already approach the optimum of
// its own ratings. Empty (no rating) is the identity of +=.
struct sgd_move {
  Eigen::VectorXd factors;
  double bias = 0;
  std::uint32_t ratings = 0;

  bool empty() const noexcept { return ratings == 0; }

  sgd_move& operator+=(const sgd_move& o) {
    if (o.empty()) return *this;
    if (empty()) return *this = o;
    const double total = static_cast<double>(ratings) + static_cast<double>(o.ratings);
    const double mine = static_cast<double>(ratings) / total, theirs = static_cast<double>(o.ratings) / total;
    factors = mine * factors + theirs * o.factors;
    bias = mine * bias + theirs * o.bias;
    ratings += o.ratings;
    return *this;
  }

  void write_to(wire_writer& w) const {
    write_factors(w, factors);
    w.put(bias);
    w.put(ratings);
  }
  void read_from(wire_reader& r) {
    read_factors(r, factors);
    bias = r.get<double>();
    ratings = r.get<std::uint32_t>();
  }
};

class sgd_program : public alternating_program {
 public:
  using gather_type = sgd_move;

  sgd_program(const sgd_options& opts, prediction_rule rule)
      : alternating_program(opts.lambda, rule), first_step_(opts.step), decay_(opts.step_decay), biased_(opts.biased) {}

  template <class View>
  void begin_superstep(View& view) {
    alternating_program::begin_superstep(view);
    step_ = first_step_ * std::pow(decay_, static_cast<double>(view.iteration() / 2));
  }

  // One gradient step on this rating, for this vertex only.
  template <class Ctx>
  void gather_into(const Ctx&, const vertex_type& v, const edge_type& e, gather_type& moved) const {
    if (!e.data().trains()) return;
    const latent_vertex& self = v.data();
    const latent_vertex& other = other_side(v, e);
    if (moved.empty()) moved.factors.setZero(self.factors.size());
    ++moved.ratings;
    const double bias = self.bias + moved.bias;
    const double predicted = rule_.offset + bias + other.bias + (self.factors + moved.factors).dot(other.factors);
    const double error = e.data().value - predicted;
    moved.factors += step_ * (error * other.factors - lambda_ * (self.factors + moved.factors));
    if (biased_) moved.bias += step_ * (error - lambda_ * bias);
  }

  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, const gather_type& moved) const {
    if (moved.empty()) return;
    v.data().factors += moved.factors;
    v.data().bias += moved.bias;
  }

 private:
  double first_step_;
  double decay_;
  bool biased_;
  double step_ = 0;
};

static_assert(vertex_program<sgd_program>);

template <class Observer = std::function<void(const superstep_report&)>>
fit_result run_sgd(ratings_graph& g, const sgd_options& opts, Observer observer = {}) {
  if (!(opts.step > 0)) throw usage_error("the SGD step must be positive");
  if (!(opts.step_decay > 0 && opts.step_decay <= 1)) throw usage_error("the step decay must lie in (0, 1]");
  fit_result result;
  result.rule = prepare_model(g, opts, opts.biased);
  sgd_program program(opts, result.rule);
  result.run = run_alternating(g, program, opts, std::move(observer));
  result.history = program.history();
  return result;
}

}  // namespace gasworks::cf
