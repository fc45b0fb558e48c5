#pragma once
// What gives an update its consistency model on one rank: a busy flag per
// vertex, and an update may start only if it can claim its scope.
//   vertex   claims its own flag: an update of v never overlaps another
//            update of v
//   edge     claims its own flag, then checks that no neighbour's flag is
//            set: of two adjacent vertices that try at once, at least one
//            sees the other's flag (every operation on the flags is
//            sequentially consistent, as in Dekker's algorithm), so two
//            adjacent vertices never run together. The neighbours' flags are
//            only read, so their cache lines stay shared.
//   full     claims the flags of v and of all its neighbours: two vertices
//            with a common neighbour both want its flag
// A claim that fails releases what it took and the update is tried again
// later (the scheduler requeues it), so no update waits while holding a
// flag: the scheme cannot deadlock. Releasing a flag publishes the update's
// writes to whoever claims or reads it next.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "engine/gas/async_options.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

class scope_locks {
 public:
  scope_locks(local_id vertices, consistency_model model)
      : busy_(std::make_unique<std::atomic<std::uint8_t>[]>(vertices)), model_(model) {}

  // Claims v's scope, or takes nothing and returns false if another running
  // update holds part of it. `scope` is the caller's scratch and keeps what
  // was claimed until unlock.
  bool try_lock(const topology& s, local_id v, std::vector<local_id>& scope) {
    scope.clear();
    switch (model_) {
      case consistency_model::vertex:
        return busy_[v].exchange(1, std::memory_order_acquire) == 0;
      case consistency_model::edge:
        if (busy_[v].exchange(1) != 0) return false;
        if (neighbours_idle(s, v)) return true;
        busy_[v].store(0);
        return false;
      case consistency_model::full:
        collect_scope(s, v, scope);
        for (std::size_t i = 0; i < scope.size(); ++i) {
          if (busy_[scope[i]].exchange(1, std::memory_order_acquire) != 0) {
            for (std::size_t j = 0; j < i; ++j) busy_[scope[j]].store(0, std::memory_order_release);
            return false;
          }
        }
        return true;
    }
    return false;
  }

  void unlock(local_id v, const std::vector<local_id>& scope) {
    if (model_ == consistency_model::full) {
      for (local_id u : scope) busy_[u].store(0, std::memory_order_release);
    } else if (model_ == consistency_model::edge) {
      busy_[v].store(0);  // sequentially consistent, like the claim
    } else {
      busy_[v].store(0, std::memory_order_release);
    }
  }

 private:
  bool neighbours_idle(const topology& s, local_id v) const {
    for (edge_index e = s.in_begin(v); e != s.in_end(v); ++e) {
      const local_id u = s.in_source(e);
      if (u != v && busy_[u].load() != 0) return false;
    }
    for (edge_index e = s.out_begin(v); e != s.out_end(v); ++e) {
      const local_id u = s.out_target(e);
      if (u != v && busy_[u].load() != 0) return false;
    }
    return true;
  }

  // v and its neighbours, ascending and without repeats (a repeat would be
  // claimed twice and fail against itself). Each vertex's in- and out-lists
  // are sorted by local id, so a merge does it in one pass; a list out of
  // order (never built so) falls back to sorting.
  static void collect_scope(const topology& s, local_id v, std::vector<local_id>& scope) {
    edge_index in = s.in_begin(v), out = s.out_begin(v);
    const edge_index in_end = s.in_end(v), out_end = s.out_end(v);
    bool v_placed = false;
    const auto add = [&](local_id u) {
      if (!v_placed && v <= u) {
        scope.push_back(v);
        v_placed = true;
      }
      if (scope.empty() || scope.back() != u) scope.push_back(u);
    };
    while (in != in_end || out != out_end) {
      if (out == out_end || (in != in_end && s.in_source(in) <= s.out_target(out))) add(s.in_source(in++));
      else add(s.out_target(out++));
    }
    if (!v_placed) scope.push_back(v);
    if (std::adjacent_find(scope.begin(), scope.end(), std::greater_equal<>()) != scope.end()) {
      std::sort(scope.begin(), scope.end());
      scope.erase(std::unique(scope.begin(), scope.end()), scope.end());
    }
  }

  std::unique_ptr<std::atomic<std::uint8_t>[]> busy_;
  consistency_model model_;
};

}  // namespace gasworks
