#pragma once
// Standardisation: each column divided by its standard deviation (about its
// mean when an intercept is fitted, about zero otherwise), so that lambda
// weighs every feature alike whatever its units. Coefficients found on the
// scaled data are divided by the same scales to answer in the data's units;
// the intercept is unchanged (b = mean(y) - sum_j mean_j beta_j is the same
// sum either way).
#include <cmath>
#include <cstdint>
#include <vector>

#include "toolkits/lasso/regression_file.hpp"

namespace gasworks::lasso {

// Scales the columns of `d` in place and returns each column's scale (1 for
// a column with no spread, which stays as it is).
inline std::vector<double> standardize(regression_data& d, bool about_mean) {
  const double n = static_cast<double>(d.samples);
  std::vector<double> scale(d.features, 1.0);
  for (std::uint64_t j = 0; j < d.features; ++j) {
    double sum = 0, squares = 0;
    for (std::uint64_t k = d.column_start[j]; k < d.column_start[j + 1]; ++k) {
      sum += d.value[k];
      squares += d.value[k] * d.value[k];
    }
    const double mean = about_mean ? sum / n : 0.0;
    const double variance = squares / n - mean * mean;
    if (variance > 0) scale[j] = std::sqrt(variance);
    for (std::uint64_t k = d.column_start[j]; k < d.column_start[j + 1]; ++k) d.value[k] /= scale[j];
  }
  return scale;
}

}  // namespace gasworks::lasso
