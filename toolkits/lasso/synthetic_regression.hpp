#pragma once
// A seeded sparse regression problem with strongly correlated blocks of
// features — where parallel coordinate descent that ignores dependencies
// (Shotgun) struggles. Features come in blocks of `block`; each sample
// touches per_sample / block blocks chosen at random and fills every feature
// of each, x_ik = c z + sqrt(1 - c^2) e_ik with one z per (sample, block), so
// features of a block correlate by about c. The target is y = X beta* +
// noise for a sparse beta* (one feature in every tenth block, +-1).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/core/error.hpp"
#include "toolkits/lasso/regression_file.hpp"

namespace gasworks::lasso {

struct synthetic_design {
  std::uint64_t samples = 100000;
  std::uint64_t features = 50000;
  std::uint64_t per_sample = 50;  // nonzeros per sample (rounded to whole blocks)
  std::uint64_t block = 10;       // features per correlated block
  double correlation = 0.9;       // c, within a block
  double noise = 0.1;             // standard deviation of the target's noise
  std::uint64_t seed = 1;
};

inline regression_data generate_regression(const synthetic_design& s) {
  if (s.block == 0 || s.block > s.features) throw usage_error("a block must hold between 1 and all features");
  const std::uint64_t blocks = s.features / s.block;
  const std::uint64_t touched = std::clamp<std::uint64_t>(s.per_sample / s.block, 1, blocks);
  std::mt19937_64 random(s.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_int_distribution<std::uint64_t> any_block(0, blocks - 1);
  const double own = std::sqrt(1 - s.correlation * s.correlation);

  // beta*: the first feature of every tenth block, alternating in sign.
  std::vector<double> truth(s.features, 0.0);
  for (std::uint64_t b = 0; b < blocks; b += 10) truth[b * s.block] = (b / 10) % 2 == 0 ? 1.0 : -1.0;

  struct entry {
    std::uint64_t sample, feature;
    double value;
  };
  std::vector<entry> entries;
  entries.reserve(s.samples * touched * s.block);
  regression_data d;
  d.samples = s.samples;
  d.target.assign(s.samples, 0.0);
  std::vector<std::uint64_t> chosen;
  for (std::uint64_t i = 0; i < s.samples; ++i) {
    chosen.clear();
    while (chosen.size() < touched) {
      const std::uint64_t b = any_block(random);
      if (std::find(chosen.begin(), chosen.end(), b) == chosen.end()) chosen.push_back(b);
    }
    for (const std::uint64_t b : chosen) {
      const double shared = normal(random);
      for (std::uint64_t f = b * s.block; f < (b + 1) * s.block; ++f) {
        const double x = s.correlation * shared + own * normal(random);
        entries.push_back({i, f, x});
        d.target[i] += x * truth[f];
      }
    }
    d.target[i] += s.noise * normal(random);
  }
  // Into columns, by feature then sample (a counting sort keeps samples in order).
  std::vector<std::uint64_t> count(s.features + 1, 0);
  for (const entry& e : entries) ++count[e.feature + 1];
  std::vector<std::uint64_t> feature_column(s.features, 0);
  for (std::uint64_t f = 0; f < s.features; ++f)
    if (count[f + 1] > 0) {
      feature_column[f] = d.feature_index.size();
      d.feature_index.push_back(f);
    }
  d.features = d.feature_index.size();
  d.declared_features = s.features;
  d.column_start.assign(d.features + 1, 0);
  for (std::uint64_t f = 0; f < s.features; ++f)
    if (count[f + 1] > 0) d.column_start[feature_column[f] + 1] = count[f + 1];
  for (std::uint64_t j = 0; j < d.features; ++j) d.column_start[j + 1] += d.column_start[j];
  d.sample.resize(entries.size());
  d.value.resize(entries.size());
  std::vector<std::uint64_t> at(d.column_start.begin(), d.column_start.end() - 1);
  for (const entry& e : entries) {
    const std::uint64_t k = at[feature_column[e.feature]]++;
    d.sample[k] = e.sample;
    d.value[k] = e.value;
  }
  return d;
}

}  // namespace gasworks::lasso
