#pragma once
// Nonnegative weights with their running sums (a Fenwick tree), for drawing
// an index with probability proportional to its weight: a change and a draw
// each cost O(log n), where a cumulative table would cost O(n) per change.
#include <cstdint>
#include <span>
#include <vector>

namespace gasworks {

class sum_tree {
 public:
  sum_tree() = default;
  sum_tree(std::uint64_t n, double weight) { assign(n, weight); }

  std::uint64_t size() const noexcept { return weight_.size(); }
  double weight(std::uint64_t i) const noexcept { return weight_[i]; }
  double total() const noexcept { return total_; }

  // Every weight set to `weight`, sums rebuilt in O(n).
  void assign(std::uint64_t n, double weight) {
    weight_.assign(n, weight);
    rebuild();
  }

  // The weights given, sums rebuilt in O(n).
  void assign(std::span<const double> weights) {
    weight_.assign(weights.begin(), weights.end());
    rebuild();
  }

  void set(std::uint64_t i, double weight) {
    const double change = weight - weight_[i];
    weight_[i] = weight;
    total_ += change;
    for (std::uint64_t k = i + 1; k <= weight_.size(); k += k & (~k + 1)) tree_[k] += change;
    // Changes by difference drift with rounding; exact sums now and then.
    if (++changes_ >= weight_.size() + 64) rebuild();
  }

  // The index i whose weight covers the point u of [0, total()): the sums of
  // the weights before i is <= u < the same plus weight(i). Zero weights are
  // never found.
  std::uint64_t find(double u) const noexcept {
    std::uint64_t at = 0;  // 1-based tree position reached
    std::uint64_t step = 1;
    while (step * 2 <= weight_.size()) step *= 2;
    for (; step > 0; step /= 2) {
      const std::uint64_t next = at + step;
      if (next <= weight_.size() && tree_[next] <= u) {
        u -= tree_[next];
        at = next;
      }
    }
    // Rounding may leave u at the very end, or on a zero weight: step back
    // to the last index with weight.
    std::uint64_t i = at < weight_.size() ? at : weight_.size() - 1;
    while (i > 0 && weight_[i] <= 0) --i;
    return i;
  }

 private:
  void rebuild() {
    tree_.assign(weight_.size() + 1, 0.0);
    total_ = 0;
    for (std::uint64_t i = 0; i < weight_.size(); ++i) {
      tree_[i + 1] += weight_[i];
      total_ += weight_[i];
      const std::uint64_t parent = (i + 1) + ((i + 1) & (~(i + 1) + 1));
      if (parent <= weight_.size()) tree_[parent] += tree_[i + 1];
    }
    changes_ = 0;
  }

  std::vector<double> weight_;
  std::vector<double> tree_;  // tree_[k]: the sum of the weights in (k - lowbit(k), k], 1-based
  double total_ = 0;
  std::uint64_t changes_ = 0;
};

}  // namespace gasworks
