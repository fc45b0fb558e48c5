#pragma once
// A grey-scale image, one byte per pixel (0 black .. 255 white): what the
// denoising toolkit reads, corrupts with noise, restores and writes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/error.hpp"

namespace gasworks::denoise {

struct grey_image {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<std::uint8_t> pixels;  // row-major: row y starts at y * width

  // An image of one value, the usual start of a synthetic one.
  static grey_image filled(std::uint32_t columns, std::uint32_t rows, std::uint8_t value) {
    return {columns, rows, std::vector<std::uint8_t>(std::size_t{columns} * rows, value)};
  }

  std::size_t pixel_count() const noexcept { return std::size_t{width} * height; }
  std::size_t index(std::uint32_t x, std::uint32_t y) const noexcept { return std::size_t{y} * width + x; }

  // Checked like std::vector::at; loops over every pixel use `pixels` directly.
  std::uint8_t at(std::uint32_t x, std::uint32_t y) const { return pixels.at(checked_index(x, y)); }
  std::uint8_t& at(std::uint32_t x, std::uint32_t y) { return pixels.at(checked_index(x, y)); }

  bool operator==(const grey_image&) const = default;

 private:
  std::size_t checked_index(std::uint32_t x, std::uint32_t y) const {
    if (x >= width || y >= height) {
      throw std::out_of_range("pixel (" + std::to_string(x) + ", " + std::to_string(y) + ") is outside a " +
                              std::to_string(width) + " x " + std::to_string(height) + " image");
    }
    return index(x, y);
  }
};

// The mean of |a - b| over all pixels, in grey levels: the toolkit's measure
// of how far a restored image is from the clean one. Throws usage_error (an
// std::invalid_argument) when the sizes differ.
inline double mean_absolute_error(const grey_image& a, const grey_image& b) {
  if (a.width != b.width || a.height != b.height) {
    throw usage_error("mean_absolute_error of a " + std::to_string(a.width) + " x " + std::to_string(a.height) +
                      " and a " + std::to_string(b.width) + " x " + std::to_string(b.height) + " image");
  }
  if (a.pixels.size() != a.pixel_count() || b.pixels.size() != b.pixel_count())
    throw usage_error("mean_absolute_error of an image whose pixel count is not width x height");
  if (a.pixels.empty()) return 0.0;
  // An integer sum, so the result is exact up to the one final division.
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += static_cast<std::uint64_t>(std::abs(a.pixels[i] - b.pixels[i]));
  return static_cast<double>(sum) / static_cast<double>(a.pixels.size());
}

}  // namespace gasworks::denoise
