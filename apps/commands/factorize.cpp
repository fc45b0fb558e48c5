// gasworks als / gasworks sgd: factorize a ratings matrix, report the fit per
// iteration, write the factors and predictions.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>

#include <tbb/global_control.h>

#include "apps/commands/commands.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/cli/run_observer.hpp"
#include "engine/comm/collective_error.hpp"
#include "engine/core/error.hpp"
#include "engine/ingress/gather_at_root.hpp"
#include "toolkits/cf/als.hpp"
#include "toolkits/cf/model_files.hpp"
#include "toolkits/cf/ratings_graph.hpp"
#include "toolkits/cf/sgd.hpp"

namespace gasworks::commands {
namespace {

enum class algorithm { als, sgd };

constexpr const char* input_help =
    "Input: one rating per line, 'user item rating [timestamp]', separated by\n"
    "tabs, spaces or commas (MovieLens u.data or ratings.csv; a first line of\n"
    "column names is skipped), or a Matrix Market coordinate file (users are\n"
    "rows, items columns). Users and items have separate ids. --validation\n"
    "takes the same form; --predict needs only 'user item' (further columns\n"
    "are ignored).\n"
    "\n"
    "Output (--out PREFIX), each written to a temporary file and renamed:\n"
    "  PREFIX.users, PREFIX.items   'id f1 .. fD' for every user or item with\n"
    "                               training ratings, ascending id\n"
    "  PREFIX.biases                with --biases on: 'mean m', then 'user id b'\n"
    "                               and 'item id b' lines\n"
    "  PREFIX.predictions           'user item prediction' per --predict line,\n"
    "                               in input order\n"
    "Predictions are clamped to [--min, --max] (default: the training range).\n"
    "A user or item without training ratings is predicted as the training mean\n"
    "(plus the bias of the side that is known, with --biases on), and a warning\n"
    "counts such pairs.\n"
    "\n"
    "Each iteration updates every user, then every item; train RMSE, validation\n"
    "RMSE and time per iteration go to the progress line, the final table and\n"
    "--stats.";

constexpr const char* engines_help =
    "With --engine async, a user or item is updated against its neighbours'\n"
    "newest factors and then signals them, with how far it moved as the\n"
    "priority (Gauss-Seidel); an iteration is as many updates as there are\n"
    "users and items (SGD's step decays by that count), and consistency must\n"
    "be edge (the default) or full. Results then depend on the order of\n"
    "updates, so on the thread count; the synchronous engine (the default) is\n"
    "the reproducible one.\n";

constexpr const char* als_description =
    "Factorizes a ratings matrix by alternating least squares with\n"
    "weighted-lambda regularisation: each user (then each item) solves\n"
    "  (sum of v v^T over its ratings + (lambda * n + prior) * I) f = sum of r v\n"
    "by Cholesky factorisation, n being its number of training ratings, so\n"
    "--lambda is scaled by each vertex's rating count; --prior is not, and\n"
    "shrinks most the users and items with few ratings. With --biases on it\n"
    "predicts mean + b_u + b_i + f_u . f_i, each vertex solving for its bias\n"
    "and factors together, the bias regularised by --bias-lambda.\n"
    "With --variational on (variational Bayes), each vertex also keeps the\n"
    "covariance of its factors, sigma^2 times the inverse of its system, and\n"
    "adds its neighbours' covariances to the sum of v v^T; sigma^2 is the\n"
    "latest mean squared training error. An iteration then takes about 2.2\n"
    "times as long (each rating reads D (D + 1) / 2 more numbers); it fits\n"
    "better where users or items have few ratings. Results do not depend on\n"
    "threads or ranks on the synchronous engine.\n"
    "Defaults, tuned on MovieLens 100k (u1 split): --rank 20 --lambda 0.02\n"
    "--prior 6 --biases on --bias-lambda 3 --variational on --iterations 10.\n"
    "Without --variational, --lambda 0.085 --prior 3.5 --bias-lambda 2 is best.\n";

constexpr const char* sgd_description =
    "Factorizes a ratings matrix by stochastic gradient descent: for each\n"
    "rating, with e the prediction error,\n"
    "  f_u += step (e f_i - lambda f_u)   [and b_u += step (e - lambda b_u)]\n"
    "each user stepping along its ratings with the items fixed, then each item\n"
    "along its ratings with the users fixed; the step is multiplied by\n"
    "--step-decay after every iteration. With --biases on (the default) it\n"
    "predicts mean + b_u + b_i + f_u . f_i. Runs are reproducible for a given\n"
    "--seed and number of ranks, whatever the thread count.\n"
    "Defaults, tuned on MovieLens 100k (u1 split): --rank 20 --lambda 0.06\n"
    "--step 0.02 --step-decay 0.95 --iterations 40 --biases on.\n";

struct factorize_request {
  algorithm kind = algorithm::als;
  cf::als_options als;
  cf::sgd_options sgd;
  std::filesystem::path ratings;
  std::optional<std::filesystem::path> validation;
  std::optional<std::filesystem::path> predict;
  std::optional<std::filesystem::path> out_prefix;
  partition::method partition = partition::default_method;
  cli::run_settings settings;
  cli::checkpoint_request checkpoints;

  bool biased() const { return kind == algorithm::als ? als.biased : sgd.biased; }
};

bool on_or_off(const cli::command_line& cmd, const char* flag) {
  const std::string text = cmd.text(flag);
  if (text != "on" && text != "off") throw usage_error("--" + std::string(flag) + " expects on or off, got '" + text + "'");
  return text == "on";
}

std::optional<factorize_request> parse_request(algorithm kind, const command_ranks& ranks, int argc,
                                               const char* const* argv) {
  namespace po = boost::program_options;
  const bool is_als = kind == algorithm::als;
  cli::command_line cmd(is_als ? "als" : "sgd", "--ratings FILE [options]",
                        std::string(is_als ? als_description : sgd_description) + "\n" + input_help + "\n\n" +
                            engines_help);
  cmd.add()
      ("ratings", po::value<std::string>()->value_name("FILE"), "training ratings (required)")
      ("validation", po::value<std::string>()->value_name("FILE"), "ratings to report RMSE on after every iteration")
      ("predict", po::value<std::string>()->value_name("FILE"), "pairs to predict (written to PREFIX.predictions)")
      ("out,o", po::value<std::string>()->value_name("PREFIX"), "write PREFIX.users, PREFIX.items [, .biases, .predictions]")
      ("rank", po::value<std::string>()->value_name("D")->default_value("20"), "latent factors per user and item")
      ("lambda", po::value<std::string>()->value_name("L")->default_value(is_als ? "0.02" : "0.06"),
       is_als ? "regularisation of the factors, scaled by each vertex's rating count"
              : "regularisation of factors and biases")
      ("iterations", po::value<std::string>()->value_name("N")->default_value(is_als ? "10" : "40"),
       "iterations (each updates all users, then all items)")
      ("seed", po::value<std::string>()->value_name("S")->default_value("1"), "seed of the initial factors")
      ("init-scale", po::value<std::string>()->value_name("X")->default_value("0.1"), "initial factors uniform in [0, X)")
      ("min", po::value<std::string>()->value_name("R"), "smallest prediction (default: smallest training rating)")
      ("max", po::value<std::string>()->value_name("R"), "largest prediction (default: largest training rating)");
  cmd.add()("biases", po::value<std::string>()->value_name("on|off")->default_value("on"),
            "predict mean + b_u + b_i + f_u . f_i, fitting a bias per user and item");
  if (is_als) {
    cmd.add()
        ("prior", po::value<std::string>()->value_name("P")->default_value("6"),
         "regularisation of the factors, the same for every vertex")
        ("bias-lambda", po::value<std::string>()->value_name("B")->default_value("3"), "regularisation of each bias")
        ("variational", po::value<std::string>()->value_name("on|off")->default_value("on"),
         "variational Bayes: weigh the neighbours' factors by their uncertainty");
  } else {
    cmd.add()
        ("step", po::value<std::string>()->value_name("G")->default_value("0.02"), "learning rate of the first iteration")
        ("step-decay", po::value<std::string>()->value_name("F")->default_value("0.95"), "step multiplier after each iteration, in (0, 1]");
  }
  cmd.add_partition_flag();
  cmd.add_engine_flags();
  cmd.add_run_flags();
  cmd.add_checkpoint_flags("iterations");
  cmd.set_speaks(ranks->rank() == 0);
  if (!cmd.parse(argc, argv)) return std::nullopt;

  factorize_request r;
  r.kind = kind;
  if (!cmd.has("ratings")) throw usage_error("--ratings FILE is required");
  r.ratings = cmd.text("ratings");
  if (cmd.has("validation")) r.validation = cmd.text("validation");
  if (cmd.has("predict")) r.predict = cmd.text("predict");
  if (cmd.has("out")) r.out_prefix = cmd.text("out");
  if (r.predict && !r.out_prefix) throw usage_error("--predict writes PREFIX.predictions: give --out PREFIX");
  const cli::engine_choice engine = cmd.engine(ranks->size());
  if (engine.asynchronous && cmd.given("max-updates"))
    throw usage_error("--max-updates does not apply: on the asynchronous engine an iteration is as many updates as "
                      "there are users and items; give --iterations");

  cf::fit_options fit;
  fit.rank = static_cast<int>(*cmd.number<unsigned>("rank", 1, 1000));
  fit.lambda = *cmd.number<double>("lambda", 0.0, 1e6);
  fit.iterations = *cmd.number<std::uint64_t>("iterations", 1, 1'000'000);
  fit.seed = *cmd.number<std::uint64_t>("seed", 0, std::numeric_limits<std::uint64_t>::max());
  fit.initial_scale = *cmd.number<double>("init-scale", 0.0, 1e6);
  fit.min_rating = cmd.number<double>("min", -1e300, 1e300);
  fit.max_rating = cmd.number<double>("max", -1e300, 1e300);
  if (fit.min_rating && fit.max_rating && *fit.min_rating > *fit.max_rating) throw usage_error("--min exceeds --max");
  r.settings = cli::settings_for_rank(cmd.run(), ranks->rank());
  if (r.settings.max_iterations) throw usage_error("--max-iterations does not apply: give --iterations");
  fit.timeout_seconds = r.settings.timeout_seconds;
  r.partition = cmd.partition_method();
  const bool biases = on_or_off(cmd, "biases");
  if (is_als) {
    static_cast<cf::fit_options&>(r.als) = fit;
    r.als.biased = biases;
    r.als.prior = *cmd.number<double>("prior", 0.0, 1e12);
    r.als.bias_lambda = *cmd.number<double>("bias-lambda", 0.0, 1e12);
    r.als.variational = on_or_off(cmd, "variational");
    if (engine.asynchronous) r.als.asynchronous = engine.async;
  } else {
    static_cast<cf::fit_options&>(r.sgd) = fit;
    r.sgd.step = *cmd.number<double>("step", 1e-12, 1e3);
    r.sgd.step_decay = *cmd.number<double>("step-decay", 1e-12, 1.0);
    r.sgd.biased = biases;
    if (engine.asynchronous) r.sgd.asynchronous = engine.async;
  }
  std::vector<std::filesystem::path> inputs{r.ratings};
  if (r.validation) inputs.push_back(*r.validation);
  r.checkpoints = cmd.checkpoints(inputs, {"out", "predict"});
  if (engine.asynchronous) r.checkpoints.step_name = "progress report";
  // On the synchronous engine an iteration is two supersteps (users, then
  // items); the asynchronous one reports once per iteration's updates.
  if (r.checkpoints.when.steps && !engine.asynchronous) *r.checkpoints.when.steps *= 2;
  return r;
}

void print_history(const std::vector<cf::iteration_fit>& history) {
  const bool validated = !history.empty() && !std::isnan(history.front().validation_rmse);
  std::printf("  iteration  train RMSE%s   seconds\n", validated ? "  validation RMSE" : "");
  for (const auto& f : history) {
    if (validated) std::printf("  %9llu  %10.6f  %15.6f  %8.3f\n", static_cast<unsigned long long>(f.iteration), f.train_rmse, f.validation_rmse, f.seconds);
    else std::printf("  %9llu  %10.6f  %8.3f\n", static_cast<unsigned long long>(f.iteration), f.train_rmse, f.seconds);
  }
  if (validated) {
    const auto best = std::min_element(history.begin(), history.end(),
                                       [](const auto& a, const auto& b) { return a.validation_rmse < b.validation_rmse; });
    std::printf("best validation RMSE %.6f at iteration %llu (%.3f s)\n", best->validation_rmse,
                static_cast<unsigned long long>(best->iteration), best->seconds);
  }
}

int factorize(algorithm kind, const command_ranks& ranks, int argc, const char* const* argv) {
  const auto request = run_collectively(*ranks, [&] { return parse_request(kind, ranks, argc, argv); });
  if (!request) return 0;
  const auto& r = *request;
  const char* name = kind == algorithm::als ? "als" : "sgd";
  std::optional<tbb::global_control> thread_limit;
  if (r.settings.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, r.settings.threads);

  cf::prediction_request to_predict;
  if (r.predict) {
    to_predict.file = *r.predict;
    run_collectively(*ranks, [&] {
      if (ranks->rank() == 0) to_predict.pairs = cf::read_ratings(*r.predict, cf::rating_columns::pair_only);
    });
  }

  ingress_report ingress;
  ingress_options placement;
  placement.method = r.partition;
  auto g = cf::load_ratings_graph<cf::latent_vertex>(ranks, r.ratings, r.validation, placement, &ingress);
  if (!r.settings.quiet) {
    std::printf("ratings: %s, %llu ratings%s between users and items (%llu vertices), read in %.2f s\n", r.ratings.c_str(),
                static_cast<unsigned long long>(g.num_edges()), r.validation ? " (training and validation)" : "",
                static_cast<unsigned long long>(g.num_vertices()), ingress.seconds);
    if (ingress.ranks > 1) {
      std::printf("partition: %s\n", ingress.describe().c_str());
      std::printf("ingress steps: %s\n", ingress.describe_steps().c_str());
    }
    std::fflush(stdout);
  }

  const auto checkpoints = run_collectively(
      *ranks, [&] { return cli::open_checkpoints(*ranks, r.checkpoints, r.settings.threads, r.settings.quiet); });
  cf::als_options als = r.als;
  cf::sgd_options sgd = r.sgd;
  als.checkpoints = sgd.checkpoints = checkpoints.get();

  cli::run_observer observer(r.settings, name, {"iteration", "train_rmse", "validation_rmse"});
  observer.record(ingress);
  const cf::fit_result fit = run_collectively(*ranks, [&] {
    return kind == algorithm::als ? cf::run_als(g, als, std::ref(observer)) : cf::run_sgd(g, sgd, std::ref(observer));
  });
  observer.finish();

  const auto model = gather_at_root(g, [](const auto& v) { return v.data(); });
  cf::prediction_outcome predicted;
  if (ranks->rank() == 0 && r.out_prefix) {
    const std::string prefix = r.out_prefix->string();
    cf::write_factors(prefix + ".users", model, true);
    cf::write_factors(prefix + ".items", model, false);
    if (r.biased()) cf::write_biases(prefix + ".biases", model, fit.rule.mean);
    if (r.predict) predicted = cf::write_predictions(prefix + ".predictions", to_predict, model, fit.rule);
  }

  if (!r.settings.quiet) {
    // (After a resume on the asynchronous engine, the history holds only
    // the iterations since; the last one's number counts them all.)
    const std::uint64_t iterations = fit.history.empty() ? 0 : fit.history.back().iteration;
    std::printf("%s: %llu iterations in %.3f s (%s)\n", name, static_cast<unsigned long long>(iterations),
                fit.run.seconds, fit.run.reason == termination::timeout ? "stopped at --timeout" : "done");
    print_history(fit.history);
    if (r.out_prefix) {
      std::printf("wrote %s.users, %s.items%s\n", r.out_prefix->c_str(), r.out_prefix->c_str(),
                  r.biased() ? (", " + r.out_prefix->string() + ".biases").c_str() : "");
    }
    if (r.predict) {
      std::printf("wrote %llu predictions to %s.predictions\n", static_cast<unsigned long long>(predicted.written),
                  r.out_prefix->c_str());
    }
    if (r.settings.stats_path) std::printf("wrote per-superstep statistics to %s\n", r.settings.stats_path->c_str());
  }
  if (predicted.unknown > 0 && ranks->rank() == 0) {
    std::fprintf(stderr,
                 "warning: %llu of %llu pairs in %s name a user or item without training ratings (first at line %llu); "
                 "they were predicted from the training mean\n",
                 static_cast<unsigned long long>(predicted.unknown), static_cast<unsigned long long>(predicted.written),
                 r.predict->c_str(), static_cast<unsigned long long>(predicted.first_unknown_line.value_or(0)));
  }
  return 0;
}

}  // namespace

int als(const command_ranks& ranks, int argc, const char* const* argv) { return factorize(algorithm::als, ranks, argc, argv); }
int sgd(const command_ranks& ranks, int argc, const char* const* argv) { return factorize(algorithm::sgd, ranks, argc, argv); }

}  // namespace gasworks::commands
