#pragma once
// Alternating least squares (ALS) with weighted-lambda regularisation
// (Zhou et al., "Large-scale parallel collaborative filtering for the
// Netflix prize", 2008), as a vertex program.
//
// With the other side's factors fixed, each user u solves
//     (sum over its ratings of v v^T  +  lambda * n_u * I) f_u = sum r v
// exactly (Cholesky, LLT), n_u being its number of training ratings; then
// each item does the same with the users' new factors. The gather sums the
// normal equations over the vertex's ratings in place; the apply solves.
// Optionally with biases: prediction = mean + b_u + b_i + f_u . f_i, each
// vertex then solving for (b, f) against the ratings minus the mean and the
// other side's bias (the vector (1, f_other) in place of f_other).
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
  bool biased = false;  // fit the global mean and a bias per user and item too
};

// One ALS update; Base says how updates are run (model_fit.hpp).
template <class Base>
class basic_als_program : public Base {
 public:
  using typename Base::vertex_type;
  using typename Base::edge_type;
  using gather_type = normal_equations;

  basic_als_program(const als_options& opts, prediction_rule rule) : Base(opts.lambda, rule), biased_(opts.biased) {}

  template <class Ctx>
  void gather_into(const Ctx&, const vertex_type& v, const edge_type& e, gather_type& total) const {
    if (!e.data().trains()) return;
    const latent_vertex& other = Base::other_side(v, e);
    // With biases, the unknowns are (b, f) and the target r - mean - b_other.
    if (biased_) total.add_with_bias(other.factors, e.data().value - this->rule_.offset - other.bias);
    else total.add(other.factors, e.data().value);
  }

  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, const gather_type& total) const {
    if (total.count == 0) return;  // no training rating: nothing to fit
    const Eigen::VectorXd x = solve(total, this->lambda_);
    latent_vertex& d = v.data();
    if (biased_) {
      d.change = std::hypot((x.tail(x.size() - 1) - d.factors).norm(), x[0] - d.bias);
      d.bias = x[0];
      d.factors = x.tail(x.size() - 1);
    } else {
      d.change = (x - d.factors).norm();
      d.factors = x;
    }
  }

  // The least-squares solution of one vertex's normal equations.
  static Eigen::VectorXd solve(const normal_equations& eq, double lambda) {
    Eigen::MatrixXd a = eq.gram;
    a.diagonal().array() += lambda * static_cast<double>(eq.count);
    const Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> cholesky(a);
    if (cholesky.info() == Eigen::Success) return cholesky.solve(eq.rhs);
    // Only without regularisation can the system be singular: take the
    // least-squares solution of the semidefinite system instead.
    return a.selfadjointView<Eigen::Lower>().ldlt().solve(eq.rhs);
  }

 private:
  bool biased_;
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
