#pragma once
// Seeded random factor models for belief-propagation tests: trees (where BP
// is exact) and small loopy grids.
#include <cstdint>
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "toolkits/bp/factor_model.hpp"

namespace gasworks::testing {

// A factor with random positive entries over `scope`.
inline bp::factor random_factor(const bp::factor_model& m, std::vector<bp::variable_id> scope, std::mt19937_64& random,
                                double spread = 1.0) {
  bp::factor f;
  f.scope = std::move(scope);
  std::size_t entries = 1;
  for (auto v : f.scope) entries *= m.cardinality[v];
  std::uniform_real_distribution<double> log_weight(-spread, spread);
  std::vector<double> table;
  for (std::size_t i = 0; i < entries; ++i) table.push_back(std::exp(log_weight(random)));
  f.table = std::move(table);
  return f;
}

// A tree-structured factor graph: each new factor joins one variable already
// in the tree with 0-2 new ones (arity 1-3); cardinalities 2-4.
inline bp::factor_model random_tree(std::size_t variables, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::uint32_t> cardinality(2, 4);
  bp::factor_model m;
  for (std::size_t v = 0; v < variables; ++v) m.cardinality.push_back(cardinality(random));
  std::size_t placed = 1;
  while (placed < variables) {
    std::uniform_int_distribution<std::size_t> existing(0, placed - 1), fresh(1, 2);
    std::vector<bp::variable_id> scope{static_cast<bp::variable_id>(existing(random))};
    for (std::size_t k = fresh(random); k > 0 && placed < variables; --k) scope.push_back(static_cast<bp::variable_id>(placed++));
    std::shuffle(scope.begin(), scope.end(), random);
    m.factors.push_back(random_factor(m, scope, random));
  }
  // Unary factors on some variables.
  for (std::size_t v = 0; v < variables; v += 2) m.factors.push_back(random_factor(m, {static_cast<bp::variable_id>(v)}, random));
  return m;
}

// A side x side grid of binary variables with random pairwise and unary factors.
inline bp::factor_model random_grid(std::size_t side, std::uint64_t seed, double coupling = 1.0) {
  std::mt19937_64 random(seed);
  bp::factor_model m;
  m.cardinality.assign(side * side, 2);
  const auto at = [&](std::size_t r, std::size_t c) { return static_cast<bp::variable_id>(r * side + c); };
  for (std::size_t r = 0; r < side; ++r)
    for (std::size_t c = 0; c < side; ++c) {
      m.factors.push_back(random_factor(m, {at(r, c)}, random));
      if (c + 1 < side) m.factors.push_back(random_factor(m, {at(r, c), at(r, c + 1)}, random, coupling));
      if (r + 1 < side) m.factors.push_back(random_factor(m, {at(r, c), at(r + 1, c)}, random, coupling));
    }
  return m;
}

}  // namespace gasworks::testing
