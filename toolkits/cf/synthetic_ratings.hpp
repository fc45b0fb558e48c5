#pragma once
// A seeded generator of ratings for benchmarks: rating k is a pure function
// of (seed, k), so every rank can generate its own share of the same set.
// Items are drawn with a skewed popularity (item = floor(items * x^2), x
// uniform), users uniformly; a rating is 3 + the dot product of hidden
// rank-5 factors + noise, rounded and clamped to 1..5, like star ratings.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "toolkits/cf/latent_vertex.hpp"
#include "toolkits/cf/ratings.hpp"

namespace gasworks::cf {

struct synthetic_ratings {
  std::uint64_t users = 100'000;
  std::uint64_t items = 20'000;
  std::uint64_t seed = 1;

  rating operator()(std::uint64_t k) const {
    const double x = unit_random(seed, k, 0), y = unit_random(seed, k, 1), noise = unit_random(seed, k, 2);
    rating r;
    r.user = std::min(users - 1, static_cast<std::uint64_t>(y * static_cast<double>(users)));
    r.item = std::min(items - 1, static_cast<std::uint64_t>(x * x * static_cast<double>(items)));
    double taste = 0;
    for (std::uint64_t f = 0; f < 5; ++f)
      taste += (unit_random(seed + 1, user_vertex(r.user), f) - 0.5) * (unit_random(seed + 1, item_vertex(r.item), f) - 0.5);
    r.value = std::clamp(std::round(3 + 8 * taste + 2 * (noise - 0.5)), 1.0, 5.0);
    return r;
  }
};

}  // namespace gasworks::cf
