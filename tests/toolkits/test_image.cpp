// Grey images for the denoising toolkit: PNG and PGM files round-trip pixel
// for pixel, every PNG colour type and PGM maxval reads as 8-bit grey, bad
// files are input_errors naming the file, and the Gaussian noise is
// reproducible from its seed with the moments it promises.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "toolkits/denoise/grey_image.hpp"
#include "toolkits/denoise/image_files.hpp"
#include "toolkits/denoise/image_noise.hpp"

namespace gasworks::denoise {
namespace {

using testing::scratch_directory;

// A gradient with both extremes, so that no value is special-cased by luck.
grey_image synthetic_image(std::uint32_t width, std::uint32_t height) {
  grey_image image = grey_image::filled(width, height, 0);
  for (std::uint32_t y = 0; y < height; ++y)
    for (std::uint32_t x = 0; x < width; ++x) image.at(x, y) = static_cast<std::uint8_t>((x * 7 + y * 13) % 256);
  image.at(0, 0) = 0;
  image.at(width - 1, height - 1) = 255;
  return image;
}

std::string file_content(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

double mean_pixel(const grey_image& image) {
  double sum = 0;
  for (const std::uint8_t p : image.pixels) sum += p;
  return sum / static_cast<double>(image.pixels.size());
}

// Runs `read` and checks that it throws an input_error naming `file` and
// saying `expected`.
template <typename Read>
void expect_input_error(const std::filesystem::path& file, const std::string& expected, Read read) {
  try {
    read();
    ADD_FAILURE() << "no error for " << file;
  } catch (const input_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(file.string()), std::string::npos) << what;
    EXPECT_NE(what.find(expected), std::string::npos) << what;
    EXPECT_EQ(e.file(), file);
  }
}

// ------------------------------------------------ PNG files written by hand
// (libpng's writer makes 8-bit grey only; these cover the other kinds)

std::string big_endian(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
          static_cast<char>(value)};
}

std::string png_chunk(std::string_view type, const std::string& data) {
  const std::string body = std::string(type) + data;
  const auto crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  return big_endian(static_cast<std::uint32_t>(data.size())) + body + big_endian(static_cast<std::uint32_t>(crc));
}

// `rows` are the raw scanlines, each led by its filter byte (0: none).
std::string handmade_png(std::uint32_t width, std::uint32_t height, int bit_depth, int colour_type, const std::string& rows) {
  const std::string header = big_endian(width) + big_endian(height) + static_cast<char>(bit_depth) +
                             static_cast<char>(colour_type) + std::string(3, '\0');
  uLongf compressed_size = compressBound(static_cast<uLong>(rows.size()));
  std::string compressed(compressed_size, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(compressed.data()), &compressed_size,
                     reinterpret_cast<const Bytef*>(rows.data()), static_cast<uLong>(rows.size())),
            Z_OK);
  compressed.resize(compressed_size);
  return "\x89PNG\r\n\x1a\n" + png_chunk("IHDR", header) + png_chunk("IDAT", compressed) + png_chunk("IEND", "");
}

std::string bytes(std::initializer_list<int> values) {
  std::string text;
  for (const int v : values) text.push_back(static_cast<char>(v));
  return text;
}

// ---------------------------------------------------------------- files

TEST(ImageFiles, PngAndPgmReadBackPixelIdentical) {
  scratch_directory dir("image_round_trip");
  const grey_image image = synthetic_image(37, 23);
  const auto png = dir.path() / "gradient.png";
  const auto pgm = dir.path() / "gradient.pgm";
  write_png(png, image);
  write_pgm(pgm, image);
  EXPECT_EQ(read_image(png), image);
  EXPECT_EQ(read_image(pgm), image);
  EXPECT_EQ(file_content(pgm).substr(0, 13), "P5\n37 23\n255\n");

  // write_image goes by the extension, whatever its case; the content
  // decides on reading.
  const auto upper_png = dir.path() / "GRADIENT.PNG";
  write_image(upper_png, image);
  EXPECT_EQ(file_content(upper_png).substr(1, 3), "PNG");
  write_image(dir.path() / "copy.pgm", image);
  EXPECT_EQ(file_content(dir.path() / "copy.pgm").substr(0, 2), "P5");
  EXPECT_THROW(write_image(dir.path() / "gradient.jpg", image), std::invalid_argument);
  EXPECT_THROW(write_png(dir.path() / "empty.png", grey_image{}), std::invalid_argument);

  // Writes are atomic: nothing but the four images is left behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 4u);
}

TEST(ImageFiles, AsciiPgmWithCommentsScalesItsMaxval) {
  scratch_directory dir("image_p2");
  const auto file = dir.write("hand.pgm",
                              "P2\n# made by hand\n4 2 # width and height\n# the maxval next\n1023\n"
                              "0 511 512 1023\n4 1 2 1022\n");
  const grey_image image = read_image(file);
  EXPECT_EQ(image.width, 4u);
  EXPECT_EQ(image.height, 2u);
  // v * 255 / 1023 rounded: 127.4, 127.6, 1.0, 0.25, 0.50 (just below), 254.75.
  EXPECT_EQ(image.pixels, (std::vector<std::uint8_t>{0, 127, 128, 255, 1, 0, 0, 255}));
  EXPECT_EQ(image.at(3, 1), 255);
}

TEST(ImageFiles, BinaryPgmWithTwoBytesASample) {
  scratch_directory dir("image_p5_16");
  const auto file = dir.write("deep.pgm", "P5 3 1 65535#a comment before the raster\n" +
                                              bytes({0x00, 0x00, 0x80, 0x80, 0xff, 0xff}));
  EXPECT_EQ(read_image(file).pixels, (std::vector<std::uint8_t>{0, 128, 255}));
}

TEST(ImageFiles, PngOfEveryKindReadsAsEightBitGrey) {
  scratch_directory dir("image_png_kinds");
  // 16-bit grey: scaled like a PGM sample, not read as linear light.
  const auto deep = dir.write("deep.png", handmade_png(3, 1, 16, 0, bytes({0, 0x00, 0x00, 0x80, 0x80, 0xff, 0xff})));
  EXPECT_EQ(read_image(deep).pixels, (std::vector<std::uint8_t>{0, 128, 255}));
  // Grey with alpha: the alpha is dropped, even where it is 0.
  const auto alpha = dir.write("alpha.png", handmade_png(2, 1, 8, 4, bytes({0, 100, 0, 200, 255})));
  EXPECT_EQ(read_image(alpha).pixels, (std::vector<std::uint8_t>{100, 200}));
  // RGB: grey colours keep their level.
  const auto colour = dir.write("rgb.png", handmade_png(2, 1, 8, 2, bytes({0, 90, 90, 90, 255, 255, 255})));
  EXPECT_EQ(read_image(colour).pixels, (std::vector<std::uint8_t>{90, 255}));
  // 1-bit grey: black and white.
  const auto bits = dir.write("bits.png", handmade_png(3, 1, 1, 0, bytes({0, 0b0100'0000})));
  EXPECT_EQ(read_image(bits).pixels, (std::vector<std::uint8_t>{0, 255, 0}));
}

TEST(ImageFiles, ReadsTheSharedCameraman) {
  GASWORKS_REQUIRE_DATASET(file, "images/camera.png");
  const grey_image image = read_image(file);
  EXPECT_EQ(image.width, 512u);
  EXPECT_EQ(image.height, 512u);
  ASSERT_EQ(image.pixels.size(), 512u * 512u);
  const double mean = mean_pixel(image);
  EXPECT_GT(mean, 0.0);
  EXPECT_LT(mean, 255.0);
  // A real photograph survives both writers unchanged.
  scratch_directory dir("image_camera");
  write_png(dir.path() / "camera.png", image);
  write_pgm(dir.path() / "camera.pgm", image);
  EXPECT_EQ(read_image(dir.path() / "camera.png"), image);
  EXPECT_EQ(read_image(dir.path() / "camera.pgm"), image);
}

TEST(ImageFiles, ReadsAColourPhotographAsGrey) {
  GASWORKS_REQUIRE_DATASET(file, "images/astronaut.png");
  const grey_image image = read_image(file);
  EXPECT_EQ(image.width, 512u);
  EXPECT_EQ(image.height, 512u);
  EXPECT_EQ(image.pixels.size(), 512u * 512u);
  const double mean = mean_pixel(image);
  EXPECT_GT(mean, 0.0);
  EXPECT_LT(mean, 255.0);
}

TEST(ImageFiles, BadFilesNameTheFile) {
  scratch_directory dir("image_bad");
  const auto text = dir.write("notes.png", "hello, world\n");
  expect_input_error(text, "not a PNG or PGM image", [&] { read_image(text); });
  const auto empty = dir.write("empty.pgm", "");
  expect_input_error(empty, "not a PNG or PGM image", [&] { read_image(empty); });
  const auto missing = dir.path() / "missing.png";
  expect_input_error(missing, "cannot open", [&] { read_image(missing); });

  // A PNG cut in its image data, and one cut after its signature.
  const auto whole = dir.path() / "whole.png";
  write_png(whole, synthetic_image(64, 48));
  const std::string png = file_content(whole);
  const auto half = dir.write("half.png", png.substr(0, png.size() / 2));
  expect_input_error(half, "bad PNG data", [&] { read_image(half); });
  const auto signature = dir.write("signature.png", png.substr(0, 8));
  expect_input_error(signature, "bad PNG data", [&] { read_image(signature); });

  const auto header = dir.write("header.pgm", "P5\n3 x\n255\nabc");
  expect_input_error(header, ":2: expected the height in [1, 4294967295], got 'x'", [&] { read_image(header); });
  const auto maxval = dir.write("maxval.pgm", "P2\n1 1\n65536\n0\n");
  expect_input_error(maxval, ":3: expected the maxval in [1, 65535], got '65536'", [&] { read_image(maxval); });
  const auto short_raster = dir.write("short.pgm", "P5\n3 2\n255\nabcde");
  expect_input_error(short_raster, "truncated", [&] { read_image(short_raster); });
  const auto too_bright = dir.write("bright.pgm", "P2\n2 1\n15\n3\n16\n");
  expect_input_error(too_bright, ":5: expected a pixel in [0, 15], got '16'", [&] { read_image(too_bright); });
  const auto extra = dir.write("extra.pgm", "P2\n1 1\n15\n3 4\n");
  expect_input_error(extra, ":4: expected the end of the file after 1 x 1 pixels, got '4'", [&] { read_image(extra); });
}

// ---------------------------------------------------------------- noise

TEST(ImageNoise, ReproducibleFromItsSeed) {
  const grey_image clean = synthetic_image(40, 30);
  const grey_image first = add_gaussian_noise(clean, 20.0, 42);
  EXPECT_EQ(add_gaussian_noise(clean, 20.0, 42), first);
  EXPECT_NE(add_gaussian_noise(clean, 20.0, 43), first);
  EXPECT_NE(first, clean);
  EXPECT_EQ(add_gaussian_noise(clean, 0.0, 42), clean);
  EXPECT_THROW(add_gaussian_noise(clean, -1.0, 42), std::invalid_argument);
  EXPECT_THROW(add_gaussian_noise(clean, std::nan(""), 42), std::invalid_argument);
}

TEST(ImageNoise, HasMeanZeroAndTheStandardDeviationAsked) {
  // 128 +- 30 stays 4 standard deviations away from either clamp.
  const grey_image clean = grey_image::filled(256, 256, 128);
  const grey_image noisy = add_gaussian_noise(clean, 30.0, 7);
  double sum = 0;
  double sum_of_squares = 0;
  for (std::size_t i = 0; i < noisy.pixels.size(); ++i) {
    const double difference = static_cast<double>(noisy.pixels[i]) - static_cast<double>(clean.pixels[i]);
    sum += difference;
    sum_of_squares += difference * difference;
  }
  const auto n = static_cast<double>(noisy.pixels.size());
  const double mean = sum / n;
  const double deviation = std::sqrt((sum_of_squares - n * mean * mean) / (n - 1));
  // Standard errors: 30/256 = 0.12 for the mean, 30/sqrt(2n) = 0.08 for the deviation.
  EXPECT_NEAR(mean, 0.0, 0.5);
  EXPECT_NEAR(deviation, 30.0, 1.0);
}

TEST(ImageNoise, ClampsAtWhite) {
  const grey_image clean = grey_image::filled(256, 256, 250);
  const grey_image noisy = add_gaussian_noise(clean, 30.0, 11);
  std::size_t white = 0;
  for (const std::uint8_t p : noisy.pixels) white += p == 255;
  // Noise above +5 is cut off at 255, so the mean falls below 250 by
  // E[(30Z - 5)+] = 30 (phi(a) - a Q(a)) with a = 1/6, about 9.6.
  const double a = 5.0 / 30.0;
  const double density = std::exp(-a * a / 2) / std::sqrt(2 * std::numbers::pi);
  const double upper_tail = std::erfc(a / std::numbers::sqrt2) / 2;
  const double expected_mean = 250.0 - 30.0 * (density - a * upper_tail);
  const double mean = mean_pixel(noisy);
  EXPECT_LT(mean, 250.0);
  EXPECT_NEAR(mean, expected_mean, 0.5);
  // Values from 254.5 up round to 255: P(Z > 4.5/30) = 0.44 of the pixels.
  EXPECT_NEAR(static_cast<double>(white) / static_cast<double>(noisy.pixels.size()),
              std::erfc(4.5 / 30.0 / std::numbers::sqrt2) / 2, 0.01);
}

TEST(ImageNoise, MeanAbsoluteError) {
  const grey_image image = synthetic_image(16, 8);
  EXPECT_EQ(mean_absolute_error(image, image), 0.0);
  grey_image changed = image;
  changed.at(5, 3) = static_cast<std::uint8_t>(image.at(5, 3) > 100 ? image.at(5, 3) - 37 : image.at(5, 3) + 37);
  EXPECT_EQ(mean_absolute_error(image, changed), 37.0 / 128.0);
  EXPECT_EQ(mean_absolute_error(changed, image), 37.0 / 128.0);
  EXPECT_THROW(mean_absolute_error(image, synthetic_image(8, 16)), std::invalid_argument);
  EXPECT_THROW((void)image.at(16, 0), std::out_of_range);
}

}  // namespace
}  // namespace gasworks::denoise
