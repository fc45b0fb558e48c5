#pragma once
// Gaussian noise for grey images: the corrupted input of a denoising run,
// reproducible from its seed.
//
// std::normal_distribution (and std::uniform_real_distribution) are not
// pinned down by the standard, so libstdc++, libc++ and MSVC give different
// images for one seed. std::mt19937_64's output is fixed by the standard, and
// the transform to normal deviates below is written out, so the same seed
// gives the same noise everywhere; only the last bit of std::log (or a fused
// multiply-add) could differ between platforms, which changes a pixel only
// when its noisy value lies within that bit of a rounding boundary.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "engine/core/error.hpp"
#include "toolkits/denoise/grey_image.hpp"

namespace gasworks::denoise {

// Standard normal deviates by Marsaglia's polar method: one std::log and one
// std::sqrt (exact in IEEE arithmetic) per pair, and no sin or cos, so fewer
// library functions whose last bit may differ between C libraries.
class standard_normal_source {
 public:
  explicit standard_normal_source(std::uint64_t seed) : engine_(seed) {}

  double next() {
    // The method yields deviates in pairs; the second waits for the next call.
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0;
    double v = 0;
    double s = 0;
    do {
      u = 2.0 * unit_interval() - 1.0;
      v = 2.0 * unit_interval() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double scale = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * scale;
    has_spare_ = true;
    return u * scale;
  }

 private:
  // The engine's top 53 bits as a double in [0, 1): exact, with no library
  // rounding in between (std::generate_canonical's is not portable either).
  double unit_interval() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// `clean` plus N(0, sigma^2) noise per pixel (drawn in row-major order),
// rounded to the nearest grey level and clamped to 0..255. Throws usage_error
// for a negative or non-finite sigma.
inline grey_image add_gaussian_noise(const grey_image& clean, double sigma, std::uint64_t seed) {
  if (!std::isfinite(sigma) || sigma < 0)
    throw usage_error("the noise's standard deviation must be finite and non-negative, not " + std::to_string(sigma));
  standard_normal_source normal(seed);
  grey_image noisy = clean;
  for (std::uint8_t& pixel : noisy.pixels) {
    const double value = std::round(static_cast<double>(pixel) + sigma * normal.next());
    pixel = static_cast<std::uint8_t>(std::clamp(value, 0.0, 255.0));
  }
  return noisy;
}

}  // namespace gasworks::denoise
