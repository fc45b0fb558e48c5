#pragma once
// Seeded Graph500 Kronecker (R-MAT) graphs: 2^scale vertices and
// edge_factor * 2^scale directed edges. Each edge descends `scale` levels of
// the adjacency matrix, choosing at every level the quadrant
//     a (top left), b (top right), c (bottom left), d = 1 - a - b - c
// (Graph500 initiator 0.57, 0.19, 0.19, 0.05), which gives the skewed,
// power-law-like degrees of real graphs. As in Graph500, vertex ids are then
// relabelled by a seeded permutation, so that the hubs (ids with many zero
// bits before relabelling) are spread over the id range instead of sitting
// at 0, 1, 2, ...
//
// Edge i is a pure function of (seed, i) (see uniform_random.hpp), so the
// graph does not depend on the thread count. Duplicates and self-loops occur
// as in Graph500; ingress decides what to do with them.
#include <cmath>
#include <cstdint>
#include <string>

#include "engine/core/error.hpp"
#include "engine/generators/uniform_random.hpp"

namespace gasworks::generators {

struct kronecker_params {
  unsigned scale = 10;
  std::uint64_t edge_factor = 16;
  std::uint64_t seed = 1;
  double a = 0.57;
  double b = 0.19;
  double c = 0.19;
  bool relabel = true;  // apply the seeded vertex permutation
};

// A seeded bijection of [0, 2^bits): rounds of keyed add, odd multiply and
// xor-shift, each invertible modulo 2^bits. Needs no table, so it costs no
// memory and relabels any id independently of the others.
class id_permutation {
 public:
  id_permutation(unsigned bits, std::uint64_t seed) noexcept
      : mask_(bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1), shift_(bits > 1 ? (bits + 1) / 2 : 1) {
    std::uint64_t k = seed;
    for (auto& round : rounds_) {
      round.offset = splitmix_finaliser(k += golden_gamma);
      round.multiplier = splitmix_finaliser(k += golden_gamma) | 1;
    }
  }

  std::uint64_t operator()(std::uint64_t id) const noexcept {
    std::uint64_t x = id & mask_;
    for (const auto& round : rounds_) {
      x = (x + round.offset) & mask_;
      x = (x * round.multiplier) & mask_;
      x ^= x >> shift_;
    }
    return x;
  }

 private:
  struct round_keys {
    std::uint64_t offset = 0;
    std::uint64_t multiplier = 1;
  };
  std::uint64_t mask_;
  unsigned shift_;
  round_keys rounds_[3];
};

class kronecker_generator {
 public:
  explicit kronecker_generator(const kronecker_params& params)
      : scale_(checked(params).scale),
        m_(params.edge_factor << params.scale),
        key_(generator_key(params.seed, tag)),
        relabel_(params.relabel),
        permutation_(params.scale, generator_key(params.seed, permutation_tag)) {
    // Thresholds on a 32-bit uniform draw u: u < a is quadrant a, u < a+b is b, ...
    a_ = threshold(params.a);
    ab_ = threshold(params.a + params.b);
    abc_ = threshold(params.a + params.b + params.c);
  }

  std::uint64_t vertex_count() const noexcept { return std::uint64_t{1} << scale_; }
  std::uint64_t edge_count() const noexcept { return m_; }

  generated_edge edge(std::uint64_t i) const noexcept {
    counter_rng rng(key_, i);
    std::uint64_t source = 0, target = 0;
    // One level per 32-bit draw, two draws per random word. The quadrant is
    // picked without branches: they would be mispredicted half the time.
    auto descend = [&](std::uint64_t u) {
      const std::uint64_t lower_half = u >= ab_;  // quadrant c or d
      const std::uint64_t split = a_ ^ ((a_ ^ abc_) & (0 - lower_half));  // abc_ if lower_half, else a_
      source = source << 1 | lower_half;
      target = target << 1 | std::uint64_t{u >= split};  // quadrant b or d
    };
    unsigned level = 0;
    for (; level + 2 <= scale_; level += 2) {
      const std::uint64_t word = rng.next();
      descend(word & 0xffffffffu);
      descend(word >> 32);
    }
    if (level < scale_) descend(rng.next() & 0xffffffffu);
    if (relabel_) {
      source = permutation_(source);
      target = permutation_(target);
    }
    return {static_cast<std::uint32_t>(source), static_cast<std::uint32_t>(target)};
  }

 private:
  static constexpr std::uint64_t tag = 0x6b726f6e65636bULL;              // "kroneck"
  static constexpr std::uint64_t permutation_tag = 0x7065726d757465ULL;  // "permute"

  static const kronecker_params& checked(const kronecker_params& params) {
    if (params.scale > 32) throw usage_error("Kronecker scale must be at most 32, got " + std::to_string(params.scale));
    if (params.edge_factor > (~std::uint64_t{0} >> params.scale))
      throw usage_error("Kronecker edge factor too large: " + std::to_string(params.edge_factor));
    const double d = 1 - params.a - params.b - params.c;
    const bool valid = params.a >= 0 && params.b >= 0 && params.c >= 0 && d >= -1e-12;
    if (!valid) throw usage_error("Kronecker probabilities a, b, c must be non-negative with a + b + c <= 1");
    return params;
  }

  static std::uint64_t threshold(double p) {
    if (p >= 1) return std::uint64_t{1} << 32;
    return static_cast<std::uint64_t>(std::llround(p * 4294967296.0));
  }

  unsigned scale_;
  std::uint64_t m_;
  std::uint64_t key_;
  bool relabel_;
  id_permutation permutation_;
  std::uint64_t a_ = 0, ab_ = 0, abc_ = 0;
};

static_assert(edge_generator<kronecker_generator>);

// Streams a Kronecker graph to sink(source, target); see for_each_edge.
template <class Sink>
void generate_kronecker(const kronecker_params& params, Sink&& sink) {
  for_each_edge(kronecker_generator(params), sink);
}

}  // namespace gasworks::generators
