#pragma once
// A symmetric D x D matrix kept as its lower triangle, column by column:
// D (D + 1) / 2 numbers, half the memory of the full matrix, and a sum of
// such matrices is a plain (vectorised) sum of vectors. Variational ALS
// keeps its factor covariances so, since every rating reads one.
#include <Eigen/Core>

namespace gasworks::cf {

// The lower triangle of m, column by column.
inline Eigen::VectorXd pack_lower(const Eigen::MatrixXd& m) {
  const Eigen::Index d = m.rows();
  Eigen::VectorXd packed(d * (d + 1) / 2);
  Eigen::Index at = 0;
  for (Eigen::Index j = 0; j < d; ++j) {
    packed.segment(at, d - j) = m.col(j).tail(d - j);
    at += d - j;
  }
  return packed;
}

// Adds a packed matrix to the lower triangle of a square block.
template <class Block>
void add_packed_to_lower(const Eigen::VectorXd& packed, Block&& block) {
  const Eigen::Index d = block.rows();
  Eigen::Index at = 0;
  for (Eigen::Index j = 0; j < d; ++j) {
    block.col(j).tail(d - j) += packed.segment(at, d - j);
    at += d - j;
  }
}

// The full symmetric matrix of a packed one of order d.
inline Eigen::MatrixXd unpack_symmetric(const Eigen::VectorXd& packed, Eigen::Index d) {
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(d, d);
  add_packed_to_lower(packed, m);
  m.triangularView<Eigen::StrictlyUpper>() = m.transpose();
  return m;
}

}  // namespace gasworks::cf
