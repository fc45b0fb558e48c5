#include "partition/metis_partitioner.hpp"

#include <metis.h>

#include <algorithm>
#include <functional>
#include <cstdint>
#include <limits>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/error.hpp"
#include "engine/graph/vertex_numbering.hpp"
#include "partition/placement_checks.hpp"

namespace gasworks::partition {
namespace {

constexpr idx_t metis_seed = 1;  // any fixed value: METIS is then deterministic
constexpr std::uint64_t largest_index = static_cast<std::uint64_t>(std::numeric_limits<idx_t>::max());

void check_fits(std::uint64_t count, const char* what) {
  if (count > largest_index)
    throw usage_error("metis: " + std::to_string(count) + " " + what + " exceed METIS's " +
                      std::to_string(8 * sizeof(idx_t)) + "-bit indices");
}

// The batch's endpoints as vertex numbers 0..n-1 in ascending id order.
struct numbered_edges {
  std::vector<std::uint32_t> source;
  std::vector<std::uint32_t> target;
  std::uint32_t vertices = 0;
};

numbered_edges number_by_id(std::span<const edge> batch) {
  numbered_edges out;
  out.source.resize(batch.size());
  out.target.resize(batch.size());
  vertex_numbering seen;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    out.source[i] = seen.number(batch[i].source);
    out.target[i] = seen.number(batch[i].target);
  }
  out.vertices = seen.size();
  check_fits(out.vertices, "vertices");
  std::vector<std::uint32_t> by_id(out.vertices);
  std::iota(by_id.begin(), by_id.end(), 0u);
  std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return seen.ids()[a] < seen.ids()[b]; });
  std::vector<std::uint32_t> rank(out.vertices);
  for (std::uint32_t r = 0; r < out.vertices; ++r) rank[by_id[r]] = r;
  for (auto& v : out.source) v = rank[v];
  for (auto& v : out.target) v = rank[v];
  return out;
}

// The undirected simple graph in METIS's CSR form.
struct csr_graph {
  std::vector<idx_t> offsets;    // xadj, n + 1 entries
  std::vector<idx_t> neighbours;  // adjncy, sorted per vertex

  idx_t degree(std::uint32_t v) const noexcept { return offsets[v + 1] - offsets[v]; }
};

csr_graph simple_undirected_graph(const numbered_edges& edges) {
  const std::uint32_t n = edges.vertices;
  std::vector<std::uint64_t> start(std::size_t{n} + 1, 0);
  for (std::size_t i = 0; i < edges.source.size(); ++i) {
    if (edges.source[i] == edges.target[i]) continue;
    ++start[edges.source[i] + 1];
    ++start[edges.target[i] + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  // Entries are vertex numbers, below n, which fits idx_t (checked when numbering).
  std::vector<idx_t> adjacency(start[n]);
  {
    std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < edges.source.size(); ++i) {
      const std::uint32_t s = edges.source[i], t = edges.target[i];
      if (s == t) continue;
      adjacency[next[s]++] = static_cast<idx_t>(t);
      adjacency[next[t]++] = static_cast<idx_t>(s);
    }
  }
  // Sort each list and drop repeats, compacting towards the front.
  csr_graph g;
  g.offsets.resize(std::size_t{n} + 1);
  std::uint64_t kept = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto first = adjacency.begin() + static_cast<std::ptrdiff_t>(start[v]);
    const auto last = adjacency.begin() + static_cast<std::ptrdiff_t>(start[v + 1]);
    std::sort(first, last);
    const auto unique_end = std::unique(first, last);
    g.offsets[v] = static_cast<idx_t>(std::min(kept, largest_index));  // checked below
    for (auto it = first; it != unique_end; ++it) adjacency[kept++] = *it;  // kept <= start[v]: never overtakes
  }
  check_fits(kept, "adjacency entries (twice the undirected edges)");
  g.offsets[n] = static_cast<idx_t>(kept);
  adjacency.resize(kept);
  g.neighbours = std::move(adjacency);
  return g;
}

// Vertices dealt heaviest first, each to the part of least weight so far
// (the lowest such part on a tie): balanced edges when the cut is moot.
std::vector<idx_t> deal_by_weight(const std::vector<idx_t>& weights, part_id parts) {
  std::vector<std::uint32_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return weights[a] > weights[b]; });
  using load = std::pair<std::uint64_t, part_id>;  // (weight so far, part)
  std::priority_queue<load, std::vector<load>, std::greater<>> lightest;
  for (part_id p = 0; p < parts; ++p) lightest.push({0, p});
  std::vector<idx_t> part(weights.size(), 0);
  for (std::uint32_t v : order) {
    auto [weight, p] = lightest.top();
    lightest.pop();
    part[v] = static_cast<idx_t>(p);
    lightest.push({weight + static_cast<std::uint64_t>(weights[v]), p});
  }
  return part;
}

// The part of every vertex (by number), from METIS when there is a choice.
std::vector<idx_t> vertex_parts(csr_graph& g, std::vector<idx_t>& weights, part_id parts) {
  // METIS misbehaves with up to about 1.3 vertices per part (it prints "too
  // many parts" to stdout and bisects empty graphs; never seen from 2 up in
  // random trials), and a graph without edges has no cut. In both cases
  // balancing the edges is all there is to do.
  if (weights.size() < 2 * std::uint64_t{parts} || g.neighbours.empty()) return deal_by_weight(weights, parts);
  const auto n = static_cast<idx_t>(weights.size());
  std::vector<idx_t> part(weights.size(), 0);
  idx_t options[METIS_NOPTIONS];
  METIS_SetDefaultOptions(options);
  options[METIS_OPTION_SEED] = metis_seed;
  options[METIS_OPTION_NUMBERING] = 0;
  idx_t vertex_count = n, constraints = 1, part_count = static_cast<idx_t>(parts), cut = 0;
  const int status = METIS_PartGraphKway(&vertex_count, &constraints, g.offsets.data(), g.neighbours.data(), weights.data(),
                                         nullptr, nullptr, &part_count, nullptr, nullptr, options, &cut, part.data());
  if (status != METIS_OK) {
    const char* reason = status == METIS_ERROR_INPUT ? "invalid input" : status == METIS_ERROR_MEMORY ? "out of memory" : "internal error";
    throw std::runtime_error(std::string("metis: METIS_PartGraphKway failed (") + reason + ")");
  }
  return part;
}

}  // namespace

metis_partitioner::metis_partitioner(part_id parts) : parts_(parts) {
  if (parts == 0) throw usage_error("partitioning needs at least one part");
}

void metis_partitioner::place(std::span<const edge> batch, std::span<part_id> parts_out) {
  check_batch(batch, parts_out);
  if (batch.empty()) return;
  if (parts_ == 1) {
    std::fill(parts_out.begin(), parts_out.end(), part_id{0});
    return;
  }
  check_fits(parts_, "parts");
  const numbered_edges edges = number_by_id(batch);
  csr_graph g = simple_undirected_graph(edges);

  // Each edge's owner: the endpoint of lower degree, the source on a tie.
  std::vector<std::uint32_t> owner(batch.size());
  std::vector<std::uint64_t> owned(edges.vertices, 0);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::uint32_t s = edges.source[i], t = edges.target[i];
    owner[i] = g.degree(t) < g.degree(s) ? t : s;
    ++owned[owner[i]];
  }
  // Weight 1 + scale * edges: positive, as METIS's coarsening needs, with the
  // edges dominating; the scale is as large as 32-bit weights allow, up to 64.
  const std::uint64_t total = std::uint64_t{edges.vertices} + batch.size();
  check_fits(total, "vertex weights (vertices + edges)");
  const std::uint64_t scale = std::clamp<std::uint64_t>((largest_index - edges.vertices) / batch.size(), 1, 64);
  std::vector<idx_t> weights(edges.vertices);
  for (std::uint32_t v = 0; v < edges.vertices; ++v) weights[v] = static_cast<idx_t>(1 + scale * owned[v]);

  const std::vector<idx_t> part = vertex_parts(g, weights, parts_);
  for (std::size_t i = 0; i < batch.size(); ++i) parts_out[i] = static_cast<part_id>(part[owner[i]]);
}

}  // namespace gasworks::partition
