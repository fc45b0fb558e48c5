#pragma once
// Ratings for factorization tests: synthetic low-rank matrices, the first
// lines of a real file, and writing them where a test can read them.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <vector>

#include "toolkits/cf/latent_vertex.hpp"
#include "toolkits/cf/ratings.hpp"
#include "toolkits/cf/ratings_file.hpp"

namespace gasworks::testing {

// r(u, i) = f_u . g_i with random factors in [0, 1), for a `fraction` of
// the pairs (each user and item keeps at least rank + 1 ratings).
inline std::vector<cf::rating> low_rank_ratings(std::uint64_t users, std::uint64_t items, int rank, double fraction,
                                                std::uint64_t seed) {
  std::vector<cf::rating> out;
  for (std::uint64_t u = 0; u < users; ++u) {
    const Eigen::VectorXd f = cf::initial_factors(seed, cf::user_vertex(u), rank, 1.0);
    for (std::uint64_t i = 0; i < items; ++i) {
      const bool guaranteed = (i + u) % items <= static_cast<std::uint64_t>(rank);  // a band: every row and column
      if (!guaranteed && cf::unit_random(seed + 1, u, i) >= fraction) continue;
      const Eigen::VectorXd g = cf::initial_factors(seed, cf::item_vertex(i), rank, 1.0);
      out.push_back({u, i, f.dot(g)});
    }
  }
  return out;
}

// The first `count` ratings of a ratings file.
inline std::vector<cf::rating> first_ratings(const std::filesystem::path& file, std::size_t count) {
  auto all = cf::read_ratings(file, cf::rating_columns::with_value).ratings;
  if (all.size() > count) all.resize(count);
  return all;
}

inline std::filesystem::path write_ratings(const std::filesystem::path& file, const std::vector<cf::rating>& ratings) {
  std::ofstream out(file);
  out << std::setprecision(17);
  for (const auto& r : ratings) out << r.user << '\t' << r.item << '\t' << r.value << '\n';
  return file;
}

}  // namespace gasworks::testing
