#pragma once
// The locks that give an update its consistency model on one rank. Each
// vertex has a reader-writer lock; an update locks its scope:
//   vertex   its own vertex, for writing
//   edge     its vertex for writing, its neighbours for reading: two adjacent
//            vertices both want to write-lock themselves and read-lock the
//            other, so they never run at once
//   full     its vertex and its neighbours for writing: two vertices with a
//            common neighbour both want to write-lock it
// Locks are always taken in ascending local id, so no cycle of waiting
// updates can form: the scheme cannot deadlock.
#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include <tbb/spin_rw_mutex.h>

#include "engine/async/async_options.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

class scope_locks {
 public:
  scope_locks(local_id vertices, consistency_model model)
      : locks_(std::make_unique<tbb::spin_rw_mutex[]>(vertices)), model_(model) {}

  // Locks v's scope; `scope` is the caller's scratch and keeps what was
  // locked until unlock.
  void lock(const topology& s, local_id v, std::vector<local_id>& scope) {
    scope.clear();
    if (model_ == consistency_model::vertex) {
      locks_[v].lock();
      scope.push_back(v);
      return;
    }
    collect_scope(s, v, scope);
    for (local_id u : scope) {
      if (writes(u, v)) locks_[u].lock();
      else locks_[u].lock_shared();
    }
  }

  void unlock(local_id v, const std::vector<local_id>& scope) {
    for (local_id u : scope) {
      if (writes(u, v)) locks_[u].unlock();
      else locks_[u].unlock_shared();
    }
  }

 private:
  // v and its neighbours, ascending and without repeats. Each vertex's in-
  // and out-lists are sorted by local id, so a merge does it in one pass; a
  // list out of order (never built so) falls back to sorting.
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

  bool writes(local_id u, local_id v) const noexcept { return u == v || model_ != consistency_model::edge; }

  std::unique_ptr<tbb::spin_rw_mutex[]> locks_;
  consistency_model model_;
};

}  // namespace gasworks
