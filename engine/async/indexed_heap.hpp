#pragma once
// A 4-ary max-heap of vertices keyed by priority that knows where each of its
// vertices sits (an indexed priority queue), so a vertex's priority can rise
// in place and every vertex has at most one entry. Equal priorities pop in
// ascending id.
//
// Boost.Heap's mutable heaps give the same interface but keep every entry in
// a list node of its own, so each push allocates; this heap keeps entries in
// one array and positions in a table.
//
// Several heaps may share one position table when they hold disjoint sets of
// vertices; each heap touches only its own vertices' positions.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/core/types.hpp"

namespace gasworks {

class indexed_heap {
 public:
  static constexpr std::uint32_t absent = std::numeric_limits<std::uint32_t>::max();
  struct entry {
    double priority = 0;
    local_id vertex = 0;
  };

  // `positions` has one slot per vertex, `absent` for vertices in no heap.
  explicit indexed_heap(std::uint32_t* positions) noexcept : position_(positions) {}

  bool empty() const noexcept { return entries_.empty(); }
  const entry& top() const noexcept { return entries_.front(); }
  bool contains(local_id v) const noexcept { return position_[v] != absent; }
  double priority(local_id v) const noexcept { return entries_[position_[v]].priority; }

  void push(local_id v, double priority) {
    entries_.push_back(entry{priority, v});
    sift_up(entries_.size() - 1);
  }
  // v is in the heap and its priority rises to `priority`.
  void raise(local_id v, double priority) {
    const std::size_t i = position_[v];
    entries_[i].priority = priority;
    sift_up(i);
  }
  local_id pop() {
    const local_id v = entries_.front().vertex;
    position_[v] = absent;
    const entry last = entries_.back();
    entries_.pop_back();
    if (!entries_.empty()) {
      entries_.front() = last;
      sift_down(0);
    }
    return v;
  }

 private:
  static constexpr std::size_t arity = 4;
  static bool before(const entry& a, const entry& b) noexcept {
    return a.priority > b.priority || (a.priority == b.priority && a.vertex < b.vertex);
  }
  void place(std::size_t i, const entry& e) noexcept {
    entries_[i] = e;
    position_[e.vertex] = static_cast<std::uint32_t>(i);
  }
  void sift_up(std::size_t i) noexcept {
    const entry e = entries_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / arity;
      if (!before(e, entries_[parent])) break;
      place(i, entries_[parent]);
      i = parent;
    }
    place(i, e);
  }
  void sift_down(std::size_t i) noexcept {
    const entry e = entries_[i];
    const std::size_t n = entries_.size();
    for (;;) {
      const std::size_t first = arity * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      for (std::size_t c = first + 1; c < first + arity && c < n; ++c)
        if (before(entries_[c], entries_[best])) best = c;
      if (!before(entries_[best], e)) break;
      place(i, entries_[best]);
      i = best;
    }
    place(i, e);
  }

  std::uint32_t* position_;
  std::vector<entry> entries_;
};

}  // namespace gasworks
