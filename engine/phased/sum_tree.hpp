#pragma once
// Nonnegative weights with their running sums, for drawing an index with
// probability proportional to its weight: a change and a draw each cost
// O(log n), where a cumulative table would cost O(n) per change.
//
// A complete binary tree over the weights (leaves in an array, node k the
// sum of nodes 2k and 2k + 1). A change recomputes its leaf's ancestors from
// their children rather than adding the difference, so a subtree of zero
// weights sums to exactly zero however often its weights changed: a draw
// never lands on a zero weight, and no rounding drift needs repairing.
#include <cstdint>
#include <span>
#include <vector>

namespace gasworks {

class sum_tree {
 public:
  sum_tree() = default;
  sum_tree(std::uint64_t n, double weight) { assign(n, weight); }

  std::uint64_t size() const noexcept { return size_; }
  double weight(std::uint64_t i) const noexcept { return node_[leaves_ + i]; }
  double total() const noexcept { return node_.empty() ? 0.0 : node_[1]; }

  // Every weight set to `weight`.
  void assign(std::uint64_t n, double weight) { assign(std::vector<double>(n, weight)); }

  // The weights given, sums rebuilt in O(n).
  void assign(std::span<const double> weights) {
    size_ = weights.size();
    leaves_ = 1;
    while (leaves_ < size_) leaves_ *= 2;
    node_.assign(2 * leaves_, 0.0);
    for (std::uint64_t i = 0; i < size_; ++i) node_[leaves_ + i] = weights[i];
    for (std::uint64_t k = leaves_ - 1; k >= 1; --k) node_[k] = node_[2 * k] + node_[2 * k + 1];
  }

  void set(std::uint64_t i, double weight) {
    std::uint64_t k = leaves_ + i;
    node_[k] = weight;
    for (k /= 2; k >= 1; k /= 2) node_[k] = node_[2 * k] + node_[2 * k + 1];
  }

  // The index i whose weight covers the point u of [0, total()): the sum of
  // the weights before i is <= u < that sum plus weight(i).
  std::uint64_t find(double u) const noexcept {
    std::uint64_t k = 1;
    while (k < leaves_) {
      if (u < node_[2 * k]) {
        k = 2 * k;
      } else {
        u -= node_[2 * k];
        k = 2 * k + 1;
      }
    }
    // u at or past the total (a caller's rounding) ends on the right edge.
    const std::uint64_t i = k - leaves_;
    return i < size_ ? i : size_ - 1;
  }

 private:
  std::uint64_t size_ = 0;
  std::uint64_t leaves_ = 1;  // a power of two >= size_
  std::vector<double> node_;  // node_[1] the root, leaves at [leaves_, leaves_ + size_)
};

}  // namespace gasworks
