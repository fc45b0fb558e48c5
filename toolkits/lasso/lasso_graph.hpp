#pragma once
// The bipartite graph of a regression problem: feature vertices 0..m-1 (the
// design's columns), sample vertices m..m+n-1, and an edge j -> m+i carrying
// x_ij for every nonzero entry. Every rank holds the whole data set (the
// dependency rule and the measures read columns directly); rank r adds the
// edges of the columns j with j mod R = r and ingress places them, so the
// graph's vertex-cut is the partitioner's choice.
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/ingress/distributed_ingress.hpp"
#include "toolkits/lasso/lasso_problem.hpp"

namespace gasworks::lasso {

struct lasso_vertex {
  double value = 0;  // feature: beta_j; sample: u_i = y_i - x_i beta (no intercept)
  double step = 0;   // feature: its last change
  double mean = 0;   // feature: its column's mean (0 without intercept)
  double norm2 = 0;  // feature: ||x_j - mean_j||^2
};

using lasso_graph = graph<lasso_vertex, double>;

inline vertex_id sample_vertex(const regression_data& d, std::uint64_t i) noexcept { return d.features + i; }

// Collective. Vertex data start at beta = 0: u_i = y_i.
inline lasso_graph load_lasso_graph(const std::shared_ptr<communicator>& ranks, const lasso_problem& problem,
                                    ingress_options options = {}, ingress_report* report = nullptr) {
  const regression_data& d = problem.data();
  step_clock clock;
  const auto r = static_cast<std::uint64_t>(ranks->rank());
  const auto ranks_count = static_cast<std::uint64_t>(ranks->size());
  std::vector<routed_edge<double>> edges;
  for (std::uint64_t j = r; j < d.features; j += ranks_count)
    for (std::uint64_t k = d.column_start[j]; k < d.column_start[j + 1]; ++k)
      edges.push_back({j, sample_vertex(d, d.sample[k]), d.value[k]});
  // Every vertex is declared, so a sample without entries still counts in U.
  std::vector<vertex_id> declared;
  if (r == 0)
    for (vertex_id v = 0; v < d.features + d.samples; ++v) declared.push_back(v);
  clock.mark("read");
  options.policy = {};
  options.policy.parallel_edges = ingress_policy::duplicates::keep;
  lasso_graph g = build_shard<lasso_vertex, double>(ranks, std::move(edges), std::move(declared), options, report, clock);
  const auto& s = g.structure();
  for (local_id v = 0; v < s.num_local_vertices(); ++v) {
    const vertex_id id = s.global_id(v);
    lasso_vertex& data = g.vertex_data(v);
    if (id < d.features) {
      data.mean = problem.column_mean(id);
      data.norm2 = problem.centred_norm2(id);
    } else {
      data.value = d.target[id - d.features];
    }
  }
  return g;
}

}  // namespace gasworks::lasso
