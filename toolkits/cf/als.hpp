#pragma once
// Alternating least squares (ALS) with weighted-lambda regularisation
// (Zhou et al., "Large-scale parallel collaborative filtering for the
// Netflix prize", 2008), as a vertex program.
//
// With the other side's factors fixed, each user u solves
//     (sum over its ratings of v v^T  +  (lambda n_u + prior) I) f_u = sum r v
// exactly (Cholesky, LLT), n_u being its number of training ratings; then
// each item does the same with the users' new factors. The gather sums the
// normal equations over the vertex's ratings in place; the apply solves.
// Optionally with biases: prediction = mean + b_u + b_i + f_u . f_i, each
// vertex then solving for (b, f) against the ratings minus the mean and the
// other side's bias (the vector (1, f_other) in place of f_other).
// The prior (a fixed precision, 0 by default) shrinks most the vertices with
// few ratings; a bias has its own regularisation, not scaled by n.
//
// Variational ALS (Lim and Teh, "Variational Bayesian approach to movie
// rating prediction", 2007) solves the same systems, but each vertex also
// keeps the covariance of its factors, sigma^2 A^-1, and a vertex's system
// adds its neighbours' covariances to sum v v^T: it fits against what is
// known of its neighbours rather than their point estimates, so the more
// uncertain they are, the more its own factors are shrunk. sigma^2 is the
// mean squared training error of the latest fit.
//
// On the synchronous engine, results do not depend on threads or ranks
// beyond summation order. On the asynchronous engine each vertex solves
// against its neighbours' newest factors (Gauss-Seidel), under edge
// consistency so that no neighbour changes while it reads them; the result
// then depends on the order in which the scheduler runs the vertices.
#include <cmath>
#include <functional>
#include <optional>
#include <vector>

#include <Eigen/Cholesky>

#include "toolkits/cf/model_fit.hpp"
#include "toolkits/cf/normal_equations.hpp"

namespace gasworks::cf {

struct als_options : fit_options {
  bool biased = false;       // fit the global mean and a bias per user and item too
  double prior = 0;          // regularisation of the factors, not scaled by the rating count
  double bias_lambda = 0;    // regularisation of a bias, not scaled by the rating count
  bool variational = false;  // variational Bayes: also carry each vertex's factor covariance

  // Factors: lambda n + prior; biases: bias_lambda.
  regularisation penalty() const noexcept { return {.per_rating = lambda, .fixed = prior, .bias_fixed = bias_lambda}; }
};

// The solution of one vertex's regularised normal equations A x = b, and,
// when asked for, A^-1.
struct als_solution {
  Eigen::VectorXd x;
  Eigen::MatrixXd inverse;
};

// One ALS update; Base says how updates are run (model_fit.hpp).
template <class Base>
class basic_als_program : public Base {
 public:
  using typename Base::vertex_type;
  using typename Base::edge_type;
  using gather_type = normal_equations;

  basic_als_program(const als_options& opts, prediction_rule rule)
      : Base(opts.penalty(), rule), biased_(opts.biased), variational_(opts.variational) {}

  template <class Ctx>
  void gather_into(const Ctx&, const vertex_type& v, const edge_type& e, gather_type& total) const {
    if (!e.data().trains()) return;
    const latent_vertex& other = Base::other_side(v, e);
    // With biases, the unknowns are (b, f) and the target r - mean - b_other.
    if (biased_) total.add_with_bias(other.factors, e.data().value - this->rule_.offset - other.bias);
    else total.add(other.factors, e.data().value);
    // Variational: the expectation of v v^T is v v^T plus v's covariance.
    if (variational_ && other.covariance.size() > 0) total.add_covariance(other.covariance);
  }

  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, const gather_type& total) const {
    if (total.count == 0) return;  // no training rating: nothing to fit
    const als_solution s = solve(total, this->penalty_, biased_, variational_);
    const Eigen::Index d = total.gram.rows() - (biased_ ? 1 : 0);
    latent_vertex& data = v.data();
    const auto factors = s.x.tail(d);
    data.change = biased_ ? std::hypot((factors - data.factors).norm(), s.x[0] - data.bias) : (factors - data.factors).norm();
    if (biased_) data.bias = s.x[0];
    data.factors = factors;
    // The posterior covariance of the factors is sigma^2 A^-1, sigma^2 being
    // the noise variance, estimated by the latest mean squared training error.
    if (variational_) data.covariance = pack_lower(this->training_mse() * s.inverse.bottomRightCorner(d, d));
  }

  // Solves one vertex's normal equations, regularised as `penalty` says (the
  // first unknown being the bias if `biased`).
  static als_solution solve(const normal_equations& eq, const regularisation& penalty, bool biased, bool with_inverse) {
    const Eigen::Index d = eq.gram.rows() - (biased ? 1 : 0);
    Eigen::MatrixXd a = eq.expected_gram(d);
    a.diagonal().tail(d).array() += penalty.of_factors(eq.count);
    if (biased) a(0, 0) += penalty.of_bias(eq.count);
    als_solution s;
    const Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> cholesky(a);
    if (cholesky.info() == Eigen::Success) {
      s.x = cholesky.solve(eq.rhs);
      if (with_inverse) s.inverse = cholesky.solve(Eigen::MatrixXd::Identity(a.rows(), a.cols()));
      return s;
    }
    // Only without regularisation can the system be singular: take the
    // least-squares solution of the semidefinite system instead.
    const auto ldlt = a.selfadjointView<Eigen::Lower>().ldlt();
    s.x = ldlt.solve(eq.rhs);
    if (with_inverse) s.inverse = ldlt.solve(Eigen::MatrixXd::Identity(a.rows(), a.cols()));
    return s;
  }

 private:
  bool biased_;
  bool variational_;
};

using als_program = basic_als_program<alternating_program>;
using gauss_seidel_als_program = basic_als_program<gauss_seidel_program>;
static_assert(vertex_program<als_program>);
static_assert(vertex_program<gauss_seidel_als_program>);

// Fits the graph's factors by ALS; observer(superstep_report) after every superstep.
template <class Observer = std::function<void(const superstep_report&)>>
fit_result run_als(ratings_graph& g, const als_options& opts, Observer observer = {}) {
  return fit_factors<basic_als_program>(g, opts, std::move(observer));
}

}  // namespace gasworks::cf
