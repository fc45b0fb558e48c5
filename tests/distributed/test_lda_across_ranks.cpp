// LDA across ranks (this program runs under mpiexec -n 1, 2 and 3): after
// every sweep, every replica's topic counts equal the topics of the tokens
// on the edges of all ranks, document lengths and word frequencies are
// conserved, n_k is the same from the words and from the documents, and a
// run repeats itself exactly on the same ranks; on both engines.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "tests/distributed/world.hpp"
#include "toolkits/lda/corpus_graph.hpp"
#include "toolkits/lda/lda.hpp"
#include "toolkits/lda/synthetic_corpus.hpp"

namespace gasworks::lda {
namespace {

using testing::world;

constexpr std::uint32_t topics = 6;

// This rank's share of a corpus every rank generates alike: every
// size-th entry.
corpus share_of(const corpus& whole) {
  corpus mine = whole;
  mine.entries.clear();
  for (std::size_t i = 0; i < whole.entries.size(); ++i)
    if (i % static_cast<std::size_t>(world()->size()) == static_cast<std::size_t>(world()->rank()))
      mine.entries.push_back(whole.entries[i]);
  return mine;
}

// Counts indexed by global vertex id (documents 2d, words 2w + 1) and topic.
struct count_table {
  std::uint64_t vertices;
  std::vector<std::int64_t> n;
  explicit count_table(std::uint64_t ids) : vertices(ids), n(ids * topics, 0) {}
  std::int64_t& at(vertex_id v, topic_id k) { return n[v * topics + k]; }
};

// Every invariant of the counts against the tokens of every rank.
void expect_counts_match_tokens(const corpus& whole, corpus_graph& g, const token_topics& tokens,
                                std::span<const std::int64_t> totals, const std::string& where) {
  const auto& s = g.structure();
  const std::uint64_t ids = 2 * std::max(whole.documents, whole.vocabulary) + 2;
  // The tokens' topics, counted at both ends of each edge of this rank and
  // summed over the ranks.
  count_table expected(ids);
  for (local_id v = 0; v < s.num_local_vertices(); ++v)
    for (edge_index e = s.out_begin(v); e != s.out_end(v); ++e)
      for (topic_id k : tokens.of(g.edge_data(e))) {
        ASSERT_LT(k, topics) << where;
        ++expected.at(s.global_id(v), k);
        ++expected.at(s.global_id(s.out_target(e)), k);
      }
  world()->all_reduce_sum(std::span<std::int64_t>(expected.n));
  // Every replica, master or mirror, holds its vertex's counts over all ranks.
  std::vector<std::int64_t> by_words(topics, 0), by_documents(topics, 0);
  for (local_id v = 0; v < s.num_local_vertices(); ++v) {
    const vertex_id id = s.global_id(v);
    std::vector<std::int64_t> have(topics, 0);
    for (const auto& e : g.vertex_data(v).entries()) have[e.topic] += e.count;
    for (topic_id k = 0; k < topics; ++k) EXPECT_EQ(have[k], expected.at(id, k)) << where << ", vertex " << id << ", topic " << k;
    if (s.is_master(v))
      for (topic_id k = 0; k < topics; ++k) (is_document(id) ? by_documents : by_words)[k] += have[k];
  }
  world()->all_reduce_sum(std::span<std::int64_t>(by_words));
  world()->all_reduce_sum(std::span<std::int64_t>(by_documents));
  // Lengths and frequencies from the corpus itself.
  count_table length(ids);
  std::int64_t tokens_in_corpus = 0;
  for (const auto& e : whole.entries) {
    length.at(document_vertex(e.doc), 0) += e.count;
    length.at(word_vertex(e.word), 0) += e.count;
    tokens_in_corpus += e.count;
  }
  for (vertex_id id = 0; id < ids; ++id) {
    std::int64_t sum = 0;
    for (topic_id k = 0; k < topics; ++k) sum += expected.at(id, k);
    EXPECT_EQ(sum, length.at(id, 0)) << where << ", vertex " << id;
  }
  EXPECT_EQ(by_words, by_documents) << where;
  EXPECT_EQ(by_words, std::vector<std::int64_t>(totals.begin(), totals.end())) << where;
  std::int64_t all = 0;
  for (std::int64_t x : by_words) all += x;
  EXPECT_EQ(all, tokens_in_corpus) << where;
}

// Fits this rank's share; checks every sweep; returns the local tokens' topics.
std::vector<topic_id> fit_and_check(const corpus& whole, std::uint32_t parts, engine_kind engine = engine_kind::synchronous) {
  corpus_graph g = load_corpus_graph(world(), share_of(whole));
  token_topics tokens;
  fit_options o;
  o.engine = engine;
  o.model.topics = topics;
  o.model.vocabulary = whole.vocabulary;
  o.model.documents = whole.documents;
  o.sampling.sweeps = 4;
  o.sampling.parts = parts;
  o.sampling.seed = 11;
  tokens.lay_out(g, topics, o.sampling.seed);
  std::uint64_t checked = 0;
  const fit_result r = fit(g, tokens, o, [&](superstep_report& report) {
    for (const auto& [name, value] : report.metrics) {
      if (name != "sweep") continue;
      // Between steps the totals are those the engine holds; recount them
      // from the word masters here.
      std::vector<std::int64_t> totals(topics, 0);
      const auto& s = g.structure();
      for (local_id v = 0; v < s.num_local_vertices(); ++v)
        if (s.is_master(v) && !is_document(s.global_id(v)))
          for (const auto& e : g.vertex_data(v).entries()) totals[e.topic] += e.count;
      world()->all_reduce_sum(std::span<std::int64_t>(totals));
      expect_counts_match_tokens(whole, g, tokens, totals,
                                 std::to_string(world()->size()) + " ranks, sweep " + std::to_string(static_cast<int>(value)));
      ++checked;
    }
  });
  EXPECT_EQ(checked, 4u);
  expect_counts_match_tokens(whole, g, tokens, r.topic_totals, "end");
  std::vector<topic_id> mine;
  const auto& s = g.structure();
  for (local_id v = 0; v < s.num_local_vertices(); ++v)
    for (edge_index e = s.out_begin(v); e != s.out_end(v); ++e)
      for (topic_id k : tokens.of(g.edge_data(e))) mine.push_back(k);
  return mine;
}

TEST(LdaAcrossRanks, CountsEqualTheTokensAfterEverySweepAndRunsRepeat) {
  const corpus whole = generate_corpus(5, 120, 150, 40, 0.3, 0.05, 7).text;
  for (std::uint32_t parts : {1u, 3u}) {
    SCOPED_TRACE(std::to_string(parts) + " parts");
    const std::vector<topic_id> first = fit_and_check(whole, parts);
    EXPECT_EQ(fit_and_check(whole, parts), first);
  }
}

TEST(LdaAcrossRanks, AsynchronousCountsEqualTheTokensAfterEverySweepAndRunsRepeatOnOneThread) {
  const corpus whole = generate_corpus(5, 120, 150, 40, 0.3, 0.05, 7).text;
  fit_and_check(whole, 1, engine_kind::asynchronous);
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  const std::vector<topic_id> first = fit_and_check(whole, 1, engine_kind::asynchronous);
  EXPECT_EQ(fit_and_check(whole, 1, engine_kind::asynchronous), first);
}

}  // namespace
}  // namespace gasworks::lda
