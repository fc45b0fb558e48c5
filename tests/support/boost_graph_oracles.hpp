#pragma once
// Oracles computed with Boost.Graph, written apart from the engine: the
// graph is rebuilt from the edge list as a boost::adjacency_list, so that
// neither the engine's ingress, numbering nor traversal takes part.
// Results are keyed by global vertex id.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/sequential_vertex_coloring.hpp>
#include <boost/property_map/property_map.hpp>

#include "engine/core/types.hpp"

namespace gasworks::testing {

using id_pair_span = std::span<const std::pair<vertex_id, vertex_id>>;

// The vertices of an edge list and of a list of declared (possibly
// isolated) vertices, ascending, numbered 0, 1, ... for Boost's vecS
// storage, which needs dense indices.
class dense_numbering {
 public:
  dense_numbering(id_pair_span edges, std::span<const vertex_id> declared) {
    ids_.assign(declared.begin(), declared.end());
    for (auto [s, t] : edges) {
      ids_.push_back(s);
      ids_.push_back(t);
    }
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
  }

  std::size_t size() const noexcept { return ids_.size(); }
  vertex_id id(std::size_t index) const { return ids_[index]; }
  std::size_t index(vertex_id id) const {
    return static_cast<std::size_t>(std::lower_bound(ids_.begin(), ids_.end(), id) - ids_.begin());
  }

 private:
  std::vector<vertex_id> ids_;
};

template <class Directedness>
using boost_graph = boost::adjacency_list<boost::vecS, boost::vecS, Directedness>;

template <class Directedness>
boost_graph<Directedness> to_boost_graph(const dense_numbering& numbering, id_pair_span edges,
                                         bool keep_self_loops = true) {
  boost_graph<Directedness> g(numbering.size());
  for (auto [s, t] : edges)
    if (keep_self_loops || s != t) boost::add_edge(numbering.index(s), numbering.index(t), g);
  return g;
}

inline constexpr std::uint32_t boost_unreached = std::numeric_limits<std::uint32_t>::max();

// Hops along directed edges from `source` to every vertex, boost_unreached
// where no path leads.
inline std::map<vertex_id, std::uint32_t> boost_hop_distances(id_pair_span edges, std::span<const vertex_id> declared,
                                                               vertex_id source) {
  const dense_numbering numbering(edges, declared);
  const auto g = to_boost_graph<boost::directedS>(numbering, edges);
  // record_distances writes only vertices reached by a tree edge.
  std::vector<std::uint32_t> hops(numbering.size(), boost_unreached);
  const std::size_t start = numbering.index(source);
  hops[start] = 0;
  boost::breadth_first_search(
      g, start,
      boost::visitor(boost::make_bfs_visitor(boost::record_distances(
          boost::make_iterator_property_map(hops.begin(), boost::get(boost::vertex_index, g)), boost::on_tree_edge()))));
  std::map<vertex_id, std::uint32_t> result;
  for (std::size_t i = 0; i < numbering.size(); ++i) result.emplace(numbering.id(i), hops[i]);
  return result;
}

// Greedy colouring of the undirected graph (self-loops left out: a vertex
// is not its own neighbour), visiting vertices by descending priority(id).
template <class Priority>
std::map<vertex_id, std::uint32_t> boost_greedy_colouring(id_pair_span edges, std::span<const vertex_id> declared,
                                                          Priority&& priority) {
  const dense_numbering numbering(edges, declared);
  const auto g = to_boost_graph<boost::undirectedS>(numbering, edges, /*keep_self_loops=*/false);
  using vertex_type = boost::graph_traits<boost_graph<boost::undirectedS>>::vertex_descriptor;
  std::vector<vertex_type> order(numbering.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](vertex_type a, vertex_type b) { return priority(numbering.id(a)) > priority(numbering.id(b)); });
  std::vector<std::size_t> colour(numbering.size());
  boost::sequential_vertex_coloring(
      g, boost::make_iterator_property_map(order.begin(), boost::identity_property_map()),
      boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, g)));
  std::map<vertex_id, std::uint32_t> result;
  for (std::size_t i = 0; i < numbering.size(); ++i) result.emplace(numbering.id(i), static_cast<std::uint32_t>(colour[i]));
  return result;
}

// The connected components of the undirected graph, each vertex labelled by
// the smallest id of its component.
inline std::map<vertex_id, vertex_id> boost_component_minima(id_pair_span edges, std::span<const vertex_id> declared) {
  const dense_numbering numbering(edges, declared);
  const auto g = to_boost_graph<boost::undirectedS>(numbering, edges);
  std::vector<std::size_t> component(numbering.size());
  const std::size_t count = boost::connected_components(
      g, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
  // Boost numbers components 0, 1, ... in its own order: relabel each by its smallest id.
  std::vector<vertex_id> smallest(count, std::numeric_limits<vertex_id>::max());
  for (std::size_t i = 0; i < numbering.size(); ++i)
    smallest[component[i]] = std::min(smallest[component[i]], numbering.id(i));
  std::map<vertex_id, vertex_id> result;
  for (std::size_t i = 0; i < numbering.size(); ++i) result.emplace(numbering.id(i), smallest[component[i]]);
  return result;
}

}  // namespace gasworks::testing
