#pragma once
// Largest priority first: one heap of the scheduled vertices, keyed by their
// combined priority, that a rising priority updates in place (a mutable
// d-ary heap), so every vertex has at most one entry. Exact on one thread;
// on several, each pop takes the largest present at that moment. Equal
// priorities run in ascending local id. A spin lock guards the heap: its
// operations are short, and a sleeping mutex would put the workers to sleep
// on every collision. See fifo_scheduler.hpp for the interface.
#include <optional>
#include <vector>

#include <boost/heap/d_ary_heap.hpp>
#include <tbb/spin_mutex.h>

#include "engine/types.hpp"

namespace gasworks {

class priority_scheduler {
 public:
  static constexpr bool wants_raised_priorities = true;

  explicit priority_scheduler(local_id vertices) : handles_(vertices), queued_(vertices, 0) {}

  void push(local_id v, double priority) {
    tbb::spin_mutex::scoped_lock lock(mutex_);
    if (queued_[v]) {
      heap_.increase(handles_[v], entry{priority, v});  // priorities only rise while queued
    } else {
      handles_[v] = heap_.push(entry{priority, v});
      queued_[v] = 1;
    }
  }

  template <class Scheduled>
  std::optional<local_id> pop(unsigned /*worker*/, Scheduled&& /*scheduled*/) {
    tbb::spin_mutex::scoped_lock lock(mutex_);
    if (heap_.empty()) return std::nullopt;
    const local_id v = heap_.top().vertex;
    heap_.pop();
    queued_[v] = 0;
    return v;
  }

 private:
  struct entry {
    double priority = 0;
    local_id vertex = 0;
    // The heap pops the largest entry under <.
    friend bool operator<(const entry& a, const entry& b) noexcept {
      return a.priority < b.priority || (a.priority == b.priority && a.vertex > b.vertex);
    }
  };
  using heap_type = boost::heap::d_ary_heap<entry, boost::heap::arity<4>, boost::heap::mutable_<true>>;

  tbb::spin_mutex mutex_;
  heap_type heap_;
  std::vector<heap_type::handle_type> handles_;
  std::vector<std::uint8_t> queued_;
};

}  // namespace gasworks
