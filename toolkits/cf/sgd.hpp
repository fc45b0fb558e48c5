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
//
// On the asynchronous engine, a vertex steps along its ratings against its
// neighbours' newest factors, then signals them (model_fit.hpp); the result
// then depends on the order of updates.
#include <algorithm>
#include <cmath>
#include <concepts>
#include <functional>
#include <optional>
#include <vector>

#include "toolkits/cf/model_fit.hpp"

namespace gasworks::cf {

struct sgd_options : fit_options {
  double step = 0.02;         // learning rate of the first iteration
  double step_decay = 0.95;   // multiplies the step after each iteration
  bool biased = true;         // add the global mean and per-user/item biases

  // Each rating's step shrinks factors and bias alike, by lambda.
  regularisation penalty() const noexcept { return {.per_rating = lambda, .bias_per_rating = lambda}; }
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

// The SGD update; Base says how updates are run (model_fit.hpp). The step
// of iteration k (from 0) is step * decay^k: on the synchronous engine k is
// the superstep's iteration, on the asynchronous engine the updates done so
// far divided by the number of vertices.
template <class Base>
class basic_sgd_program : public Base {
 public:
  using typename Base::vertex_type;
  using typename Base::edge_type;
  using gather_type = sgd_move;

  basic_sgd_program(const sgd_options& opts, prediction_rule rule) : Base(opts.penalty(), rule), biased_(opts.biased) {
    // Every iteration's step, computed once rather than on every rating.
    steps_.resize(std::max<std::uint64_t>(1, opts.iterations));
    for (std::size_t k = 0; k < steps_.size(); ++k) steps_[k] = opts.step * std::pow(opts.step_decay, static_cast<double>(k));
  }

  template <class View>
  void begin_superstep(View& view)
    requires std::same_as<Base, alternating_program>
  {
    Base::begin_superstep(view);
    step_ = step_of(view.iteration() / 2);
  }

  // One gradient step on this rating, for this vertex only.
  template <class Ctx>
  void gather_into(const Ctx& ctx, const vertex_type& v, const edge_type& e, gather_type& moved) const {
    if (!e.data().trains()) return;
    const latent_vertex& self = v.data();
    const latent_vertex& other = Base::other_side(v, e);
    double step = step_;
    if constexpr (!std::same_as<Base, alternating_program>) step = step_of(ctx.iteration() / ctx.num_vertices());
    const double lambda = this->penalty_.per_rating;
    if (moved.empty()) moved.factors.setZero(self.factors.size());
    ++moved.ratings;
    const double bias = self.bias + moved.bias;
    const double predicted = this->rule_.offset + bias + other.bias + (self.factors + moved.factors).dot(other.factors);
    const double error = e.data().value - predicted;
    moved.factors += step * (error * other.factors - lambda * (self.factors + moved.factors));
    if (biased_) moved.bias += step * (error - lambda * bias);
  }

  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, const gather_type& moved) const {
    latent_vertex& d = v.data();
    if (moved.empty()) {
      d.change = 0;
      return;
    }
    d.change = std::hypot(moved.factors.norm(), moved.bias);
    d.factors += moved.factors;
    d.bias += moved.bias;
  }

 private:
  double step_of(std::uint64_t iteration) const { return steps_[std::min<std::uint64_t>(iteration, steps_.size() - 1)]; }

  std::vector<double> steps_;
  bool biased_;
  double step_ = 0;
};

using sgd_program = basic_sgd_program<alternating_program>;
using gauss_seidel_sgd_program = basic_sgd_program<gauss_seidel_program>;
static_assert(vertex_program<sgd_program>);
static_assert(vertex_program<gauss_seidel_sgd_program>);

template <class Observer = std::function<void(const superstep_report&)>>
fit_result run_sgd(ratings_graph& g, const sgd_options& opts, Observer observer = {}) {
  if (!(opts.step > 0)) throw usage_error("the SGD step must be positive");
  if (!(opts.step_decay > 0 && opts.step_decay <= 1)) throw usage_error("the step decay must lie in (0, 1]");
  return fit_factors<basic_sgd_program>(g, opts, std::move(observer));
}

}  // namespace gasworks::cf
