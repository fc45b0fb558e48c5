// The denoising model: a grid of pixels with exactly the factors and tables
// it promises, shared rather than copied; images made from beliefs and
// labels; the noise estimate; and restorations that at least halve the
// error of a noisy image on every schedule.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include "engine/comm/communicator.hpp"
#include "engine/core/error.hpp"
#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_settings.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/denoise/denoising_model.hpp"
#include "toolkits/denoise/grey_image.hpp"
#include "toolkits/denoise/image_noise.hpp"

namespace gasworks::denoise {
namespace {

denoising_settings tiny_settings(smoothing_potential potential) {
  denoising_settings s;
  s.labels = 4;  // grey values 32, 96, 160, 224
  s.smoothing = 0.5;
  s.potential = potential;
  s.noise_sigma = 20;
  return s;
}

// 3 x 2:  0 100 100
//       255   0 100
grey_image tiny_image() { return {3, 2, {0, 100, 100, 255, 0, 100}}; }

// The image restored by a run of belief propagation on its model.
grey_image denoised(const grey_image& observed, const denoising_settings& model_settings, const bp::bp_settings& run) {
  auto model = std::make_shared<const bp::factor_model>(denoising_model(observed, model_settings));
  auto g = bp::load_factor_graph(std::make_shared<communicator>(), *model);
  const bp::bp_result result = bp::run_bp(g, model, {}, run);
  return run.task == bp::bp_task::map ? image_from_labels(observed.width, observed.height, result.labels, model_settings.labels)
                                      : image_from_marginals(observed.width, observed.height, result.beliefs);
}

TEST(DenoisingModel, ATinyImageHasAVariablePerPixelAndAFactorPerPixelAndNeighbourPair) {
  const bp::factor_model m = denoising_model(tiny_image(), tiny_settings(smoothing_potential::linear));
  EXPECT_EQ(m.cardinality, (std::vector<std::uint32_t>(6, 4)));
  // 6 data factors, 2 x 2 horizontal and 3 x 1 vertical pairs.
  ASSERT_EQ(m.factors.size(), 13u);
  for (bp::variable_id v = 0; v < 6; ++v) EXPECT_EQ(m.factors[v].scope, (std::vector<bp::variable_id>{v}));
  const std::vector<std::vector<bp::variable_id>> pairs = {{0, 1}, {1, 2}, {3, 4}, {4, 5}, {0, 3}, {1, 4}, {2, 5}};
  for (std::size_t i = 0; i < pairs.size(); ++i) EXPECT_EQ(m.factors[6 + i].scope, pairs[i]) << i;
}

TEST(DenoisingModel, ADataTableWeighsEachLabelByTheGaussianOfItsDistance) {
  const bp::factor_model m = denoising_model(tiny_image(), tiny_settings(smoothing_potential::linear));
  // y = 100: distances 68, 4, 60, 124 to the labels' grey values; scaled so
  // that the nearest label (96) weighs 1.
  const std::vector<double>& entries = m.factors[1].table.entries();
  ASSERT_EQ(entries.size(), 4u);
  const double two_sigma_squared = 2 * 20.0 * 20.0;
  const std::vector<double> expected = {std::exp(-(68.0 * 68 - 16) / two_sigma_squared), 1.0,
                                        std::exp(-(60.0 * 60 - 16) / two_sigma_squared),
                                        std::exp(-(124.0 * 124 - 16) / two_sigma_squared)};
  for (std::size_t l = 0; l < 4; ++l) EXPECT_NEAR(entries[l], expected[l], 1e-15) << l;
  // y = 0: label 0 (32) is nearest.
  EXPECT_DOUBLE_EQ(m.factors[0].table[0], 1.0);
  EXPECT_NEAR(m.factors[0].table[1], std::exp(-(96.0 * 96 - 32 * 32) / two_sigma_squared), 1e-15);
}

TEST(DenoisingModel, SmoothingTablesFollowTheirPotential) {
  const double e = std::exp(-0.5);
  const std::vector<std::pair<smoothing_potential, std::vector<double>>> cases = {
      {smoothing_potential::potts, {1, e, e, e, e, 1, e, e, e, e, 1, e, e, e, e, 1}},
      {smoothing_potential::linear,
       {1, e, e * e, e * e * e, e, 1, e, e * e, e * e, e, 1, e, e * e * e, e * e, e, 1}},
      {smoothing_potential::quadratic,
       {1, e, std::pow(e, 4), std::pow(e, 9), e, 1, e, std::pow(e, 4), std::pow(e, 4), e, 1, e, std::pow(e, 9), std::pow(e, 4), e, 1}},
  };
  for (const auto& [potential, expected] : cases) {
    const bp::factor_model m = denoising_model(tiny_image(), tiny_settings(potential));
    const std::vector<double>& entries = m.factors[6].table.entries();
    ASSERT_EQ(entries.size(), 16u);
    for (std::size_t i = 0; i < 16; ++i) EXPECT_NEAR(entries[i], expected[i], 1e-15) << to_string(potential) << " entry " << i;
  }
}

TEST(DenoisingModel, PixelsOfOneGreyAndAllNeighboursShareTheirTables) {
  const bp::factor_model m = denoising_model(tiny_image(), tiny_settings(smoothing_potential::potts));
  // Pixels 1, 2 and 5 are 100, pixels 0 and 4 are 0.
  EXPECT_EQ(&m.factors[1].table.entries(), &m.factors[2].table.entries());
  EXPECT_EQ(&m.factors[1].table.entries(), &m.factors[5].table.entries());
  EXPECT_EQ(&m.factors[0].table.entries(), &m.factors[4].table.entries());
  EXPECT_NE(&m.factors[0].table.entries(), &m.factors[1].table.entries());
  EXPECT_NE(&m.factors[3].table.entries(), &m.factors[0].table.entries());
  for (std::size_t f = 7; f < m.factors.size(); ++f) EXPECT_EQ(&m.factors[f].table.entries(), &m.factors[6].table.entries()) << f;

  // A larger image: one table per grey value in it, plus one for every pair.
  grey_image gradient = grey_image::filled(64, 64, 0);
  for (std::size_t i = 0; i < gradient.pixels.size(); ++i) gradient.pixels[i] = static_cast<std::uint8_t>(i % 256);
  const bp::factor_model big = denoising_model(gradient, denoising_settings{});
  std::set<const std::vector<double>*> tables;
  for (const auto& f : big.factors) tables.insert(&f.table.entries());
  EXPECT_EQ(tables.size(), 257u);
}

TEST(DenoisingModel, BadSettingsAreUsageErrors) {
  for (auto change : {+[](denoising_settings& s) { s.labels = 1; }, +[](denoising_settings& s) { s.labels = 257; },
                      +[](denoising_settings& s) { s.smoothing = -1; }, +[](denoising_settings& s) { s.noise_sigma = 0.5; },
                      +[](denoising_settings& s) { s.noise_sigma = NAN; }}) {
    denoising_settings s;
    change(s);
    EXPECT_THROW(denoising_model(tiny_image(), s), usage_error);
  }
  EXPECT_THROW(denoising_model(grey_image{}, denoising_settings{}), usage_error);
  EXPECT_EQ(parse_potential("quadratic"), smoothing_potential::quadratic);
  EXPECT_THROW(parse_potential("gaussian"), usage_error);
}

TEST(DenoisingModel, ImagesFromLabelsAndMarginals) {
  // Two labels: grey values 64 and 192.
  EXPECT_EQ(image_from_labels(2, 1, {0, 1}, 2).pixels, (std::vector<std::uint8_t>{64, 192}));
  const bp::marginals beliefs = {{0.5, 0.5}, {0.25, 0.75}, {1, 0}};
  EXPECT_EQ(image_from_marginals(3, 1, beliefs).pixels, (std::vector<std::uint8_t>{128, 160, 64}));
  EXPECT_THROW(image_from_marginals(2, 2, beliefs), usage_error);
}

TEST(DenoisingModel, TheNoiseEstimateComesCloseToTheTruth) {
  const grey_image flat = grey_image::filled(128, 128, 120);
  EXPECT_EQ(estimate_noise_sigma(flat), min_noise_sigma);
  for (double sigma : {10.0, 30.0}) EXPECT_NEAR(estimate_noise_sigma(add_gaussian_noise(flat, sigma, 7)), sigma, 0.1 * sigma);
}

TEST(DenoisingModel, ANoiselessConstantImageDenoisesToItself) {
  // 96 is the grey value of a label with the default 12 labels.
  const grey_image flat = grey_image::filled(12, 10, 96);
  denoising_settings s;
  s.noise_sigma = estimate_noise_sigma(flat);
  for (auto task : {bp::bp_task::mar, bp::bp_task::map}) {
    bp::bp_settings run = denoising_bp_settings();
    run.task = task;
    EXPECT_EQ(denoised(flat, s, run), flat) << to_string(task);
  }
}

// Two grey levels in a rectangle and a disc on a background.
grey_image two_tone_shapes() {
  grey_image image = grey_image::filled(48, 48, 70);
  for (std::uint32_t y = 0; y < 48; ++y)
    for (std::uint32_t x = 0; x < 48; ++x) {
      const bool in_rectangle = x >= 6 && x < 22 && y >= 8 && y < 40;
      const bool in_disc = (x - 33.0) * (x - 33.0) + (y - 24.0) * (y - 24.0) <= 100;
      if (in_rectangle || in_disc) image.at(x, y) = 180;
    }
  return image;
}

TEST(DenoisingModel, TheDefaultsAtLeastHalveTheErrorOnEverySchedule) {
  const grey_image clean = two_tone_shapes();
  const grey_image noisy = add_gaussian_noise(clean, 30, 3);
  const double noisy_error = mean_absolute_error(noisy, clean);
  EXPECT_GT(noisy_error, 20);
  denoising_settings s;
  s.noise_sigma = 30;
  for (auto schedule : {bp::bp_schedule::sync, bp::bp_schedule::residual, bp::bp_schedule::sweep}) {
    bp::bp_settings run = denoising_bp_settings();
    run.schedule = schedule;
    const double error = mean_absolute_error(denoised(noisy, s, run), clean);
    EXPECT_LE(error, noisy_error / 2) << to_string(schedule) << ": " << error << " from " << noisy_error;
  }
}

}  // namespace
}  // namespace gasworks::denoise
