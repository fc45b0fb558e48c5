#pragma once
// Image denoising as belief propagation on a grid Markov random field
// (PowerGraph's denoising demo): one variable per pixel whose L labels stand
// for the grey values g_l = (l + 0.5) * 256 / L, a data factor per pixel
// that says how well each label explains the observed grey value y,
//   exp(-(y - g_l)^2 / (2 sigma^2))   (sigma: the noise's standard deviation),
// and a smoothing factor between 4-neighbours that prefers equal labels,
//   exp(-S d(l, l')),  d = [l != l'] (potts), |l - l'| (linear), (l - l')^2 (quadratic),
// label distances counted in label steps. The factors of a pixel's grey
// value share one table, and every smoothing factor the same one, so the
// model holds at most 257 tables whatever the image's size.
//
// The denoised image is, for marginals, each pixel's posterior mean grey
// value sum_l p(l) g_l, and for MAP labels the label's grey value.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.hpp"
#include "toolkits/bp/bp_settings.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/denoise/grey_image.hpp"

namespace gasworks::denoise {

enum class smoothing_potential { potts, linear, quadratic };

constexpr std::string_view to_string(smoothing_potential p) noexcept {
  switch (p) {
    case smoothing_potential::potts: return "potts";
    case smoothing_potential::linear: return "linear";
    case smoothing_potential::quadratic: return "quadratic";
  }
  return "unknown";
}

inline smoothing_potential parse_potential(std::string_view name) {
  for (auto p : {smoothing_potential::potts, smoothing_potential::linear, smoothing_potential::quadratic})
    if (name == to_string(p)) return p;
  throw usage_error("unknown potential '" + std::string(name) + "' (expected potts, linear or quadratic)");
}

// The defaults restore camera.png under Gaussian noise of sigma 30 best for
// their cost among the settings measured (the command's help gives the
// figures). Linear smoothing keeps edges that Potts would need a strength
// beyond BP's convergence to match; a factor's messages cost L^2, and 12
// labels lose little to 16 or 32 once the posterior mean interpolates
// between them.
struct denoising_settings {
  std::uint32_t labels = 12;
  double smoothing = 0.7;  // S, per label step of distance
  smoothing_potential potential = smoothing_potential::linear;
  double noise_sigma = 30;  // of the data factor, in grey levels
};

// How belief propagation runs on a denoising model unless told otherwise:
// sum-product flooding until no message entry changes by 0.02. The error
// barely moves below that tolerance (camera.png: 8.67 at 0.02, 8.47 at
// 0.01 for 50% more iterations); stronger smoothing converges ever more
// slowly, hence the iteration limit.
inline bp::bp_settings denoising_bp_settings() {
  bp::bp_settings s;
  s.tolerance = 0.02;
  s.max_iterations = 100;
  return s;
}

constexpr std::uint32_t max_labels = 256;  // one per grey level
// A smaller sigma would make the data factor a hard choice of the nearest
// label, with nothing left for the smoothing to weigh.
constexpr double min_noise_sigma = 1.0;

inline void check_settings(const denoising_settings& s) {
  if (s.labels < 2 || s.labels > max_labels)
    throw usage_error("the number of labels must be in [2, 256], not " + std::to_string(s.labels));
  if (!std::isfinite(s.smoothing) || s.smoothing < 0)
    throw usage_error("the smoothing must be finite and non-negative, not " + std::to_string(s.smoothing));
  if (!std::isfinite(s.noise_sigma) || s.noise_sigma < min_noise_sigma)
    throw usage_error("the noise sigma must be at least 1 grey level, not " + std::to_string(s.noise_sigma));
}

// The grey value label l stands for: the middle of its share of 0..256.
inline double label_grey(std::uint32_t label, std::uint32_t labels) noexcept {
  return (label + 0.5) * 256.0 / labels;
}

// The data factor of a pixel observed as `observed`. Scaled so that its
// largest entry is 1: belief propagation normalises every message, so the
// scale changes nothing, and a small sigma cannot underflow every entry.
inline bp::factor_table data_table(std::uint8_t observed, const denoising_settings& s) {
  std::vector<double> squared(s.labels);
  for (std::uint32_t l = 0; l < s.labels; ++l) squared[l] = std::pow(observed - label_grey(l, s.labels), 2);
  const double nearest = *std::min_element(squared.begin(), squared.end());
  std::vector<double> entries(s.labels);
  for (std::uint32_t l = 0; l < s.labels; ++l)
    entries[l] = std::exp(-(squared[l] - nearest) / (2 * s.noise_sigma * s.noise_sigma));
  return bp::factor_table(std::move(entries));
}

// d(l, l') in label steps.
inline double label_distance(std::uint32_t a, std::uint32_t b, smoothing_potential p) noexcept {
  const double steps = a > b ? a - b : b - a;
  switch (p) {
    case smoothing_potential::potts: return steps > 0 ? 1.0 : 0.0;
    case smoothing_potential::linear: return steps;
    case smoothing_potential::quadratic: return steps * steps;
  }
  return steps;
}

// The smoothing factor of two neighbours, row-major over (l, l').
inline bp::factor_table smoothing_table(const denoising_settings& s) {
  std::vector<double> entries(std::size_t{s.labels} * s.labels);
  for (std::uint32_t a = 0; a < s.labels; ++a)
    for (std::uint32_t b = 0; b < s.labels; ++b)
      entries[std::size_t{a} * s.labels + b] = std::exp(-s.smoothing * label_distance(a, b, s.potential));
  return bp::factor_table(std::move(entries));
}

// Variable i is pixel i (row-major). Factor i is pixel i's data factor;
// then come the smoothing factors, each pixel with its right neighbour row
// by row, then each with the one below.
inline bp::factor_model denoising_model(const grey_image& observed, const denoising_settings& s) {
  check_settings(s);
  if (observed.pixel_count() == 0 || observed.pixels.size() != observed.pixel_count())
    throw usage_error("denoising needs an image with pixels, width x height of them");
  bp::factor_model m;
  m.cardinality.assign(observed.pixel_count(), s.labels);
  const std::size_t w = observed.width;
  const std::size_t h = observed.height;
  m.factors.reserve(w * h + (w - 1) * h + w * (h - 1));
  std::array<bp::factor_table, 256> data_by_grey;
  std::array<bool, 256> made{};
  for (std::size_t i = 0; i < observed.pixels.size(); ++i) {
    const std::uint8_t y = observed.pixels[i];
    if (!made[y]) data_by_grey[y] = data_table(y, s);
    made[y] = true;
    m.factors.push_back({{static_cast<bp::variable_id>(i)}, data_by_grey[y]});
  }
  const bp::factor_table smoothing = smoothing_table(s);
  for (std::uint32_t y = 0; y < observed.height; ++y)
    for (std::uint32_t x = 0; x + 1 < observed.width; ++x)
      m.factors.push_back({{static_cast<bp::variable_id>(observed.index(x, y)), static_cast<bp::variable_id>(observed.index(x + 1, y))},
                           smoothing});
  for (std::uint32_t y = 0; y + 1 < observed.height; ++y)
    for (std::uint32_t x = 0; x < observed.width; ++x)
      m.factors.push_back({{static_cast<bp::variable_id>(observed.index(x, y)), static_cast<bp::variable_id>(observed.index(x, y + 1))},
                           smoothing});
  return m;
}

namespace detail {

inline std::uint8_t grey_level(double value) noexcept {
  return static_cast<std::uint8_t>(std::clamp(std::round(value), 0.0, 255.0));
}

inline void check_pixel_count(std::size_t values, std::uint32_t width, std::uint32_t height) {
  if (values != std::size_t{width} * height)
    throw usage_error(std::to_string(values) + " pixel values for a " + std::to_string(width) + " x " +
                      std::to_string(height) + " image");
}

}  // namespace detail

// Each pixel's label as its grey value (the MAP image).
inline grey_image image_from_labels(std::uint32_t width, std::uint32_t height, const std::vector<std::uint32_t>& labels,
                                    std::uint32_t label_count) {
  detail::check_pixel_count(labels.size(), width, height);
  grey_image image = grey_image::filled(width, height, 0);
  for (std::size_t i = 0; i < labels.size(); ++i) image.pixels[i] = detail::grey_level(label_grey(labels[i], label_count));
  return image;
}

// Each pixel's posterior mean grey value, rounded: the estimate with the
// least expected squared error, and finer than the label step.
inline grey_image image_from_marginals(std::uint32_t width, std::uint32_t height, const bp::marginals& beliefs) {
  detail::check_pixel_count(beliefs.size(), width, height);
  grey_image image = grey_image::filled(width, height, 0);
  for (std::size_t i = 0; i < beliefs.size(); ++i) {
    const auto labels = static_cast<std::uint32_t>(beliefs[i].size());
    double mean = 0;
    double total = 0;
    for (std::uint32_t l = 0; l < labels; ++l) {
      mean += beliefs[i][l] * label_grey(l, labels);
      total += beliefs[i][l];
    }
    image.pixels[i] = detail::grey_level(total > 0 ? mean / total : 0.0);
  }
  return image;
}

// The noise's standard deviation estimated from the image alone (Donoho's
// robust estimate): the finest diagonal wavelet detail, (a - b - c + d) / 2
// over 2x2 blocks, is almost all noise in a natural image, and its median
// absolute value is 0.6745 sigma for Gaussian noise; edges, rare among the
// blocks, barely move the median. Never below min_noise_sigma.
inline double estimate_noise_sigma(const grey_image& image) {
  std::vector<double> details;
  details.reserve(image.pixel_count() / 4);
  for (std::uint32_t y = 0; y + 1 < image.height; y += 2)
    for (std::uint32_t x = 0; x + 1 < image.width; x += 2) {
      const double a = image.pixels[image.index(x, y)], b = image.pixels[image.index(x + 1, y)];
      const double c = image.pixels[image.index(x, y + 1)], d = image.pixels[image.index(x + 1, y + 1)];
      details.push_back(std::abs(a - b - c + d) / 2);
    }
  if (details.empty()) return min_noise_sigma;
  auto middle = details.begin() + static_cast<std::ptrdiff_t>(details.size() / 2);
  std::nth_element(details.begin(), middle, details.end());
  return std::max(min_noise_sigma, *middle / 0.6745);
}

}  // namespace gasworks::denoise
