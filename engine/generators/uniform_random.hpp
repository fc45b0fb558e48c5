#pragma once
// Seeded uniform random graphs (Erdős–Rényi G(n, m) drawn with replacement,
// as GAPBS's -u and Graph500's uniform option), and what every generator in
// this folder shares: counter-based randomness and parallel edge streaming.
//
// Edge i is a pure function of (seed, i): its random numbers come from a
// splitmix64 stream started at a hash of the seed and i, never from a
// sequential generator state. A graph is therefore the same whatever the
// thread count or the order in which blocks of edges are produced.
//
// Edges are drawn independently, so a few duplicates and self-loops occur;
// ingress (ingress_policy) decides what to do with them.
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "engine/core/error.hpp"
#include "engine/core/mix_hash.hpp"

namespace gasworks::generators {

// Ids are dense in 0..vertex_count-1; 32 bits hold every id of a one-shard graph.
struct generated_edge {
  std::uint32_t source = 0;
  std::uint32_t target = 0;
  friend bool operator==(const generated_edge&, const generated_edge&) = default;
};

// The random words of one edge: a splitmix64 sequence whose start depends
// only on (key, index).
class counter_rng {
 public:
  constexpr counter_rng(std::uint64_t key, std::uint64_t index) noexcept : state_(splitmix_finaliser(key + index * golden_gamma)) {}
  constexpr std::uint64_t next() noexcept {
    state_ += golden_gamma;
    return splitmix_finaliser(state_);
  }

 private:
  std::uint64_t state_;
};

// Distinct generators given the same seed draw unrelated numbers.
constexpr std::uint64_t generator_key(std::uint64_t seed, std::uint64_t generator_tag) noexcept {
  return splitmix_finaliser(splitmix_finaliser(seed) ^ generator_tag);
}

// A uniform integer in [0, bound) from a 64-bit random word (Lemire's
// multiply-shift; the bias is below bound / 2^64).
inline std::uint64_t below(std::uint64_t word, std::uint64_t bound) noexcept {
  __extension__ using wide = unsigned __int128;
  return static_cast<std::uint64_t>((static_cast<wide>(word) * bound) >> 64);
}

// What a generator offers: its size, and edge i as a pure function of i.
template <class G>
concept edge_generator = requires(const G& g, std::uint64_t i) {
  { g.vertex_count() } -> std::same_as<std::uint64_t>;
  { g.edge_count() } -> std::same_as<std::uint64_t>;
  { g.edge(i) } -> std::same_as<generated_edge>;
};

// Fills `out` with edges first, first+1, ..., in parallel.
template <edge_generator G>
void generate_edges(const G& generator, std::uint64_t first, std::span<generated_edge> out) {
  if (first > generator.edge_count() || out.size() > generator.edge_count() - first)
    throw usage_error("edge range beyond the generator's " + std::to_string(generator.edge_count()) + " edges");
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, out.size(), 4096), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) out[i] = generator.edge(first + i);
  });
}

// All edges, in parallel, into a new vector.
template <edge_generator G>
std::vector<generated_edge> generate_edges(const G& generator) {
  std::vector<generated_edge> edges(generator.edge_count());
  generate_edges(generator, 0, edges);
  return edges;
}

// Calls sink(source, target) for every edge in index order, on the calling
// thread. Blocks of edges are generated in parallel into one reused buffer,
// so the memory used is one block's whatever the graph's size: the way to
// feed a graph_builder without holding the edge list twice.
template <edge_generator G, class Sink>
void for_each_edge(const G& generator, Sink&& sink, std::size_t block_size = std::size_t{1} << 20) {
  const std::uint64_t m = generator.edge_count();
  std::vector<generated_edge> block(static_cast<std::size_t>(std::min<std::uint64_t>(m, std::max<std::size_t>(block_size, 1))));
  for (std::uint64_t first = 0; first < m; first += block.size()) {
    const std::span<generated_edge> part(block.data(), static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), m - first)));
    generate_edges(generator, first, part);
    for (const generated_edge& e : part) sink(e.source, e.target);
  }
}

struct uniform_random_params {
  std::uint64_t vertex_count = 1024;
  std::uint64_t edge_count = 16 * 1024;
  std::uint64_t seed = 1;

  // The Graph500 sizing: 2^scale vertices, edge_factor edges per vertex.
  static uniform_random_params from_scale(unsigned scale, std::uint64_t edge_factor, std::uint64_t seed) {
    if (scale > 32) throw usage_error("scale must be at most 32, got " + std::to_string(scale));
    const std::uint64_t n = std::uint64_t{1} << scale;
    return {n, edge_factor * n, seed};
  }
};

class uniform_random_generator {
 public:
  explicit uniform_random_generator(const uniform_random_params& params)
      : n_(params.vertex_count), m_(params.edge_count), key_(generator_key(params.seed, tag)) {
    if (n_ == 0 && m_ > 0) throw usage_error("a graph with edges needs at least one vertex");
    if (n_ > (std::uint64_t{1} << 32)) throw usage_error("at most 2^32 vertices, got " + std::to_string(n_));
  }

  std::uint64_t vertex_count() const noexcept { return n_; }
  std::uint64_t edge_count() const noexcept { return m_; }

  generated_edge edge(std::uint64_t i) const noexcept {
    counter_rng rng(key_, i);
    const auto source = static_cast<std::uint32_t>(below(rng.next(), n_));
    const auto target = static_cast<std::uint32_t>(below(rng.next(), n_));
    return {source, target};
  }

 private:
  static constexpr std::uint64_t tag = 0x756e69666f726dULL;  // "uniform"
  std::uint64_t n_;
  std::uint64_t m_;
  std::uint64_t key_;
};

static_assert(edge_generator<uniform_random_generator>);

// Streams a uniform random graph to sink(source, target); see for_each_edge.
template <class Sink>
void generate_uniform_random(const uniform_random_params& params, Sink&& sink) {
  for_each_edge(uniform_random_generator(params), sink);
}

}  // namespace gasworks::generators
