#pragma once
// How a fitted model predicts a rating, shared by training metrics, the
// predictions file and the reference oracles:
//
//   prediction(u, i) = offset + b_u + b_i + f_u . f_i, clamped to [min, max]
//
// where offset is the global mean for biased models and 0 otherwise. A user
// or item without training ratings has no fitted factors: the prediction is
// then the global mean plus the bias of the side that is known, if any.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "toolkits/cf/latent_vertex.hpp"

namespace gasworks::cf {

// Count, sum and range of the training ratings; combines over ranks with +=.
struct rating_summary {
  std::uint64_t count = 0;
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  rating_summary& operator+=(const rating_summary& o) noexcept {
    count += o.count;
    sum += o.sum;
    min = std::min(min, o.min);
    max = std::max(max, o.max);
    return *this;
  }
  double mean() const noexcept { return count ? sum / static_cast<double>(count) : 0.0; }
};

struct prediction_rule {
  double offset = 0;  // global mean for biased models, else 0
  double mean = 0;    // global mean of the training ratings
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();

  // The model's value before clamping (both sides fitted).
  static double raw(const latent_vertex& user, const latent_vertex& item, double offset) {
    return offset + user.bias + item.bias + user.factors.dot(item.factors);
  }

  double operator()(const latent_vertex& user, const latent_vertex& item) const {
    double x;
    if (user.fitted() && item.fitted()) x = raw(user, item, offset);
    else if (user.fitted()) x = mean + user.bias;
    else if (item.fitted()) x = mean + item.bias;
    else x = mean;
    return std::clamp(x, min, max);
  }
};

}  // namespace gasworks::cf
