#pragma once
// Serial oracles for vertex colourings: the colouring colour_vertices must
// produce, computed another way, and a check that a colouring is valid.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/core/types.hpp"
#include "engine/phased/vertex_colouring.hpp"

namespace gasworks::testing {

// The undirected neighbours of every vertex of an edge list, without
// self-loops or repeats; vertex ids ascending.
struct undirected_neighbours {
  std::vector<vertex_id> ids;
  std::vector<std::vector<std::size_t>> of;  // positions in ids

  explicit undirected_neighbours(std::span<const std::pair<vertex_id, vertex_id>> edges) {
    for (auto [s, t] : edges) {
      ids.push_back(s);
      ids.push_back(t);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::unordered_map<vertex_id, std::size_t> position;
    for (std::size_t i = 0; i < ids.size(); ++i) position.emplace(ids[i], i);
    of.resize(ids.size());
    for (auto [s, t] : edges) {
      if (s == t) continue;
      of[position.at(s)].push_back(position.at(t));
      of[position.at(t)].push_back(position.at(s));
    }
    for (auto& list : of) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
  }
};

// The same colouring computed serially from a whole undirected edge list
// (vertex ids = global ids): Jones–Plassmann colours each vertex once every
// vertex of higher priority within the distance is coloured and no vertex of
// lower priority there is, so it equals greedy colouring in descending
// priority order.
inline std::map<vertex_id, std::uint32_t> reference_colouring(std::span<const std::pair<vertex_id, vertex_id>> edges,
                                                              colouring_distance distance) {
  const undirected_neighbours graph(edges);
  const std::size_t n = graph.ids.size();
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return colouring_priority(graph.ids[a]) > colouring_priority(graph.ids[b]);
  });

  constexpr std::uint32_t none = ~std::uint32_t{0};
  std::vector<std::uint32_t> colour(n, none);
  std::vector<std::size_t> taken_by(n + 1, n);  // taken_by[c] == v: colour c is taken near v
  for (std::size_t v : order) {
    auto take = [&](std::size_t u) {
      if (u != v && colour[u] != none) taken_by[colour[u]] = v;
    };
    for (std::size_t u : graph.of[v]) {
      take(u);
      if (distance == colouring_distance::two)
        for (std::size_t w : graph.of[u]) take(w);
    }
    std::uint32_t c = 0;
    while (taken_by[c] == v) ++c;
    colour[v] = c;
  }
  std::map<vertex_id, std::uint32_t> result;
  for (std::size_t i = 0; i < n; ++i) result.emplace(graph.ids[i], colour[i]);
  return result;
}

// A description of the first conflict of `colour` (global id -> colour) on the
// undirected graph of `edges` at `distance`, or nothing when it is valid:
// endpoints of every edge differ, and at distance two so do any two
// neighbours of one vertex. Every vertex of the edges must have a colour.
inline std::optional<std::string> colouring_conflict(std::span<const std::pair<vertex_id, vertex_id>> edges,
                                                     colouring_distance distance,
                                                     const std::map<vertex_id, std::uint32_t>& colour) {
  const undirected_neighbours graph(edges);
  for (vertex_id id : graph.ids)
    if (!colour.contains(id)) return "vertex " + std::to_string(id) + " has no colour";
  for (std::size_t v = 0; v < graph.ids.size(); ++v) {
    const vertex_id id = graph.ids[v];
    std::vector<std::pair<std::uint32_t, vertex_id>> around;
    for (std::size_t u : graph.of[v]) {
      const vertex_id neighbour = graph.ids[u];
      if (colour.at(neighbour) == colour.at(id))
        return "neighbours " + std::to_string(id) + " and " + std::to_string(neighbour) + " share colour " +
               std::to_string(colour.at(id));
      around.emplace_back(colour.at(neighbour), neighbour);
    }
    if (distance == colouring_distance::one) continue;
    std::sort(around.begin(), around.end());
    for (std::size_t i = 1; i < around.size(); ++i)
      if (around[i].first == around[i - 1].first)
        return "vertices " + std::to_string(around[i - 1].second) + " and " + std::to_string(around[i].second) +
               ", both neighbours of " + std::to_string(id) + ", share colour " + std::to_string(around[i].first);
  }
  return std::nullopt;
}

}  // namespace gasworks::testing
