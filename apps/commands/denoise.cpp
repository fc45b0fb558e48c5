// gasworks denoise: restores a grey image by belief propagation on a grid
// Markov random field (PowerGraph's denoising demo); optionally corrupts a
// clean image first, and measures the error against the clean one.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include <tbb/global_control.h>

#include "apps/commands/bp_command.hpp"
#include "apps/commands/commands.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/comm/collective_error.hpp"
#include "engine/core/error.hpp"
#include "engine/core/phase_timer.hpp"
#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_settings.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/denoise/denoising_model.hpp"
#include "toolkits/denoise/grey_image.hpp"
#include "toolkits/denoise/image_files.hpp"
#include "toolkits/denoise/image_noise.hpp"

namespace gasworks::commands {
namespace {

constexpr const char* description =
    "Removes noise from a grey image by loopy belief propagation on a grid Markov\n"
    "random field. Each pixel is a variable with L labels (--labels), label l\n"
    "standing for the grey value g_l = (l + 0.5) * 256 / L. A data factor per pixel\n"
    "weighs each label by how well it explains the observed grey value y,\n"
    "exp(-(y - g_l)^2 / (2 sigma^2)), and a smoothing factor between 4-neighbours\n"
    "prefers close labels, exp(-S d(l, l')) with S = --smoothing and d, in label\n"
    "steps, chosen by --potential:\n"
    "  potts      [l != l']     piecewise constant regions\n"
    "  linear     |l - l'|      keeps edges, smooths gradual shading (default)\n"
    "  quadratic  (l - l')^2    smooth everywhere, blurs edges\n"
    "Pixels with the same grey value share one data table and all neighbours one\n"
    "smoothing table, so memory grows with the pixels and L, not with tables.\n"
    "\n"
    "sigma is --noise-sigma; else the --add-noise sigma; else it is estimated from\n"
    "the image (the median absolute diagonal wavelet detail / 0.6745, a robust\n"
    "estimate for Gaussian noise), and never below 1.\n"
    "\n"
    "The restored image (--out, PNG or PGM by its extension, written to a\n"
    "temporary file and renamed) holds each pixel's posterior mean grey value,\n"
    "sum_l p(l) g_l (--task mar, the least squared error), or its label's grey\n"
    "value in a most probable assignment (--task map, max-product).\n"
    "\n"
    "--add-noise SIGMA first adds Gaussian noise (reproducible from --seed) to the\n"
    "image, which is then the clean reference; --noisy-out writes the noisy\n"
    "image. With a clean reference (that, or --clean FILE) the summary gives the\n"
    "mean absolute error in grey levels of the noisy and of the denoised image.\n"
    "\n"
    "Defaults, measured on camera.png (512 x 512) with --add-noise 30 --seed 1\n"
    "(noisy error 22.5 grey levels): 12 labels, linear smoothing 0.7, sum-product,\n"
    "sync schedule, no damping, --tol 0.02, at most 100 iterations: error 8.67\n"
    "after 11 iterations (8.47 with --tol 0.01, after 17). A factor's messages cost\n"
    "L^2: 16 labels give 8.55 (13 iterations), 32 labels 8.54 (S 0.5, --tol 0.01,\n"
    "18 iterations), for about 2 and 9 times the time. Stronger smoothing lowers\n"
    "the error while BP slows down, then stops converging (linear S 0.8: 8.21\n"
    "after 36 iterations; S 1: none in 100). Quadratic does best at 9.13 (S 0.6);\n"
    "Potts needs a strength (S >= 1.5) at which its messages oscillate even with\n"
    "damping 0.5. Given the noisy image alone, sigma is estimated as 28.2, for an\n"
    "error of 8.66. Max-product (--task map) rarely converges on images: 8.86\n"
    "after 100 iterations.\n"
    "\n"
    "The summary gives the schedule, converged or not (largest message change\n"
    "below --tol), iterations or vertex updates, seconds and messages per second.";

struct denoise_request {
  std::filesystem::path image;
  std::filesystem::path out;
  std::optional<std::filesystem::path> clean;
  std::optional<std::filesystem::path> noisy_out;
  std::optional<double> added_noise;
  std::uint64_t seed = 1;
  std::optional<double> noise_sigma;  // the data factor's, when given
  denoise::denoising_settings model;
  bp::bp_settings settings;
  partition::method partition = partition::default_method;
  cli::run_settings run;
  cli::checkpoint_request checkpoints;
};

// A default value as the help shows it: 0.7, not 0.700000.
std::string shown(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// write_image chooses the format by extension: refuse any other before the run.
std::filesystem::path image_output(const cli::command_line& cmd, const std::string& flag) {
  std::filesystem::path file = cmd.text(flag);
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  if (extension != ".png" && extension != ".pgm")
    throw usage_error("--" + flag + " must name a .png or .pgm file, not '" + file.string() + "'");
  return file;
}

std::optional<denoise_request> parse_request(const command_ranks& ranks, int argc, const char* const* argv) {
  namespace po = boost::program_options;
  const denoise::denoising_settings defaults;
  const bp::bp_settings run_defaults = denoise::denoising_bp_settings();
  cli::command_line cmd("denoise", "--image FILE --out FILE [options]", description);
  cmd.add()
      ("image", po::value<std::string>()->value_name("FILE"), "the noisy image, PNG or PGM (required)")
      ("out,o", po::value<std::string>()->value_name("FILE"), "write the denoised image here, .png or .pgm (required)")
      ("labels", po::value<std::string>()->value_name("L")->default_value(std::to_string(defaults.labels)), "grey levels a pixel can take, 2..256")
      ("smoothing", po::value<std::string>()->value_name("S")->default_value(shown(defaults.smoothing)), "weight of the smoothing factor, per unit of label distance")
      ("potential", po::value<std::string>()->value_name("potts|linear|quadratic")->default_value(std::string(to_string(defaults.potential))),
       "label distance of the smoothing factor")
      ("noise-sigma", po::value<std::string>()->value_name("SIGMA"), "the noise's standard deviation in grey levels (default: see above)")
      ("add-noise", po::value<std::string>()->value_name("SIGMA"), "first add Gaussian noise of this standard deviation to the image")
      ("seed", po::value<std::string>()->value_name("S"), "seed of --add-noise (default 1)")
      ("noisy-out", po::value<std::string>()->value_name("FILE"), "with --add-noise: write the noisy image here, .png or .pgm")
      ("clean", po::value<std::string>()->value_name("FILE"), "the clean image, to measure the errors against");
  add_bp_flags(cmd, run_defaults);
  cmd.add_partition_flag();
  cmd.add_run_flags();
  cmd.add_checkpoint_flags("iterations (residual and sweep schedules: progress reports, an iteration's worth of updates each)");
  cmd.set_speaks(ranks->rank() == 0);
  if (!cmd.parse(argc, argv)) return std::nullopt;

  denoise_request r;
  if (!cmd.has("image")) throw usage_error("--image FILE is required");
  if (!cmd.has("out")) throw usage_error("--out FILE is required");
  r.image = cmd.text("image");
  r.out = image_output(cmd, "out");
  if (cmd.has("clean")) r.clean = cmd.text("clean");
  r.added_noise = cmd.number<double>("add-noise", 0.0, 1e6);
  if (cmd.has("seed")) {
    if (!r.added_noise) throw usage_error("--seed applies to --add-noise");
    r.seed = *cmd.number<std::uint64_t>("seed", 0, std::numeric_limits<std::uint64_t>::max());
  }
  if (cmd.has("noisy-out")) {
    if (!r.added_noise) throw usage_error("--noisy-out applies to --add-noise");
    r.noisy_out = image_output(cmd, "noisy-out");
  }
  auto& m = r.model;
  m.labels = *cmd.number<unsigned>("labels", 2, denoise::max_labels);
  m.smoothing = *cmd.number<double>("smoothing", 0.0, 1e6);
  m.potential = denoise::parse_potential(cmd.text("potential"));
  r.noise_sigma = cmd.number<double>("noise-sigma", denoise::min_noise_sigma, 1e6);
  r.partition = cmd.partition_method();
  r.run = cli::settings_for_rank(cmd.run(), ranks->rank());
  r.settings = read_bp_flags(cmd, r.run);
  r.checkpoints = read_bp_checkpoint_flags(cmd, r.settings, {r.image}, {"out", "clean", "noisy-out"});
  return r;
}

// The images of a run: what the model observes and, when known, the clean one.
struct run_images {
  denoise::grey_image observed;
  std::optional<denoise::grey_image> clean;
};

run_images read_images(const denoise_request& r) {
  run_images images;
  denoise::grey_image input = denoise::read_image(r.image);
  if (r.clean) {
    images.clean = denoise::read_image(*r.clean);
    if (images.clean->width != input.width || images.clean->height != input.height)
      throw input_error(*r.clean, 0,
                        "the clean image is " + std::to_string(images.clean->width) + " x " + std::to_string(images.clean->height) +
                            ", the image " + std::to_string(input.width) + " x " + std::to_string(input.height));
  }
  if (r.added_noise) {
    images.observed = denoise::add_gaussian_noise(input, *r.added_noise, r.seed);
    if (!images.clean) images.clean = std::move(input);
  } else {
    images.observed = std::move(input);
  }
  return images;
}

}  // namespace

int denoise(const command_ranks& ranks, int argc, const char* const* argv) {
  const auto request = run_collectively(*ranks, [&] { return parse_request(ranks, argc, argv); });
  if (!request) return 0;
  denoise_request r = *request;
  std::optional<tbb::global_control> thread_limit;
  if (r.run.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, r.run.threads);

  // Every rank reads the image and builds the whole model; ingress hands
  // each its share of the factors.
  const stopwatch reading;
  const run_images images = run_collectively(*ranks, [&] { return read_images(r); });
  const char* sigma_source = "--noise-sigma";
  if (!r.noise_sigma) {
    sigma_source = r.added_noise ? "--add-noise" : "estimated";
    r.noise_sigma = r.added_noise ? *r.added_noise : denoise::estimate_noise_sigma(images.observed);
  }
  r.model.noise_sigma = std::max(denoise::min_noise_sigma, *r.noise_sigma);
  auto model = std::make_shared<const bp::factor_model>(denoise::denoising_model(images.observed, r.model));
  ingress_options placement;
  placement.method = r.partition;
  ingress_report ingress;
  auto g = bp::load_factor_graph(ranks, *model, placement, &ingress);
  if (!r.run.quiet) {
    std::printf("image: %s, %u x %u", r.image.c_str(), images.observed.width, images.observed.height);
    if (r.added_noise)
      std::printf("; added Gaussian noise, sigma %g (seed %llu)", *r.added_noise, static_cast<unsigned long long>(r.seed));
    std::printf("\nmodel: %u labels, %s smoothing %g, noise sigma %.3g (%s); %zu variables, %zu factors; ready in %.2f s\n",
                r.model.labels, std::string(to_string(r.model.potential)).c_str(), r.model.smoothing, r.model.noise_sigma,
                sigma_source, model->variables(), model->factors.size(), reading.seconds());
    if (ingress.ranks > 1) std::printf("partition: %s\n", ingress.describe().c_str());
    std::fflush(stdout);
  }
  // Collectively, so that no rank starts the run should rank 0 fail to write.
  run_collectively(*ranks, [&] {
    if (r.noisy_out && ranks->rank() == 0) denoise::write_image(*r.noisy_out, images.observed);
  });

  const auto checkpoints =
      run_collectively(*ranks, [&] { return cli::open_checkpoints(*ranks, r.checkpoints, r.run.threads, r.run.quiet); });
  r.settings.checkpoints = checkpoints.get();
  const bp::bp_result result = run_bp_observed("denoise", r.run, ingress, g, model, {}, r.settings);

  if (ranks->rank() != 0) return 0;
  const auto& size = images.observed;
  const denoise::grey_image restored = r.settings.task == bp::bp_task::map
                                           ? denoise::image_from_labels(size.width, size.height, result.labels, r.model.labels)
                                           : denoise::image_from_marginals(size.width, size.height, result.beliefs);
  denoise::write_image(r.out, restored);
  if (!r.run.quiet) {
    print_bp_run("denoise", r.settings, result);
    if (images.clean) {
      std::printf("mean absolute error against the clean image (%s): noisy %.3f, denoised %.3f grey levels\n",
                  (r.clean ? *r.clean : r.image).c_str(), denoise::mean_absolute_error(images.observed, *images.clean),
                  denoise::mean_absolute_error(restored, *images.clean));
    }
    if (r.noisy_out) std::printf("wrote the noisy image to %s\n", r.noisy_out->c_str());
    std::printf("wrote %s\n", r.out.c_str());
    if (r.run.stats_path) std::printf("wrote per-step statistics to %s\n", r.run.stats_path->c_str());
  }
  // Not converging is a result, not an error: the summary says so.
  return 0;
}

}  // namespace gasworks::commands
