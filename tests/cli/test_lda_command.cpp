// gasworks lda as a user runs it: help and usage errors, output files whose
// counts add up to the corpus, the same files on any thread count and under
// mpiexec with every count conserved, text corpora, and strict input errors
// that write nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/command_test.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;
using gasworks::testing::command_result;

// 4 documents (document 3 has no tokens) over 5 words.
constexpr const char* docword = "4\n5\n7\n1 1 3\n1 2 1\n2 2 4\n2 3 2\n2 5 1\n4 4 6\n4 1 2\n";
constexpr const char* vocab = "apple\nbanana\ncherry\ndate\nelder\n";

class LdaCommand : public gasworks::testing::command_test {
 protected:
  LdaCommand() : command_test("gasworks_lda", "") {}

  void SetUp() override {
    scratch_.write("docword.tiny.txt", docword);
    scratch_.write("vocab.tiny.txt", vocab);
  }

  // 'id k:count ...' lines: id -> (topic -> count).
  std::map<int, std::map<int, int>> read_counts(const std::string& name) const {
    std::map<int, std::map<int, int>> out;
    std::ifstream in(dir_ / name);
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      int id = 0;
      fields >> id;
      auto& row = out[id];
      for (std::string pair; fields >> pair;) row[std::stoi(pair.substr(0, pair.find(':')))] += std::stoi(pair.substr(pair.find(':') + 1));
    }
    return out;
  }
  static int total(const std::map<int, int>& row) {
    int n = 0;
    for (auto [k, c] : row) n += c;
    return n;
  }
};

TEST_F(LdaCommand, HelpAndUsageErrors) {
  const auto help = run("lda --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--corpus", "--vocab", "--topics", "--alpha", "--beta", "--sweeps", "--parts", "--eval-every",
                           "--top-words", "--seed", "--out", "--save-model", "--threads", "--stats", "log-likelihood", "--engine"})
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  for (const std::string args : {"--topics 3", "--corpus docword.tiny.txt", "--corpus docword.tiny.txt --topics 0",
                                 "--corpus docword.tiny.txt --topics 3 --alpha 0", "--corpus docword.tiny.txt --topics 3 --beta -1",
                                 "--corpus docword.tiny.txt --topics 3 --format xml", "--corpus docword.tiny.txt --topics 70000",
                                 "--corpus docword.tiny.txt --topics 3 --sweeps 0",
                                 "--corpus docword.tiny.txt --topics 3 --engine fast",
                                 "--corpus docword.tiny.txt --topics 3 --engine async --parts 2"}) {
    const auto r = run("lda " + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_NE(r.err.find("gasworks lda --help"), std::string::npos) << args << ": " << r.err;
  }
}

TEST_F(LdaCommand, OutputsAddUpToTheCorpus) {
  for (const std::string engine : {"sync", "async"}) {
    SCOPED_TRACE(engine);
    const auto r = run("lda --corpus docword.tiny.txt --vocab vocab.tiny.txt --topics 3 --sweeps 5 --eval-every 1 --out tiny "
                       "--save-model tiny.model --top-words 2 --engine " + engine);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("4 documents, 5 words, 19 tokens"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("lda: 5 sweeps in "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("log-likelihood per token -"), std::string::npos) << r.out;
    const auto docs = read_counts("tiny.doc_topics");
    ASSERT_EQ(docs.size(), 4u);  // document 3 has a line, empty
    EXPECT_EQ(total(docs.at(1)), 4);
    EXPECT_EQ(total(docs.at(2)), 7);
    EXPECT_EQ(total(docs.at(3)), 0);
    EXPECT_EQ(total(docs.at(4)), 8);
    const auto words = read_counts("tiny.word_topics");
    ASSERT_EQ(words.size(), 5u);
    const std::map<int, int> frequency = {{1, 5}, {2, 5}, {3, 2}, {4, 6}, {5, 1}};
    for (auto [w, n] : frequency) EXPECT_EQ(total(words.at(w)), n) << "word " << w;
    // Topic totals from either side agree.
    std::map<int, int> by_docs, by_words;
    for (const auto& [d, row] : docs)
      for (auto [k, c] : row) by_docs[k] += c;
    for (const auto& [w, row] : words)
      for (auto [k, c] : row) by_words[k] += c;
    EXPECT_EQ(by_docs, by_words);
    const std::string topics = read("tiny.topics");
    EXPECT_NE(topics.find("topic 0 ("), std::string::npos) << topics;
    EXPECT_NE(topics.find("topic 2 ("), std::string::npos) << topics;
    EXPECT_NE(read("tiny.model").rfind("gasworks-lda-model 1\ntopics 3\n", 0), std::string::npos);
    EXPECT_NE(r.out.find(", " + engine + " engine;"), std::string::npos) << r.out;
  }
}

TEST_F(LdaCommand, TheSameFilesOnAnyThreadCount) {
  // Large enough that two threads share the work.
  std::string big = "300\n40\n3000\n";
  for (int d = 1; d <= 300; ++d)
    for (int w = 1; w <= 10; ++w) big += std::to_string(d) + " " + std::to_string((d * 7 + w * 3) % 40 + 1) + " " + std::to_string(w % 3 + 1) + "\n";
  scratch_.write("docword.big.txt", big);
  for (const char* threads : {"1", "2"}) {
    const auto r = run(std::string("lda --corpus docword.big.txt --topics 5 --sweeps 4 --threads ") + threads + " --out t" + threads);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("lda: 4 sweeps in "), std::string::npos) << r.out;
  }
  EXPECT_EQ(read("t1.doc_topics"), read("t2.doc_topics"));
  EXPECT_EQ(read("t1.word_topics"), read("t2.word_topics"));
}

TEST_F(LdaCommand, ATimeoutStopsWithEveryCountEqualToItsTokens) {
  for (const std::string engine : {"sync", "async"}) {
    const auto r = run("lda --corpus docword.tiny.txt --topics 3 --sweeps 1000000 --timeout 0 --out early --engine " + engine);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("stopped at --timeout"), std::string::npos) << engine << ": " << r.out;
    const auto docs = read_counts("early.doc_topics");
    EXPECT_EQ(total(docs.at(2)), 7) << engine;
    EXPECT_EQ(total(read_counts("early.word_topics").at(4)), 6) << engine;
  }
}

TEST_F(LdaCommand, UnderMpiexecEveryCountIsConserved) {
  for (int ranks : {2, 3})
  for (const std::string engine : {"sync", "async"}) {
    SCOPED_TRACE(engine);
    const auto r = run_ranks(ranks, "lda --corpus docword.tiny.txt --topics 3 --sweeps 4 --threads 1 --out many --engine " + engine);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("partition: " + std::to_string(ranks) + " ranks"), std::string::npos) << r.out;
    const auto docs = read_counts("many.doc_topics");
    ASSERT_EQ(docs.size(), 4u);
    EXPECT_EQ(total(docs.at(2)), 7);
    EXPECT_EQ(total(docs.at(4)), 8);
    const auto words = read_counts("many.word_topics");
    EXPECT_EQ(total(words.at(4)), 6);
  }
}

TEST_F(LdaCommand, ATextCorpusGetsItsVocabulary) {
  scratch_.write("notes.txt", "red green red\n\nblue red\n");
  const auto r = run("lda --corpus notes.txt --topics 2 --sweeps 3 --out notes");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read("notes.vocab"), "red\ngreen\nblue\n");
  const auto docs = read_counts("notes.doc_topics");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(total(docs.at(1)), 3);
  EXPECT_EQ(total(docs.at(2)), 0);
}

TEST_F(LdaCommand, InferenceUsesTheSavedModel) {
  ASSERT_EQ(run("lda --corpus docword.tiny.txt --vocab vocab.tiny.txt --topics 3 --sweeps 5 --quiet --save-model tiny.model")
                .exit_code,
            0);
  auto r = run("lda-infer --model tiny.model --corpus docword.tiny.txt --sweeps 10 --out new");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("lda-infer: 4 documents, 19 tokens, 3 topics"), std::string::npos) << r.out;
  const auto docs = read_counts("new.doc_topics");
  ASSERT_EQ(docs.size(), 4u);
  EXPECT_EQ(total(docs.at(2)), 7);
  EXPECT_EQ(total(docs.at(3)), 0);
  // theta of the topics a document uses, each (n_dk + alpha) / (n_d + K alpha).
  std::ifstream theta(dir_ / "new.theta");
  std::string line;
  std::getline(theta, line);
  EXPECT_EQ(line.rfind("1 ", 0), 0u) << line;
  // A text corpus is read in the model's vocabulary; unknown words are counted.
  scratch_.write("new.txt", "apple apple kiwi\ndate\n");
  r = run("lda-infer --model tiny.model --corpus new.txt --out text");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: 1 tokens of words the model does not know were skipped"), std::string::npos) << r.err;
  EXPECT_EQ(total(read_counts("text.doc_topics").at(1)), 2);
  // Usage and input errors.
  EXPECT_EQ(run("lda-infer --corpus docword.tiny.txt").exit_code, 2);
  scratch_.write("bad.model", "gasworks-lda-model 1\ntopics x\n");
  r = run("lda-infer --model bad.model --corpus docword.tiny.txt");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.model:2: expected the number of topics, got 'x'"), std::string::npos) << r.err;
}

TEST_F(LdaCommand, HeldOutPerplexityIsReportedWithTheLikelihood) {
  const auto r = run("lda --corpus docword.tiny.txt --topics 2 --sweeps 4 --eval-every 2 --held-out docword.tiny.txt");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("held-out perplexity"), std::string::npos) << r.out;
}

TEST_F(LdaCommand, BadCorporaStopWithFileAndLineAndWriteNothing) {
  scratch_.write("docword.bad.txt", "2\n3\n2\n1 1 2\n2 4 1\n");
  const auto r = run("lda --corpus docword.bad.txt --topics 2 --out bad");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("docword.bad.txt:5: expected a word id in [1, 3], got '4'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "bad.topics"));
  scratch_.write("vocab.short.txt", "one\n");
  const auto v = run("lda --corpus docword.tiny.txt --vocab vocab.short.txt --topics 2");
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.err.find("the vocabulary has 1 words; the corpus needs 5"), std::string::npos) << v.err;
  EXPECT_EQ(run("lda --corpus missing.txt --topics 2").exit_code, 1);
}

}  // namespace
