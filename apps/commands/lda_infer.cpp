// gasworks lda-infer: the topic mixtures of new documents under a model
// fitted by gasworks lda, whose word counts stay fixed.
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>

#include <tbb/global_control.h>

#include "apps/commands/commands.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/core/error.hpp"
#include "engine/io/atomic_output_file.hpp"
#include "engine/io/write_number.hpp"
#include "toolkits/lda/corpus_file.hpp"
#include "toolkits/lda/inference.hpp"
#include "toolkits/lda/topic_model_files.hpp"

namespace gasworks::commands {
namespace {

constexpr const char* description =
    "Infers the topic mixtures of documents under a model written by 'gasworks lda\n"
    "--save-model': each document's tokens are resampled by collapsed Gibbs\n"
    "sampling for --sweeps sweeps with the model's word counts and totals held\n"
    "fixed. Documents are independent: they run in parallel, and a document's\n"
    "result depends on --seed and its own tokens only.\n"
    "\n"
    "Input: a corpus in the model's vocabulary: UCI bag-of-words whose word ids are\n"
    "the model's, or plain text (one document per line) whose words are looked up\n"
    "in the model's vocabulary. Tokens of words the model does not know are\n"
    "skipped, and counted in a warning.\n"
    "\n"
    "Output (--out PREFIX), each written to a temporary file and renamed:\n"
    "  PREFIX.doc_topics   'doc_id k:count ...', the topic counts of each document\n"
    "  PREFIX.theta        'doc_id k:theta ...', theta_dk = (n_dk + alpha) / (n_d + K alpha)\n"
    "                      for the topics the document uses; every other topic has\n"
    "                      alpha / (n_d + K alpha)";

struct infer_request {
  std::filesystem::path model;
  std::filesystem::path corpus;
  lda::corpus_format format = lda::corpus_format::uci;
  lda::inference_options inference;
  std::optional<std::filesystem::path> out_prefix;
  bool quiet = false;
  unsigned threads = 0;
};

std::optional<infer_request> parse_request(int argc, const char* const* argv) {
  namespace po = boost::program_options;
  cli::command_line cmd("lda-infer", "--model FILE --corpus FILE [options]", description);
  cmd.add()
      ("model", po::value<std::string>()->value_name("FILE"), "a model written by gasworks lda --save-model (required)")
      ("corpus", po::value<std::string>()->value_name("FILE"), "the documents (required)")
      ("format", po::value<std::string>()->value_name("uci|text"), "corpus format (default: guessed from the file)")
      ("sweeps", po::value<std::string>()->value_name("N")->default_value("50"), "sweeps over each document's tokens")
      ("seed", po::value<std::string>()->value_name("S")->default_value("1"), "seed of the initial topics and of the sampler")
      ("out,o", po::value<std::string>()->value_name("PREFIX"), "write PREFIX.doc_topics and PREFIX.theta")
      ("threads", po::value<std::string>()->value_name("N"), "worker threads (default: all cores)")
      ("quiet,q", "print nothing but errors");
  if (!cmd.parse(argc, argv)) return std::nullopt;
  infer_request r;
  if (!cmd.has("model")) throw usage_error("--model FILE is required");
  if (!cmd.has("corpus")) throw usage_error("--corpus FILE is required");
  r.model = cmd.text("model");
  r.corpus = cmd.text("corpus");
  if (cmd.has("format")) {
    const std::string f = cmd.text("format");
    if (f != "uci" && f != "text") throw usage_error("--format expects uci or text, got '" + f + "'");
    r.format = f == "uci" ? lda::corpus_format::uci : lda::corpus_format::text;
  } else {
    r.format = lda::guess_corpus_format(r.corpus);
  }
  r.inference.sweeps = *cmd.number<std::uint64_t>("sweeps", 1, 1'000'000);
  r.inference.seed = *cmd.number<std::uint64_t>("seed", 0, std::numeric_limits<std::uint64_t>::max());
  if (cmd.has("out")) r.out_prefix = cmd.text("out");
  r.quiet = cmd.has("quiet");
  if (const auto t = cmd.number<unsigned>("threads", 1, 4096)) r.threads = *t;
  return r;
}

void write_theta(const std::filesystem::path& path, const std::vector<lda::topic_counts>& docs, const lda::hyperparameters& h) {
  io::atomic_output_file file(path);
  auto& out = file.stream();
  for (std::size_t d = 0; d < docs.size(); ++d) {
    out << d + 1;
    const double denominator = static_cast<double>(docs[d].total()) + h.topics * h.alpha;
    for (const auto& e : docs[d].entries()) {
      out << ' ' << e.topic << ':';
      io::write_number(out, (e.count + h.alpha) / denominator);
    }
    out << '\n';
  }
  file.commit();
}

void write_counts(const std::filesystem::path& path, const std::vector<lda::topic_counts>& docs) {
  io::atomic_output_file file(path);
  auto& out = file.stream();
  for (std::size_t d = 0; d < docs.size(); ++d) {
    out << d + 1;
    for (const auto& e : docs[d].entries()) out << ' ' << e.topic << ':' << e.count;
    out << '\n';
  }
  file.commit();
}

}  // namespace

int lda_infer(int argc, const char* const* argv) {
  const auto request = parse_request(argc, argv);
  if (!request) return 0;
  const infer_request& r = *request;
  std::optional<tbb::global_control> thread_limit;
  if (r.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, r.threads);
  const lda::topic_model model = lda::load_model(r.model);
  if (r.format == lda::corpus_format::text && model.vocabulary.empty())
    throw usage_error("the model has no vocabulary to look a text corpus's words up in: give a UCI corpus");
  const lda::corpus docs = lda::read_corpus(r.corpus, r.format);
  std::uint64_t unknown = 0;
  const auto tokens = lda::tokens_in_model_words(docs, r.format, model, unknown);
  const std::vector<lda::topic_counts> inferred = lda::infer_documents(model, tokens, r.inference);
  if (r.out_prefix) {
    const std::string prefix = r.out_prefix->string();
    write_counts(prefix + ".doc_topics", inferred);
    write_theta(prefix + ".theta", inferred, model.model);
  }
  if (!r.quiet) {
    std::printf("lda-infer: %zu documents, %llu tokens, %u topics, %llu sweeps each\n", inferred.size(),
                static_cast<unsigned long long>(docs.tokens() - unknown), model.model.topics,
                static_cast<unsigned long long>(r.inference.sweeps));
    if (r.out_prefix) std::printf("wrote %s.doc_topics, %s.theta\n", r.out_prefix->c_str(), r.out_prefix->c_str());
  }
  if (unknown > 0)
    std::fprintf(stderr, "warning: %llu tokens of words the model does not know were skipped\n",
                 static_cast<unsigned long long>(unknown));
  return 0;
}

}  // namespace gasworks::commands
