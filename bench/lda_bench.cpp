// LDA on a corpus, for several topic counts: the engine's sparse sampler
// against the serial dense reference sampler on the same corpus in the same
// run, in tokens per second and in the log-likelihood per token each
// reaches after the same sweeps; for each setting of the engine (the
// synchronous engine with each number of parts, the asynchronous engine),
// so that the run gives the trade-off between speed and quality per sweep.
// Runs on the ranks of an mpiexec job too (the reference, serial, runs at
// rank 0).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "bench/bench_support.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/cli/number_parsing.hpp"
#include "toolkits/lda/corpus_file.hpp"
#include "toolkits/lda/corpus_graph.hpp"
#include "toolkits/lda/lda.hpp"
#include "toolkits/lda/lda_reference.hpp"

namespace {

using namespace gasworks;
using bench::median;

constexpr const char* description =
    "LDA by collapsed Gibbs sampling: the engine's sparse sampler against the serial\n"
    "dense reference, tokens per second and log-likelihood per token after the same\n"
    "sweeps, for each topic count; run it as one process or under mpiexec -n N.";

struct bench_options {
  std::string corpus;
  std::vector<std::uint32_t> topics;
  std::uint64_t sweeps = 0;
  std::uint64_t reference_sweeps = 0;
  std::vector<std::uint32_t> parts;  // one synchronous setting each
  bool asynchronous = false;         // and the asynchronous engine
  bool synchronous = true;
  std::optional<unsigned> threads;
  double alpha = 0, beta = 0;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("corpus", po::value<std::string>()->value_name("FILE"), "UCI docword file (required)")
      ("topics", po::value<std::string>()->value_name("K,K,..")->default_value("20,100,1000"), "topic counts")
      ("sweeps", po::value<std::string>()->value_name("N")->default_value("50"), "sweeps of the engine, 1..100000")
      ("reference-sweeps", po::value<std::string>()->value_name("N")->default_value("50"),
       "sweeps of the dense reference, 0..100000 (0: not run)")
      ("parts", po::value<std::string>()->value_name("S,S,..")->default_value("4"), "sync engine: parts of a sweep, one run each")
      ("engines", po::value<std::string>()->value_name("sync,async")->default_value("sync"), "the engines to run")
      ("alpha", po::value<std::string>()->value_name("A")->default_value("0.1"), "document prior per topic")
      ("beta", po::value<std::string>()->value_name("B")->default_value("0.01"), "topic prior per word")
      ("threads", po::value<std::string>()->value_name("N"), "worker threads per rank (default: all cores)");
}

bench_options read_flags(const cli::command_line& cmd) {
  bench_options o;
  if (!cmd.has("corpus")) throw usage_error("--corpus FILE is required");
  o.corpus = cmd.text("corpus");
  o.topics = cli::parse_number_list<std::uint32_t>("topics", cmd.text("topics"), 1, 65535);
  o.sweeps = *cmd.number<std::uint64_t>("sweeps", 1, 100000);
  o.reference_sweeps = *cmd.number<std::uint64_t>("reference-sweeps", 0, 100000);
  o.parts = cli::parse_number_list<std::uint32_t>("parts", cmd.text("parts"), 1, 1000);
  const std::string engines = cmd.text("engines");
  o.synchronous = engines == "sync" || engines == "sync,async" || engines == "async,sync";
  o.asynchronous = engines == "async" || engines == "sync,async" || engines == "async,sync";
  if (!o.synchronous && !o.asynchronous) throw usage_error("--engines expects sync, async or sync,async, got '" + engines + "'");
  o.alpha = *cmd.number<double>("alpha", 1e-12, 1e6);
  o.beta = *cmd.number<double>("beta", 1e-12, 1e6);
  o.threads = cmd.number<unsigned>("threads", 1, 1024);
  return o;
}

int run_bench(const bench_options& o, const std::shared_ptr<communicator>& ranks) {
  std::optional<tbb::global_control> thread_limit;
  if (o.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, *o.threads);
  const bool speaks = ranks->rank() == 0;
  const lda::corpus share = lda::read_rank_corpus(*ranks, o.corpus, lda::corpus_format::uci);
  const std::uint64_t tokens = ranks->all_reduce_sum(share.tokens());
  if (speaks)
    std::printf("corpus %s: %llu documents, %llu words, %llu tokens; %d ranks x %d threads; alpha %g, beta %g\n",
                o.corpus.c_str(), static_cast<unsigned long long>(share.documents),
                static_cast<unsigned long long>(share.vocabulary), static_cast<unsigned long long>(tokens), ranks->size(),
                static_cast<int>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)), o.alpha,
                o.beta);
  std::optional<lda::corpus> whole;  // for the reference, at rank 0
  if (o.reference_sweeps > 0 && speaks) whole = lda::read_corpus(o.corpus, lda::corpus_format::uci);
  struct setting {
    lda::engine_kind engine;
    std::uint32_t parts;
    std::string name;
  };
  std::vector<setting> settings;
  if (o.synchronous)
    for (std::uint32_t parts : o.parts) settings.push_back({lda::engine_kind::synchronous, parts, "sync, " + std::to_string(parts) + " parts"});
  if (o.asynchronous) settings.push_back({lda::engine_kind::asynchronous, 1, "async"});
  for (const std::uint32_t k : o.topics) {
    lda::fit_options fit;
    fit.model.topics = k;
    fit.model.alpha = o.alpha;
    fit.model.beta = o.beta;
    fit.model.vocabulary = share.vocabulary;
    fit.model.documents = share.documents;
    fit.sampling.sweeps = o.sweeps;
    fit.sampling.evaluate_every = std::min<std::uint64_t>(o.sweeps, 50);  // and after the last
    double reference_rate = 0, reference_ll = 0;
    if (whole) {
      lda::reference::sampler serial(*whole, fit.model, 3);
      std::string reference_at_50;  // the log-likelihood after 50 sweeps of a longer run (not timed)
      double seconds = 0;
      for (std::uint64_t i = 0; i < o.reference_sweeps; ++i) {
        const auto start = std::chrono::steady_clock::now();
        serial.sweep();
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (i + 1 == 50 && o.reference_sweeps > 50) reference_at_50 = std::to_string(serial.log_likelihood_per_token()).substr(0, 7) + " after 50, ";
      }
      reference_rate = static_cast<double>(tokens) * static_cast<double>(o.reference_sweeps) / seconds;
      reference_ll = serial.log_likelihood_per_token();
      if (speaks)
        std::printf("K %5u  dense reference, 1 thread: %.3g tokens/s, log-likelihood %s%.4f after %llu sweeps\n", k,
                    reference_rate, reference_at_50.c_str(), reference_ll, static_cast<unsigned long long>(o.reference_sweeps));
    }
    for (const setting& run : settings) {
      fit.engine = run.engine;
      fit.sampling.parts = run.parts;
      auto g = lda::load_corpus_graph(ranks, share);
      lda::token_topics topics;
      topics.lay_out(g, k, fit.sampling.seed);
      const auto result = lda::fit(g, topics, fit);
      std::vector<double> rates;
      for (const auto& s : result.history) rates.push_back(s.tokens_per_second);
      const double engine_rate = median(rates);
      const double engine_wall = static_cast<double>(tokens) * static_cast<double>(result.history.size()) / result.run.seconds;
      const double engine_ll = result.history.back().log_likelihood_per_token;
      std::string engine_at_50;
      if (o.sweeps > 50) engine_at_50 = std::to_string(result.history[49].log_likelihood_per_token).substr(0, 7) + " after 50, ";
      if (!speaks) continue;
      std::printf("K %5u  %-14s %.3g tokens/s sampling (median of sweeps), %.3g tokens/s whole sweeps, log-likelihood %s%.4f after %llu sweeps\n",
                  k, run.name.c_str(), engine_rate, engine_wall, engine_at_50.c_str(), engine_ll, static_cast<unsigned long long>(o.sweeps));
      std::printf("         where the time went:");
      for (std::size_t i = 0; i < phase_names.size(); ++i)
        if (result.run.times.seconds[i] > 0) std::printf(" %s %.2f s", std::string(phase_names[i]).c_str(), result.run.times.seconds[i]);
      std::printf(" of %.2f s\n", result.run.seconds);
      if (whole)
        std::printf("         engine / reference: %.2fx faster (whole sweeps), log-likelihood difference %+.2f%%\n",
                    engine_wall / reference_rate, 100.0 * (engine_ll - reference_ll) / std::abs(reference_ll));
      std::printf("{\"topics\":%u,\"ranks\":%d,\"setting\":\"%s\",\"sweeps\":%llu,\"engine_tokens_per_second\":%.0f,"
                  "\"engine_sweep_tokens_per_second\":%.0f,\"engine_log_likelihood\":%.5f,\"reference_tokens_per_second\":%.0f,"
                  "\"reference_log_likelihood\":%.5f}\n",
                  k, ranks->size(), run.name.c_str(), static_cast<unsigned long long>(o.sweeps), engine_rate, engine_wall, engine_ll,
                  reference_rate, reference_ll);
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  gasworks::cli::command_line cmd("gasworks-bench-lda", "--corpus FILE [options]", description);
  declare_flags(cmd);
  return gasworks::bench::main_on_ranks(argc, argv, cmd, read_flags, run_bench);
}
