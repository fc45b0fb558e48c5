// Topic models: the sparse sampler draws from the exact collapsed
// conditional; a fit keeps every count equal to its tokens after every sweep,
// does not depend on threads, recovers known topics, and reaches the serial
// dense sampler's log-likelihood on a real corpus; corpora are read strictly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <tbb/global_control.h>

#include "engine/comm/communicator.hpp"
#include "tests/support/scratch_directory.hpp"
#include "tests/support/shared_datasets.hpp"
#include "tests/support/shell_command.hpp"
#include "toolkits/lda/corpus_file.hpp"
#include "toolkits/lda/corpus_graph.hpp"
#include "toolkits/lda/lda.hpp"
#include "toolkits/lda/inference.hpp"
#include "toolkits/lda/lda_reference.hpp"
#include "toolkits/lda/sparse_sampler.hpp"
#include "toolkits/lda/synthetic_corpus.hpp"
#include "toolkits/lda/topic_model_files.hpp"

namespace gasworks::lda {
namespace {

using testing::scratch_directory;

// ---------------------------------------------------------------- sampler

// Random counts for one token of a document and a word: the document's
// counts include the token at `old`, the word's counts and the totals at
// `counted` (the same topic, or, as the asynchronous sampler sees a token
// moved since its word last folded, another one).
struct count_state {
  hyperparameters h;
  std::vector<std::int64_t> totals;
  topic_counts document, word;
  topic_id old = 0;
  topic_id counted = 0;
};

count_state random_state(std::uint32_t topics, std::mt19937_64& random, bool moved = false) {
  count_state s;
  s.h.topics = topics;
  s.h.alpha = 0.1;
  s.h.beta = 0.01;
  s.h.vocabulary = 500;
  std::uniform_int_distribution<int> any_topic(0, static_cast<int>(topics) - 1), small(1, 6);
  s.old = static_cast<topic_id>(any_topic(random));
  s.counted = s.old;
  while (moved && topics > 1 && s.counted == s.old) s.counted = static_cast<topic_id>(any_topic(random));
  std::map<topic_id, std::int32_t> doc, word;
  doc[s.old] += 1;
  word[s.counted] += 1;
  for (int i = 0; i < 4; ++i) doc[static_cast<topic_id>(any_topic(random))] += small(random);
  for (int i = 0; i < 3; ++i) word[static_cast<topic_id>(any_topic(random))] += small(random);
  std::vector<topic_count> d, w;
  for (auto [k, n] : doc) d.push_back({k, n});
  for (auto [k, n] : word) w.push_back({k, n});
  s.document = topic_counts(d);
  s.word = topic_counts(w);
  s.word.sort_by_count();
  s.totals.assign(topics, 0);
  for (std::uint32_t k = 0; k < topics; ++k) s.totals[k] = 20 + small(random) * 10;
  for (auto [k, n] : word) s.totals[k] += n;
  return s;
}

// The conditional written out densely, straight from the formula.
std::vector<double> dense_conditional(const count_state& s) {
  std::vector<double> p(s.h.topics);
  double sum = 0;
  for (std::uint32_t k = 0; k < s.h.topics; ++k) {
    double n_dk = 0, n_wk = 0;
    for (const auto& e : s.document.entries())
      if (e.topic == k) n_dk = e.count;
    for (const auto& e : s.word.entries())
      if (e.topic == k) n_wk = e.count;
    const double in_document = k == s.old ? 1 : 0, in_word = k == s.counted ? 1 : 0;
    p[k] = (n_dk - in_document + s.h.alpha) * (n_wk - in_word + s.h.beta) /
           (static_cast<double>(s.totals[k]) - in_word + static_cast<double>(s.h.vocabulary) * s.h.beta);
    sum += p[k];
  }
  for (double& x : p) x /= sum;
  return p;
}

TEST(SparseSampler, ConditionalEqualsTheDenseFormula) {
  std::mt19937_64 random(3);
  for (bool moved : {false, true})
  for (std::uint32_t topics : {1u, 2u, 7u, 50u}) {
    for (int trial = 0; trial < 50; ++trial) {
      const count_state s = random_state(topics, random, moved);
      sparse_sampler sampler(s.h, s.totals);
      sampler.begin_document(s.document);
      const auto sparse = sampler.conditional(s.old, s.counted, s.word);
      const auto dense = dense_conditional(s);
      for (std::uint32_t k = 0; k < topics; ++k) ASSERT_NEAR(sparse[k], dense[k], 1e-12) << topics << " topics, k " << k;
      sampler.end_document();
    }
  }
}

TEST(SparseSampler, DrawsFollowTheConditional) {
  // Chi-square of 200,000 draws against the dense conditional, for states
  // where every bucket (own topic, word, document, smoothing) has mass.
  // The last three trials draw a token that its word still counts in
  // another topic than its document does.
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> uniform(0, 1);
  for (int trial = 0; trial < 8; ++trial) {
    count_state s = random_state(12, random, trial >= 5);
    s.h.alpha = 0.5;
    s.h.beta = 0.3;
    const auto p = dense_conditional(s);
    sparse_sampler sampler(s.h, s.totals);
    constexpr int draws = 200000;
    std::vector<double> seen(p.size(), 0);
    for (int i = 0; i < draws; ++i) {
      sampler.begin_document(s.document);
      ++seen[sampler.resample(s.old, s.counted, s.word, uniform(random))];
      // The document's counts keep their total: one token moved.
      ASSERT_EQ(sampler.document_counts().total(), s.document.total());
      sampler.end_document();
    }
    double chi_square = 0;
    for (std::size_t k = 0; k < p.size(); ++k) {
      const double expected = p[k] * draws;
      chi_square += (seen[k] - expected) * (seen[k] - expected) / expected;
    }
    // 11 degrees of freedom: P(chi2 > 31.3) = 0.001.
    EXPECT_LT(chi_square, 31.3) << "trial " << trial;
  }
}

// ---------------------------------------------------------------- fits

corpus small_corpus() { return generate_corpus(5, 120, 150, 40, 0.3, 0.05, 7).text; }

struct fitted {
  corpus_graph graph;
  token_topics tokens;
  fit_result result;
};

fitted fit_corpus(const corpus& c, std::uint32_t topics, std::uint64_t sweeps, std::uint32_t parts,
                  const std::function<void(corpus_graph&, token_topics&, std::uint64_t)>& after_sweep = {},
                  std::uint64_t seed = 5, engine_kind engine = engine_kind::synchronous) {
  fitted f{load_corpus_graph(std::make_shared<communicator>(), c), {}, {}};
  fit_options o;
  o.engine = engine;
  o.model.topics = topics;
  o.model.vocabulary = c.vocabulary;
  o.model.documents = c.documents;
  o.sampling.sweeps = sweeps;
  o.sampling.parts = parts;
  o.sampling.seed = seed;
  f.tokens.lay_out(f.graph, topics, o.sampling.seed);
  f.result = fit(f.graph, f.tokens, o, [&](superstep_report& r) {
    for (const auto& [name, value] : r.metrics)
      if (name == "sweep" && after_sweep) after_sweep(f.graph, f.tokens, static_cast<std::uint64_t>(value));
  });
  return f;
}

// Every count against the tokens: n_dk and n_wk recounted from the topics on
// the edges, their totals against the corpus, and n_k both ways.
void expect_counts_match_tokens(const corpus& c, corpus_graph& g, const token_topics& tokens, std::uint32_t topics,
                                std::span<const std::int64_t> totals, const std::string& where) {
  const auto& s = g.structure();
  std::map<vertex_id, std::map<topic_id, std::int32_t>> expected;
  std::map<vertex_id, std::int64_t> length;
  for (local_id v = 0; v < s.num_local_vertices(); ++v)
    for (edge_index e = s.out_begin(v); e != s.out_end(v); ++e)
      for (topic_id k : tokens.of(g.edge_data(e))) {
        ASSERT_LT(k, topics) << where;
        ++expected[s.global_id(v)][k];
        ++expected[s.global_id(s.out_target(e))][k];
      }
  for (const auto& e : c.entries) {
    length[document_vertex(e.doc)] += e.count;
    length[word_vertex(e.word)] += e.count;
  }
  std::vector<std::int64_t> by_words(topics, 0), by_documents(topics, 0);
  for (local_id v = 0; v < s.num_local_vertices(); ++v) {
    const vertex_id id = s.global_id(v);
    std::map<topic_id, std::int32_t> have;
    for (const auto& e : g.vertex_data(v).entries()) have[e.topic] = e.count;
    EXPECT_EQ(have, expected[id]) << where << ", vertex " << id;
    EXPECT_EQ(g.vertex_data(v).total(), length[id]) << where << ", vertex " << id;
    for (const auto& e : g.vertex_data(v).entries()) (is_document(id) ? by_documents : by_words)[e.topic] += e.count;
  }
  EXPECT_EQ(by_words, std::vector<std::int64_t>(totals.begin(), totals.end())) << where;
  EXPECT_EQ(by_documents, by_words) << where;
  EXPECT_EQ(std::accumulate(totals.begin(), totals.end(), std::int64_t{0}), static_cast<std::int64_t>(c.tokens())) << where;
}

// The topics of every token, in the order of the documents' external ids.
std::vector<topic_id> token_topics_in_id_order(const fitted& f) {
  std::vector<topic_id> all;
  const auto& s = f.graph.structure();
  for (std::size_t k = 0; k < s.num_vertices(); ++k) {
    const local_id v = s.in_external_id_order(static_cast<local_id>(k));
    for (edge_index e = s.out_begin(v); e != s.out_end(v); ++e)
      for (topic_id t : f.tokens.of(f.graph.edge_data(e))) all.push_back(t);
  }
  return all;
}

// Fits the small corpus on `threads` threads, checking every count against
// the tokens after every sweep and at the end.
fitted fit_and_check_every_sweep(const corpus& c, int threads, engine_kind engine) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  std::uint64_t checked = 0;
  fitted f = fit_corpus(
      c, 6, 4, 3,
      [&](corpus_graph& g, token_topics& tokens, std::uint64_t sweep) {
        // The observer runs between steps: the program's totals are those of
        // this sweep's last recount, held by the engine; recount them here.
        std::vector<std::int64_t> totals(6, 0);
        for (local_id v = 0; v < g.num_local_vertices(); ++v)
          if (!is_document(g.structure().global_id(v)))
            for (const auto& e : g.vertex_data(v).entries()) totals[e.topic] += e.count;
        expect_counts_match_tokens(c, g, tokens, 6, totals, std::to_string(threads) + " threads, sweep " + std::to_string(sweep));
        ++checked;
      },
      5, engine);
  EXPECT_EQ(checked, 4u);
  expect_counts_match_tokens(c, f.graph, f.tokens, 6, f.result.topic_totals, "end");
  return f;
}

TEST(LdaFit, CountsEqualTheTokensAfterEverySweepOnAnyThreadCount) {
  const corpus c = small_corpus();
  std::vector<std::vector<topic_id>> topics_by_threads;
  for (int threads : {1, 2, 3}) topics_by_threads.push_back(token_topics_in_id_order(fit_and_check_every_sweep(c, threads, engine_kind::synchronous)));
  // A token's draws depend on the seed, sweep and document only.
  EXPECT_EQ(topics_by_threads[0], topics_by_threads[1]);
  EXPECT_EQ(topics_by_threads[0], topics_by_threads[2]);
}

TEST(LdaAsyncFit, CountsEqualTheTokensAfterEverySweepOnAnyThreadCount) {
  const corpus c = small_corpus();
  for (int threads : {1, 2, 3}) fit_and_check_every_sweep(c, threads, engine_kind::asynchronous);
  // On one thread the order of the updates is fixed, and so is the run.
  const auto once = token_topics_in_id_order(fit_and_check_every_sweep(c, 1, engine_kind::asynchronous));
  EXPECT_EQ(token_topics_in_id_order(fit_and_check_every_sweep(c, 1, engine_kind::asynchronous)), once);
  // Words fold within the sweep: the run differs from one that never folds
  // before the recount (the synchronous engine with one part).
  EXPECT_NE(token_topics_in_id_order(fit_corpus(c, 6, 4, 1, {}, 5, engine_kind::synchronous)), once);
}

TEST(LdaFit, ADocumentAndAWordAloneWork) {
  corpus c;
  c.documents = 1;
  c.vocabulary = 1;
  c.entries = {{0, 0, 3}};
  for (engine_kind engine : {engine_kind::synchronous, engine_kind::asynchronous}) {
    fitted f = fit_corpus(c, 2, 3, 1, {}, 5, engine);
    EXPECT_EQ(f.result.history.size(), 3u);
    expect_counts_match_tokens(c, f.graph, f.tokens, 2, f.result.topic_totals, "one document");
    EXPECT_TRUE(std::isfinite(f.result.history.back().log_likelihood_per_token));
  }
}

// Cosine similarity of two distributions over the words.
double cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

TEST(LdaFit, RecoversTheTopicsOfAGeneratedCorpus) {
  constexpr std::uint32_t topics = 10;
  const synthetic_corpus truth = generate_corpus(topics, 500, 2000, 100, 0.1, 0.1, 17);
  // Gibbs sampling can settle with two true topics merged and another split;
  // as a user would, keep the most likely of three runs (chosen without the
  // true topics).
  std::optional<fitted> best;
  for (std::uint64_t seed : {1, 2, 3}) {
    fitted f = fit_corpus(truth.text, topics, 60, 4, {}, seed);
    if (!best || f.result.history.back().log_likelihood_per_token > best->result.history.back().log_likelihood_per_token)
      best.emplace(std::move(f));
  }
  // The fitted word distribution of each topic, from the word counts.
  std::vector<std::vector<double>> found(topics, std::vector<double>(500, 0.0));
  const auto& s = best->graph.structure();
  for (local_id v = 0; v < s.num_local_vertices(); ++v) {
    const vertex_id id = s.global_id(v);
    if (is_document(id)) continue;
    for (const auto& e : best->graph.vertex_data(v).entries()) found[e.topic][index_of(id)] = e.count;
  }
  // Match each true topic to a distinct fitted one, best pairs first.
  std::vector<std::tuple<double, std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t t = 0; t < topics; ++t)
    for (std::uint32_t k = 0; k < topics; ++k) pairs.emplace_back(cosine(truth.topics[t], found[k]), t, k);
  std::sort(pairs.rbegin(), pairs.rend());
  std::vector<bool> true_used(topics, false), found_used(topics, false);
  double total = 0;
  for (const auto& [similarity, t, k] : pairs) {
    if (true_used[t] || found_used[k]) continue;
    true_used[t] = found_used[k] = true;
    total += similarity;
  }
  EXPECT_GE(total / topics, 0.9);
}

TEST(LdaFit, ReachesTheSerialDenseSamplersLikelihoodOnAp) {
  GASWORKS_REQUIRE_DATASET(path, "corpora/ap/docword.ap.txt");
  const corpus ap = read_corpus(path, corpus_format::uci);
  constexpr std::uint32_t topics = 20;
  constexpr std::uint64_t sweeps = 100;
  hyperparameters h;
  h.topics = topics;
  h.vocabulary = ap.vocabulary;
  h.documents = ap.documents;
  reference::sampler serial(ap, h, 3);
  for (std::uint64_t i = 0; i < sweeps; ++i) serial.sweep();
  const double expected = serial.log_likelihood_per_token();
  // Two seeds on the synchronous engine (the default), one on the asynchronous.
  for (const auto& [engine, seed] : {std::pair{engine_kind::synchronous, 5}, std::pair{engine_kind::synchronous, 6},
                                     std::pair{engine_kind::asynchronous, 5}}) {
    SCOPED_TRACE(std::string(engine == engine_kind::synchronous ? "sync" : "async") + ", seed " + std::to_string(seed));
    fitted f = fit_corpus(ap, topics, sweeps, 4, {}, static_cast<std::uint64_t>(seed), engine);
    const auto& history = f.result.history;
    ASSERT_EQ(history.size(), sweeps);
    const double reached = history.back().log_likelihood_per_token;
    EXPECT_LT(std::abs(reached - expected), 0.01 * std::abs(expected)) << "engine " << reached << ", serial " << expected;
    // It rises, then levels off: the last 20 sweeps move it far less than the first 20.
    const double early = history[19].log_likelihood_per_token - history[0].log_likelihood_per_token;
    const double late = history[99].log_likelihood_per_token - history[79].log_likelihood_per_token;
    EXPECT_GT(early, 0);
    EXPECT_LT(std::abs(late), 0.1 * early);
  }
}

TEST(LdaModelFile, SavedModelsLoadBackAndBadOnesNameTheLine) {
  const corpus c = small_corpus();
  fitted f = fit_corpus(c, 4, 2, 2);
  const auto counts = gather_at_root(f.graph, [](const auto& v) { return v.data(); });
  hyperparameters h;
  h.topics = 4;
  h.vocabulary = c.vocabulary;
  h.documents = c.documents;
  const topic_model saved = model_from(counts, f.result.topic_totals, h, {});
  scratch_directory dir("lda_model");
  save_model(dir.path() / "m.model", saved);
  const topic_model loaded = load_model(dir.path() / "m.model");
  EXPECT_EQ(loaded.model.topics, 4u);
  EXPECT_EQ(loaded.model.vocabulary, c.vocabulary);
  EXPECT_EQ(loaded.model.alpha, h.alpha);
  EXPECT_EQ(loaded.model.beta, h.beta);
  EXPECT_EQ(loaded.totals, saved.totals);
  ASSERT_EQ(loaded.words.size(), saved.words.size());
  for (std::size_t w = 0; w < saved.words.size(); ++w) {
    topic_counts expected = saved.words[w], got = loaded.words[w];
    expected.sort_by_topic();
    got.sort_by_topic();
    EXPECT_EQ(got, expected) << "word " << w;
  }
  // A corrupted count breaks the totals; a bad version is refused.
  std::string text = testing::read_text(dir.path() / "m.model");
  const auto bad_version = dir.write("v.model", "gasworks-lda-model 9\n");
  EXPECT_THROW(load_model(bad_version), input_error);
  const auto at = text.find(":", text.find("\nword "));
  text.insert(at + 1, "1");
  const auto corrupted = dir.write("c.model", text);
  try {
    load_model(corrupted);
    ADD_FAILURE() << "accepted totals that do not add up";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("the totals do not equal the sums of the word counts"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------- inference

TEST(SparseSampler, WithAFixedModelTheTokenIsNotInTheWordCounts) {
  std::mt19937_64 random(5);
  for (int trial = 0; trial < 50; ++trial) {
    count_state s = random_state(9, random);
    sparse_sampler sampler(s.h, s.totals, word_counts::exclude_token);
    sampler.begin_document(s.document);
    const auto p = sampler.conditional(s.old, s.word);
    // The dense formula, the token taken out of its document only.
    std::vector<double> expected(9);
    double sum = 0;
    for (std::uint32_t k = 0; k < 9; ++k) {
      double n_dk = 0, n_wk = 0;
      for (const auto& e : s.document.entries())
        if (e.topic == k) n_dk = e.count;
      for (const auto& e : s.word.entries())
        if (e.topic == k) n_wk = e.count;
      expected[k] = (n_dk - (k == s.old ? 1 : 0) + s.h.alpha) * (n_wk + s.h.beta) /
                    (static_cast<double>(s.totals[k]) + static_cast<double>(s.h.vocabulary) * s.h.beta);
      sum += expected[k];
    }
    for (std::uint32_t k = 0; k < 9; ++k) ASSERT_NEAR(p[k], expected[k] / sum, 1e-12);
    sampler.end_document();
  }
}

// A generated corpus split by document: the first `training` documents and the rest.
std::pair<corpus, corpus> split_documents(const corpus& c, std::uint64_t training) {
  corpus first, second;
  first.documents = training;
  second.documents = c.documents - training;
  first.vocabulary = second.vocabulary = c.vocabulary;
  for (const auto& e : c.entries) {
    if (e.doc < training) first.entries.push_back(e);
    else second.entries.push_back({e.doc - training, e.word, e.count});
  }
  return {first, second};
}

topic_model fitted_model(const fitted& f, const corpus& c, std::uint32_t topics) {
  hyperparameters h;
  h.topics = topics;
  h.vocabulary = c.vocabulary;
  h.documents = c.documents;
  return model_from(gather_at_root(f.graph, [](const auto& v) { return v.data(); }), f.result.topic_totals, h, {});
}

// Half the L1 distance between two distributions over the topics.
double total_variation(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t k = 0; k < a.size(); ++k) d += std::abs(a[k] - b[k]);
  return d / 2;
}

TEST(LdaInference, TrainingDocumentsGetTheMixturesTheFitGaveThem) {
  constexpr std::uint32_t topics = 10;
  const corpus c = generate_corpus(topics, 500, 600, 100, 0.1, 0.1, 23).text;
  fitted f = fit_corpus(c, topics, 60, 4);
  const topic_model model = fitted_model(f, c, topics);
  const auto inferred = infer_documents(model, tokens_by_document(c), {50, 9});
  std::map<std::uint64_t, topic_counts> trained;
  for (const auto& [id, counts] : gather_at_root(f.graph, [](const auto& v) { return v.data(); }))
    if (is_document(id)) trained[index_of(id)] = counts;
  double same = 0, shuffled = 0;
  for (std::uint64_t d = 0; d < c.documents; ++d) {
    const auto fit_theta = topic_proportions(trained[d], model.model);
    EXPECT_EQ(inferred[d].total(), trained[d].total()) << d;
    same += total_variation(topic_proportions(inferred[d], model.model), fit_theta);
    shuffled += total_variation(topic_proportions(inferred[(d + 1) % c.documents], model.model), fit_theta);
  }
  same /= static_cast<double>(c.documents);
  shuffled /= static_cast<double>(c.documents);
  // Mean total variation distance to the fit's own mixtures: small, and far
  // below that to another document's.
  EXPECT_LT(same, 0.1) << "shuffled " << shuffled;
  EXPECT_GT(shuffled, 4 * same);
}

TEST(LdaInference, HeldOutPerplexityFallsAsTheModelLearns) {
  constexpr std::uint32_t topics = 10;
  const auto [training, held_out] = split_documents(generate_corpus(topics, 500, 1000, 100, 0.1, 0.1, 29).text, 800);
  const auto docs = tokens_by_document(held_out);
  std::vector<double> perplexity;
  for (std::uint64_t sweeps : {1u, 10u, 60u}) {
    fitted f = fit_corpus(training, topics, sweeps, 4);
    perplexity.push_back(held_out_perplexity(fitted_model(f, training, topics), docs, {20, 3}).perplexity);
  }
  EXPECT_GT(perplexity[0], perplexity[1]);
  EXPECT_GT(perplexity[1], perplexity[2]);
  // Below what a uniform model over the 500 words would give.
  EXPECT_LT(perplexity[2], 500);
}

// ---------------------------------------------------------------- reading

TEST(CorpusFile, ReadsUciAndText) {
  scratch_directory dir("lda_corpus");
  const auto docword = dir.write("docword.t.txt", "3\n4\n3\n1 1 2\n1 4 1\n3 2 5\n");
  const auto vocab = dir.write("vocab.t.txt", "apple\nbanana\ncherry\ndate\n");
  const corpus c = read_corpus(docword, guess_corpus_format(docword), vocab);
  EXPECT_EQ(c.documents, 3u);
  EXPECT_EQ(c.vocabulary, 4u);
  ASSERT_EQ(c.entries.size(), 3u);
  EXPECT_EQ(c.entries[2].doc, 2u);
  EXPECT_EQ(c.entries[2].word, 1u);
  EXPECT_EQ(c.entries[2].count, 5u);
  EXPECT_EQ(c.tokens(), 8u);
  EXPECT_EQ(c.words[3], "date");

  const auto text = dir.write("notes.txt", "the cat the hat\n\ncat nap\n");
  const corpus t = read_corpus(text, guess_corpus_format(text));
  EXPECT_EQ(t.documents, 3u);  // the empty line is a document without tokens
  EXPECT_EQ(t.words, (std::vector<std::string>{"the", "cat", "hat", "nap"}));
  ASSERT_EQ(t.entries.size(), 5u);
  EXPECT_EQ(t.entries[0].count, 2u);  // "the" twice in document 0
  EXPECT_EQ(t.entries[3].doc, 2u);
}

TEST(CorpusFile, BadInputNamesFileAndLine) {
  scratch_directory dir("lda_bad_corpus");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"3\n4\n1\n1 1 0\n", ":4: expected a count in [1, "},
      {"3\n4\n1\n1 5 1\n", ":4: expected a word id in [1, 4], got '5'"},
      {"3\n4\n1\n4 1 1\n", ":4: expected a document id in [1, 3], got '4'"},
      {"3\n4\n1\n0 1 1\n", ":4: expected a document id in [1, 3], got '0'"},
      {"3\n4\n2\n1 1 1\n", ":3: the header declares 2 entries; the file has 1"},
      {"3\n4\n", ":3: missing header: expected the number of entries NNZ on line 3"},
      {"3\n4 5\n1\n1 1 1\n", ":2: expected the vocabulary size W on line 2 alone, got '4 5'"},
      {"3\n4\n1\n1 1 x\n", ":4: expected a count in [1, "},
      {"3\n4\n1\n1 1\n", ":4: expected 'docID wordID count', got 2 fields"},
  };
  for (const auto& [content, message] : cases) {
    const auto file = dir.write("docword.bad.txt", content);
    try {
      read_corpus(file, corpus_format::uci);
      ADD_FAILURE() << "accepted: " << content;
    } catch (const input_error& e) {
      EXPECT_NE(std::string(e.what()).find(file.string() + message), std::string::npos) << e.what();
    }
  }
  const auto docword = dir.write("docword.ok.txt", "1\n3\n1\n1 3 1\n");
  const auto short_vocab = dir.write("vocab.short.txt", "one\ntwo\n");
  try {
    read_corpus(docword, corpus_format::uci, short_vocab);
    ADD_FAILURE() << "accepted a short vocabulary";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("the vocabulary has 2 words; the corpus needs 3"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gasworks::lda
