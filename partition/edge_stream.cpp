#include "partition/edge_stream.hpp"

#include <algorithm>
#include <cstdint>

namespace gasworks::partition {
namespace {

// Keeps the first occurrence of every edge, in order. Sorting copies of the
// edges with their positions keeps the sort's reads sequential.
void drop_repeats(std::vector<edge>& edges) {
  struct keyed {
    vertex_id source, target;
    std::size_t position;
    auto operator<=>(const keyed&) const = default;
  };
  std::vector<keyed> sorted(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) sorted[i] = {edges[i].source, edges[i].target, i};
  std::sort(sorted.begin(), sorted.end());
  std::vector<bool> repeat(edges.size(), false);
  for (std::size_t k = 1; k < sorted.size(); ++k)
    if (sorted[k].source == sorted[k - 1].source && sorted[k].target == sorted[k - 1].target) repeat[sorted[k].position] = true;
  sorted = {};
  std::size_t kept = 0;
  for (std::size_t i = 0; i < edges.size(); ++i)
    if (!repeat[i]) edges[kept++] = edges[i];
  edges.resize(kept);
}

}  // namespace

std::vector<edge> apply_ingress_policy(std::vector<edge> edges, const ingress_policy& policy) {
  if (policy.loops == ingress_policy::self_loops::drop)
    std::erase_if(edges, [](const edge& e) { return e.source == e.target; });
  if (policy.symmetrize) {
    std::vector<edge> both;
    both.reserve(2 * edges.size());
    for (const edge& e : edges) {
      both.push_back(e);
      if (e.source != e.target) both.push_back({e.target, e.source});
    }
    edges = std::move(both);
  }
  if (policy.parallel_edges == ingress_policy::duplicates::drop) drop_repeats(edges);
  return edges;
}

std::vector<edge> edge_stream(const io::edge_list& input, const ingress_policy& policy) {
  std::vector<edge> edges;
  edges.reserve(input.edges.size());
  for (const auto& [s, t] : input.edges) edges.push_back({s, t});
  return apply_ingress_policy(std::move(edges), policy);
}

}  // namespace gasworks::partition
