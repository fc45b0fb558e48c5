#pragma once
// The gather type of ALS: the normal equations of one vertex's least-squares
// problem, summed over its training ratings (r, neighbour factors v):
//     gram = sum v v^T  (lower triangle only),  rhs = sum r v,  count = ratings.
// An empty value (rank 0) is the identity of +=, so the engine can start
// every vertex from normal_equations{} without knowing the rank.
#include <cstdint>
#include <span>

#include <Eigen/Core>

#include "engine/comm/wire.hpp"
#include "toolkits/cf/latent_vertex.hpp"
#include "toolkits/cf/packed_symmetric.hpp"

namespace gasworks::cf {

struct normal_equations {
  Eigen::MatrixXd gram;
  Eigen::VectorXd rhs;
  std::uint32_t count = 0;
  Eigen::VectorXd uncertainty;  // variational ALS: sum of the neighbours' packed covariances

  bool empty() const noexcept { return rhs.size() == 0; }

  void add(const Eigen::VectorXd& v, double rating) {
    if (empty()) {
      gram.setZero(v.size(), v.size());
      rhs.setZero(v.size());
    }
    gram.selfadjointView<Eigen::Lower>().rankUpdate(v);
    rhs.noalias() += rating * v;
    ++count;
  }

  // The same for the vector (1, v): the first unknown is then a bias.
  void add_with_bias(const Eigen::VectorXd& v, double rating) {
    const Eigen::Index d = v.size();
    if (empty()) {
      gram.setZero(d + 1, d + 1);
      rhs.setZero(d + 1);
    }
    gram(0, 0) += 1;
    gram.col(0).tail(d) += v;
    gram.bottomRightCorner(d, d).selfadjointView<Eigen::Lower>().rankUpdate(v);
    rhs[0] += rating;
    rhs.tail(d).noalias() += rating * v;
    ++count;
  }

  // Adds the packed covariance of a neighbour's factors: with it, v v^T
  // becomes the expectation of v v^T. Kept apart from gram, as a vector sum.
  void add_covariance(const Eigen::VectorXd& packed) {
    if (uncertainty.size() == 0) uncertainty = packed;
    else uncertainty += packed;
  }

  // The Gram matrix with the summed covariances added to its block of the
  // last `factors` unknowns (all of them, or all but a leading bias); lower
  // triangle only.
  Eigen::MatrixXd expected_gram(Eigen::Index factors) const {
    Eigen::MatrixXd a = gram;
    if (uncertainty.size() > 0) add_packed_to_lower(uncertainty, a.bottomRightCorner(factors, factors));
    return a;
  }

  normal_equations& operator+=(const normal_equations& o) {
    if (o.empty()) return *this;
    if (empty()) return *this = o;
    gram.triangularView<Eigen::Lower>() += o.gram;
    rhs += o.rhs;
    count += o.count;
    if (o.uncertainty.size() > 0) add_covariance(o.uncertainty);
    return *this;
  }

  // Crosses ranks as rank, count, the lower triangle by columns, rhs, then
  // the summed covariances.
  void write_to(wire_writer& w) const {
    const auto d = static_cast<std::uint32_t>(rhs.size());
    w.put(d);
    w.put(count);
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(d); ++j)
      w.put_all(std::span<const double>(&gram(j, j), static_cast<std::size_t>(d - j)));
    w.put_all(std::span<const double>(rhs.data(), d));
    write_factors(w, uncertainty);
  }
  void read_from(wire_reader& r) {
    const auto d = r.get<std::uint32_t>();
    count = r.get<std::uint32_t>();
    if (d == 0) {
      gram.resize(0, 0);
      rhs.resize(0);
      read_factors(r, uncertainty);
      return;
    }
    gram.setZero(d, d);
    rhs.resize(d);
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(d); ++j)
      r.get_all(std::span<double>(&gram(j, j), static_cast<std::size_t>(d - j)));
    r.get_all(std::span<double>(rhs.data(), d));
    read_factors(r, uncertainty);
  }
};

}  // namespace gasworks::cf
