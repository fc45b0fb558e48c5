// gasworks denoise as a user runs it: on camera.png with added noise the
// default settings at least halve the error, and write an image of the
// input's size; help, usage errors and bad images that write nothing.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "tests/support/command_test.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "tests/support/shell_command.hpp"
#include "toolkits/denoise/grey_image.hpp"
#include "toolkits/denoise/image_files.hpp"

namespace {

namespace fs = std::filesystem;
using gasworks::testing::command_result;

class DenoiseCommand : public gasworks::testing::command_test {
 protected:
  DenoiseCommand() : command_test("gasworks_denoise", "denoise ") {}
};

TEST_F(DenoiseCommand, HalvesTheErrorOfANoisyCameraman) {
  GASWORKS_REQUIRE_DATASET(camera, "images/camera.png");
  const auto r = run("--image '" + camera.string() + "' --add-noise 30 --seed 1 --noisy-out noisy.pgm --out denoised.png");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sync schedule: converged after "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("messages computed: "), std::string::npos) << r.out;
  const auto noisy_at = r.out.find("noisy ");
  const auto denoised_at = r.out.find(", denoised ");
  ASSERT_TRUE(noisy_at != std::string::npos && denoised_at != std::string::npos) << r.out;
  const double before = std::stod(r.out.substr(noisy_at + 6));
  const double after = std::stod(r.out.substr(denoised_at + 11));
  EXPECT_GT(before, 20);
  EXPECT_LE(after, before / 2) << r.out;

  const auto clean = gasworks::denoise::read_image(camera);
  const auto restored = gasworks::denoise::read_image(dir_ / "denoised.png");
  EXPECT_EQ(restored.width, clean.width);
  EXPECT_EQ(restored.height, clean.height);
  // The error printed is the error of the files written.
  EXPECT_NEAR(gasworks::denoise::mean_absolute_error(restored, clean), after, 1e-3);
  EXPECT_NEAR(gasworks::denoise::mean_absolute_error(gasworks::denoise::read_image(dir_ / "noisy.pgm"), clean), before, 1e-3);
}

TEST_F(DenoiseCommand, HelpAndUsageErrors) {
  const auto help = run("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--image", "--out", "--labels", "--smoothing", "--potential", "--noise-sigma", "--add-noise", "--seed",
                           "--noisy-out", "--clean", "--schedule", "--task", "--damping", "--tol", "--iterations", "--threads",
                           "--stats", "--quiet", "posterior mean"})
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  const gasworks::denoise::grey_image tiny{2, 2, {10, 20, 30, 40}};
  gasworks::denoise::write_png(dir_ / "tiny.png", tiny);
  for (const std::string args : {"--out x.png", "--image tiny.png", "--image tiny.png --out x.jpg", "--image tiny.png --out x.png --labels 1",
                                 "--image tiny.png --out x.png --potential gaussian", "--image tiny.png --out x.png --noise-sigma 0",
                                 "--image tiny.png --out x.png --seed 3", "--image tiny.png --out x.png --noisy-out n.png",
                                 "--image tiny.png --out x.png --schedule random", "--image tiny.png --out x.png --bogus"}) {
    const auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_NE(r.err.find("gasworks denoise --help"), std::string::npos) << args << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "x.png"));
}

TEST_F(DenoiseCommand, ACleanImageGivesTheErrors) {
  const gasworks::denoise::grey_image flat = gasworks::denoise::grey_image::filled(8, 6, 96);
  gasworks::denoise::write_pgm(dir_ / "flat.pgm", flat);
  const auto r = run("--image flat.pgm --clean flat.pgm --out restored.pgm --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("noise sigma 1 (estimated)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("noisy 0.000, denoised 0.000 grey levels"), std::string::npos) << r.out;
  EXPECT_EQ(gasworks::denoise::read_image(dir_ / "restored.pgm"), flat);
  // A clean image of another size is an input error.
  gasworks::denoise::write_pgm(dir_ / "small.pgm", gasworks::denoise::grey_image::filled(4, 4, 96));
  const auto mismatch = run("--image flat.pgm --clean small.pgm --out other.pgm");
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_NE(mismatch.err.find("small.pgm: the clean image is 4 x 4"), std::string::npos) << mismatch.err;
  EXPECT_FALSE(fs::exists(dir_ / "other.pgm"));
}

TEST_F(DenoiseCommand, UnderMpiexecRankZeroWritesTheSameImage) {
  gasworks::denoise::grey_image square = gasworks::denoise::grey_image::filled(40, 30, 70);
  for (std::uint32_t y = 8; y < 22; ++y)
    for (std::uint32_t x = 10; x < 30; ++x) square.at(x, y) = 180;
  gasworks::denoise::write_pgm(dir_ / "square.pgm", square);
  const std::string args = "--image square.pgm --add-noise 30 --seed 2 --threads 1 --out ";
  const auto one = run(args + "one.pgm");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto two = run_ranks(2, args + "two.pgm");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(two.out.find("partition: 2 ranks"), std::string::npos) << two.out;
  // Flooding gives the same messages on any number of ranks.
  EXPECT_EQ(gasworks::denoise::read_image(dir_ / "two.pgm"), gasworks::denoise::read_image(dir_ / "one.pgm"));
}

TEST_F(DenoiseCommand, ANonImageStopsNamingTheFileAndWritesNothing) {
  scratch_.write("notes.png", "not an image\n");
  const auto r = run("--image notes.png --add-noise 20 --noisy-out noisy.png --out denoised.png");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("notes.png"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "denoised.png"));
  EXPECT_FALSE(fs::exists(dir_ / "noisy.png"));
  EXPECT_EQ(run("--image missing.png --out denoised.png").exit_code, 1);
  EXPECT_FALSE(fs::exists(dir_ / "denoised.png"));
}

}  // namespace
