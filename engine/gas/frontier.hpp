#pragma once
// The set of vertices active in a superstep.
//
// Membership is a bitmap, so concurrent signals cost one atomic OR and
// duplicates vanish. Traversal adapts to density: a sparse frontier is first
// compacted into a list of ids, so a few active vertices cost only the word
// scan (n/64 reads) plus their own work; a dense one is walked word by word.
#include <atomic>
#include <bit>
#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include "engine/core/types.hpp"

namespace gasworks {

class frontier {
 public:
  // Below this fraction of vertices, traversal goes through a compacted list.
  static constexpr double sparse_fraction = 1.0 / 32;

  frontier() = default;
  explicit frontier(local_id n) : size_(n), words_((std::size_t{n} + 63) / 64, 0) {}

  local_id universe() const noexcept { return size_; }

  // Safe to call from many threads at once. True if v was not yet a member.
  bool insert(local_id v) noexcept {
    const std::uint64_t bit = std::uint64_t{1} << (v % 64);
    std::atomic_ref<std::uint64_t> word(words_[v / 64]);
    if (word.load(std::memory_order_relaxed) & bit) return false;
    return !(word.fetch_or(bit, std::memory_order_relaxed) & bit);
  }

  // insert(v) for a caller that no other thread runs beside: no atomic
  // read-modify-write.
  bool insert_alone(local_id v) noexcept {
    const std::uint64_t bit = std::uint64_t{1} << (v % 64);
    const bool fresh = !(words_[v / 64] & bit);
    words_[v / 64] |= bit;
    return fresh;
  }

  // Safe to call from many threads at once. True if v was a member.
  bool erase(local_id v) noexcept {
    const std::uint64_t bit = std::uint64_t{1} << (v % 64);
    std::atomic_ref<std::uint64_t> word(words_[v / 64]);
    return word.fetch_and(~bit, std::memory_order_relaxed) & bit;
  }

  bool contains(local_id v) const noexcept { return words_[v / 64] >> (v % 64) & 1; }
  // contains(v) while other threads may insert or erase.
  bool contains_now(local_id v) const noexcept {
    std::atomic_ref<std::uint64_t> word(const_cast<std::uint64_t&>(words_[v / 64]));
    return word.load(std::memory_order_relaxed) >> (v % 64) & 1;
  }

  void insert_all() noexcept {
    if (words_.empty()) return;
    std::fill(words_.begin(), words_.end(), ~std::uint64_t{0});
    if (size_ % 64) words_.back() = (std::uint64_t{1} << (size_ % 64)) - 1;
  }
  void clear() noexcept { std::fill(words_.begin(), words_.end(), 0); }

  std::uint64_t count() const {
    return tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, words_.size(), 4096), std::uint64_t{0},
        [&](const tbb::blocked_range<std::size_t>& r, std::uint64_t sum) {
          for (std::size_t i = r.begin(); i != r.end(); ++i) sum += static_cast<std::uint64_t>(std::popcount(words_[i]));
          return sum;
        },
        [](std::uint64_t x, std::uint64_t y) { return x + y; });
  }
  // The number of vertices in both this and other (frontiers over the same vertices).
  std::uint64_t count_common(const frontier& other) const {
    return tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, words_.size(), 4096), std::uint64_t{0},
        [&](const tbb::blocked_range<std::size_t>& r, std::uint64_t sum) {
          for (std::size_t i = r.begin(); i != r.end(); ++i)
            sum += static_cast<std::uint64_t>(std::popcount(words_[i] & other.words_[i]));
          return sum;
        },
        [](std::uint64_t x, std::uint64_t y) { return x + y; });
  }
  // Becomes the members of both a and b (frontiers over the same vertices).
  void assign_intersection(const frontier& a, const frontier& b) {
    size_ = a.size_;
    words_.resize(a.words_.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, words_.size(), 4096), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) words_[i] = a.words_[i] & b.words_[i];
    });
  }

  bool empty() const noexcept {
    for (auto w : words_)
      if (w) return false;
    return true;
  }
  // empty() while other threads may insert or erase.
  bool empty_now() const noexcept {
    for (const auto& w : words_)
      if (std::atomic_ref<std::uint64_t>(const_cast<std::uint64_t&>(w)).load(std::memory_order_relaxed)) return false;
    return true;
  }

  // Whether some vertex is a member of both this frontier and `other`; stops
  // at the first.
  bool intersects(const frontier& other) const noexcept {
    for (std::size_t i = 0; i < words_.size(); ++i)
      if (words_[i] & other.words_[i]) return true;
    return false;
  }

  // Calls f(v), in ascending order on this thread, for every vertex that is
  // a member of both this frontier and `other` (over the same vertices).
  template <class F>
  void for_each_common(const frontier& other, F&& f) const {
    for (std::size_t i = 0; i < words_.size(); ++i)
      for (std::uint64_t w = words_[i] & other.words_[i]; w; w &= w - 1)
        f(static_cast<local_id>(i * 64 + static_cast<std::size_t>(std::countr_zero(w))));
  }

  // Calls f(v) for every member, in parallel; `count` is this frontier's count().
  // A dense traversal splits the vertices at `word_bounds` (ascending word
  // indices from 0 to the word count, see balanced_word_bounds) when given.
  template <class F>
  void parallel_for_each(std::uint64_t count, F&& f, std::span<const std::size_t> word_bounds = {}) const {
    if (static_cast<double>(count) < sparse_fraction * size_) {
      list_.clear();
      for_each_member_in_words(0, words_.size(), [&](local_id v) { list_.push_back(v); });
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, list_.size(), 64), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) f(list_[i]);
      });
    } else if (!word_bounds.empty()) {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, word_bounds.size() - 1, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t b = r.begin(); b != r.end(); ++b) for_each_member_in_words(word_bounds[b], word_bounds[b + 1], f);
      });
    } else {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, words_.size(), 16), [&](const tbb::blocked_range<std::size_t>& r) {
        for_each_member_in_words(r.begin(), r.end(), f);
      });
    }
  }

  // The sum of f(v) over the members, computed in parallel; `count` and
  // `word_bounds` as for parallel_for_each. Each part sums its members in
  // ascending order and the parts combine in a fixed tree, so the result
  // does not depend on the thread count.
  template <class T, class F>
  T parallel_sum_each(std::uint64_t count, F&& f, std::span<const std::size_t> word_bounds = {}) const {
    const auto add = [](T a, const T& b) {
      a += b;
      return a;
    };
    if (static_cast<double>(count) < sparse_fraction * size_) {
      list_.clear();
      for_each_member_in_words(0, words_.size(), [&](local_id v) { list_.push_back(v); });
      return tbb::parallel_deterministic_reduce(
          tbb::blocked_range<std::size_t>(0, list_.size(), 64), T{},
          [&](const tbb::blocked_range<std::size_t>& r, T sum) {
            for (std::size_t i = r.begin(); i != r.end(); ++i) sum += f(list_[i]);
            return sum;
          },
          add);
    }
    std::vector<std::size_t> even;
    if (word_bounds.empty()) {
      for (std::size_t w = 0; w < words_.size(); w += 16) even.push_back(w);
      even.push_back(words_.size());
      word_bounds = even;
    }
    return tbb::parallel_deterministic_reduce(
        tbb::blocked_range<std::size_t>(0, word_bounds.size() - 1, 1), T{},
        [&](const tbb::blocked_range<std::size_t>& r, T sum) {
          for (std::size_t b = r.begin(); b != r.end(); ++b)
            for_each_member_in_words(word_bounds[b], word_bounds[b + 1], [&](local_id v) { sum += f(v); });
          return sum;
        },
        add);
  }

  // Word indices that cut the vertices into about `parts` ranges of equal
  // work, where vertex v costs cost_prefix[v + 1] - cost_prefix[v] (e.g. its
  // edge count, from CSR offsets): on skewed graphs equal vertex counts would
  // leave one thread with the hubs.
  template <class Prefix>
  std::vector<std::size_t> balanced_word_bounds(const Prefix& cost_prefix, std::size_t parts) const {
    std::vector<std::size_t> bounds{0};
    const std::size_t words = words_.size();
    const auto total = static_cast<double>(cost_prefix[size_] - cost_prefix[0]) + size_;
    for (std::size_t p = 1; p < parts; ++p) {
      // First word whose start has reached p/parts of the work (each vertex also costs 1).
      const double goal = total * static_cast<double>(p) / static_cast<double>(parts);
      std::size_t lo = bounds.back(), hi = words;
      while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        const auto v = std::min<std::size_t>(mid * 64, size_);
        if (static_cast<double>(cost_prefix[v] - cost_prefix[0]) + static_cast<double>(v) < goal) lo = mid + 1;
        else hi = mid;
      }
      if (lo > bounds.back() && lo < words) bounds.push_back(lo);
    }
    bounds.push_back(words);
    return bounds;
  }

  // The membership bits, 64 vertices a word (what a checkpoint saves).
  std::span<const std::uint64_t> words() const noexcept { return words_; }
  // Sets the membership from words() of a frontier of the same universe.
  void assign_words(std::span<const std::uint64_t> words) {
    if (words.size() != words_.size()) throw std::invalid_argument("frontier: saved membership of another vertex count");
    // Bits past the last vertex would name vertices that do not exist.
    if (size_ % 64 != 0 && !words.empty() && (words.back() >> (size_ % 64)) != 0)
      throw std::invalid_argument("frontier: saved membership names vertices past the last");
    std::copy(words.begin(), words.end(), words_.begin());
  }

  void swap(frontier& other) noexcept {
    std::swap(size_, other.size_);
    words_.swap(other.words_);
    list_.swap(other.list_);
  }

 private:
  // Calls f(v) for the members in words [first, last), in ascending order.
  template <class F>
  void for_each_member_in_words(std::size_t first, std::size_t last, F&& f) const {
    for (std::size_t i = first; i < last; ++i)
      for (std::uint64_t w = words_[i]; w; w &= w - 1)
        f(static_cast<local_id>(i * 64 + static_cast<std::size_t>(std::countr_zero(w))));
  }

  local_id size_ = 0;
  std::vector<std::uint64_t> words_;
  mutable std::vector<local_id> list_;  // scratch for sparse traversal, reused
};

}  // namespace gasworks
