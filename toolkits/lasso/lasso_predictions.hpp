#pragma once
// Predictions of a fitted Lasso for new samples, y = b + x beta, and their
// errors. New data name features by the indices of the file (a feature the
// training data never had has a zero coefficient).
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "toolkits/lasso/regression_file.hpp"

namespace gasworks::lasso {

// beta: per column of `training`.
inline std::vector<double> predict(const regression_data& training, const std::vector<double>& beta, double intercept,
                                   const regression_data& samples) {
  std::unordered_map<std::uint64_t, double> coefficient_of;  // by the file's feature index
  for (std::uint64_t j = 0; j < training.features; ++j)
    if (beta[j] != 0) coefficient_of.emplace(training.feature_index[j], beta[j]);
  std::vector<double> y(samples.samples, intercept);
  for (std::uint64_t j = 0; j < samples.features; ++j) {
    const auto found = coefficient_of.find(samples.feature_index[j]);
    if (found == coefficient_of.end()) continue;
    for (std::uint64_t k = samples.column_start[j]; k < samples.column_start[j + 1]; ++k)
      y[samples.sample[k]] += samples.value[k] * found->second;
  }
  return y;
}

struct prediction_errors {
  double rmse = 0;
  double r2 = 0;  // 1 - SS_res / SS_tot (scikit-learn's score)
};

inline prediction_errors measure_predictions(const std::vector<double>& predicted, const std::vector<double>& actual) {
  const double n = static_cast<double>(actual.size());
  double mean = 0;
  for (double y : actual) mean += y;
  mean /= n;
  double residual = 0, total = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
    total += (actual[i] - mean) * (actual[i] - mean);
  }
  return {std::sqrt(residual / n), total > 0 ? 1 - residual / total : 0.0};
}

}  // namespace gasworks::lasso
