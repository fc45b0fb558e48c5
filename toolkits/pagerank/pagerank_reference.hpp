#pragma once
// A plain serial PageRank, written independently of the engine, as the oracle
// the vertex program is tested against. Same definition (networkx's): damping
// d, dangling mass spread uniformly, ranks start at 1/n.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/core/types.hpp"
#include "engine/graph/ingress_policy.hpp"

namespace gasworks::pagerank {

class reference {
 public:
  // `edges` use any ids; `vertices` lists ids that may have no edge.
  reference(std::vector<std::pair<vertex_id, vertex_id>> edges, const std::vector<vertex_id>& vertices,
            ingress_policy policy = {}) {
    if (policy.loops == ingress_policy::self_loops::drop)
      std::erase_if(edges, [](const auto& e) { return e.first == e.second; });
    if (policy.symmetrize) {
      const std::size_t m = edges.size();
      for (std::size_t i = 0; i < m; ++i)
        if (edges[i].first != edges[i].second) edges.emplace_back(edges[i].second, edges[i].first);
    }
    if (policy.parallel_edges == ingress_policy::duplicates::drop) {
      std::sort(edges.begin(), edges.end());
      edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    }
    ids_ = vertices;
    for (const auto& [s, t] : edges) {
      ids_.push_back(s);
      ids_.push_back(t);
    }
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    auto index = [&](vertex_id id) { return static_cast<std::size_t>(std::lower_bound(ids_.begin(), ids_.end(), id) - ids_.begin()); };
    out_degree_.assign(ids_.size(), 0);
    for (const auto& [s, t] : edges) {
      edges_.emplace_back(index(s), index(t));
      ++out_degree_[edges_.back().first];
    }
  }

  const std::vector<vertex_id>& ids() const noexcept { return ids_; }

  std::vector<double> initial() const { return std::vector<double>(ids_.size(), 1.0 / static_cast<double>(ids_.size())); }

  // One power-iteration step.
  std::vector<double> step(const std::vector<double>& x, double damping) const {
    const double n = static_cast<double>(ids_.size());
    double dangling = 0;
    for (std::size_t v = 0; v < x.size(); ++v)
      if (out_degree_[v] == 0) dangling += x[v];
    std::vector<double> sum(x.size(), 0.0);
    for (const auto& [s, t] : edges_) sum[t] += x[s] / static_cast<double>(out_degree_[s]);
    std::vector<double> next(x.size());
    for (std::size_t v = 0; v < x.size(); ++v) next[v] = (1 - damping) / n + damping * (sum[v] + dangling / n);
    return next;
  }

  // Exactly `iterations` steps from 1/n.
  std::vector<double> iterate(std::uint64_t iterations, double damping) const {
    auto x = initial();
    for (std::uint64_t i = 0; i < iterations; ++i) x = step(x, damping);
    return x;
  }

  // Steps until the L1 change of a step falls below `tolerance`; returns the
  // ranks and the number of steps taken.
  std::pair<std::vector<double>, std::uint64_t> converge(double tolerance, double damping, std::uint64_t max_steps) const {
    auto x = initial();
    for (std::uint64_t i = 1; i <= max_steps; ++i) {
      auto next = step(x, damping);
      const double change = l1_distance(next, x);
      x = std::move(next);
      if (change < tolerance) return {std::move(x), i};
    }
    return {std::move(x), max_steps};
  }

  static double l1_distance(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += std::abs(a[i] - b[i]);
    return sum;
  }

 private:
  std::vector<vertex_id> ids_;
  std::vector<std::pair<std::size_t, std::size_t>> edges_;
  std::vector<std::uint64_t> out_degree_;
};

}  // namespace gasworks::pagerank
