#pragma once
// Topic mixtures of documents under a fitted model, whose word counts stay
// fixed: each document is sampled alone (collapsed Gibbs over its own
// tokens, word counts and totals from the model), so documents run in
// parallel and a document's result depends on the seed and its own tokens
// only. Also the held-out perplexity by document completion: the topics of
// each document are estimated on the first half of its tokens, and the
// second half is scored.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include "engine/core/mix_hash.hpp"
#include "toolkits/lda/corpus_file.hpp"
#include "toolkits/lda/sparse_sampler.hpp"
#include "toolkits/lda/token_random.hpp"
#include "toolkits/lda/topic_model_files.hpp"

namespace gasworks::lda {

struct inference_options {
  std::uint64_t sweeps = 50;
  std::uint64_t seed = 1;
};

// The tokens of every document of a corpus, document by document, as word
// indices in corpus order (a word's c tokens in a row).
inline std::vector<std::vector<std::uint64_t>> tokens_by_document(const corpus& c) {
  std::vector<std::vector<std::uint64_t>> docs(c.documents);
  for (const word_count& e : c.entries) docs[e.doc].insert(docs[e.doc].end(), e.count, e.word);
  return docs;
}

// The tokens of a corpus in the model's word numbering: a UCI corpus uses
// it already; a text corpus's words are looked up in the model's
// vocabulary. Tokens of words the model does not know are dropped and
// counted in `unknown`.
inline std::vector<std::vector<std::uint64_t>> tokens_in_model_words(const corpus& c, corpus_format format,
                                                                     const topic_model& m, std::uint64_t& unknown) {
  std::unordered_map<std::string, std::uint64_t> index;
  if (format == corpus_format::text)
    for (std::uint64_t w = 0; w < m.vocabulary.size(); ++w) index.emplace(m.vocabulary[w], w);
  std::vector<std::vector<std::uint64_t>> docs(c.documents);
  unknown = 0;
  for (const word_count& e : c.entries) {
    std::uint64_t word = e.word;
    if (format == corpus_format::text) {
      const auto it = index.find(c.words[e.word]);
      word = it == index.end() ? m.words.size() : it->second;
    }
    if (word >= m.words.size()) {
      unknown += e.count;
      continue;
    }
    docs[e.doc].insert(docs[e.doc].end(), e.count, word);
  }
  return docs;
}

// The topic counts of one document's tokens after `sweeps` sweeps, the
// model's words fixed; words the model does not know are skipped.
inline topic_counts infer_document(const topic_model& m, std::span<const std::uint64_t> words, std::uint64_t sweeps,
                                   std::uint64_t seed, sparse_sampler& sampler) {
  std::vector<std::uint64_t> known;
  for (std::uint64_t w : words)
    if (w < m.words.size()) known.push_back(w);
  std::vector<topic_id> topics(known.size());
  std::vector<topic_count> start;
  std::vector<std::int32_t> histogram(m.model.topics, 0);
  for (std::size_t i = 0; i < known.size(); ++i) {
    topics[i] = static_cast<topic_id>(mix_hash(seed + i) % m.model.topics);
    ++histogram[topics[i]];
  }
  for (std::uint32_t k = 0; k < m.model.topics; ++k)
    if (histogram[k] > 0) start.push_back({static_cast<topic_id>(k), histogram[k]});
  token_random random(mix_hash(seed));
  sampler.begin_document(topic_counts(std::move(start)));
  for (std::uint64_t sweep = 0; sweep < sweeps; ++sweep)
    for (std::size_t i = 0; i < known.size(); ++i) topics[i] = sampler.resample(topics[i], m.words[known[i]], random.uniform());
  topic_counts result = sampler.document_counts();
  sampler.end_document();
  return result;
}

// Every document's topic counts (by document index), in parallel.
inline std::vector<topic_counts> infer_documents(const topic_model& m, const std::vector<std::vector<std::uint64_t>>& docs,
                                                 const inference_options& o) {
  std::vector<topic_counts> out(docs.size());
  tbb::enumerable_thread_specific<std::unique_ptr<sparse_sampler>> samplers;
  tbb::parallel_for(std::size_t{0}, docs.size(), [&](std::size_t d) {
    auto& sampler = samplers.local();
    if (!sampler) sampler = std::make_unique<sparse_sampler>(m.model, m.totals, word_counts::exclude_token);
    out[d] = infer_document(m, docs[d], o.sweeps, mix_hash(o.seed ^ mix_hash(d)), *sampler);
  });
  return out;
}

// theta_dk = (n_dk + a) / (n_d + K a): a document's topic proportions, dense.
inline std::vector<double> topic_proportions(const topic_counts& doc, const hyperparameters& h) {
  const double n_d = static_cast<double>(doc.total());
  std::vector<double> theta(h.topics, h.alpha / (n_d + h.topics * h.alpha));
  for (const auto& e : doc.entries()) theta[e.topic] = (e.count + h.alpha) / (n_d + h.topics * h.alpha);
  return theta;
}

struct perplexity_result {
  double perplexity = 0;     // exp(-log-likelihood / scored tokens)
  std::uint64_t scored = 0;  // tokens of the second halves
};

// Document completion: each document's first half of tokens (in corpus
// order) estimates its topics, its second half is scored with
//   p(w) = sum_k theta_dk (n_wk + b) / (n_k + W b).
inline perplexity_result held_out_perplexity(const topic_model& m, const std::vector<std::vector<std::uint64_t>>& docs,
                                             const inference_options& o) {
  const hyperparameters& h = m.model;
  const double w_beta = static_cast<double>(h.vocabulary) * h.beta;
  struct sums {
    double log_likelihood = 0;
    std::uint64_t scored = 0;
    sums& operator+=(const sums& x) {
      log_likelihood += x.log_likelihood;
      scored += x.scored;
      return *this;
    }
  };
  tbb::enumerable_thread_specific<std::unique_ptr<sparse_sampler>> samplers;
  const sums total = tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(0, docs.size(), 16), sums{},
      [&](const tbb::blocked_range<std::size_t>& r, sums s) {
        auto& sampler = samplers.local();
        if (!sampler) sampler = std::make_unique<sparse_sampler>(h, m.totals, word_counts::exclude_token);
        std::vector<double> weight(h.topics);  // theta_dk / (n_k + W b)
        for (std::size_t d = r.begin(); d != r.end(); ++d) {
          const auto& words = docs[d];
          const std::size_t half = words.size() / 2;
          const topic_counts estimate =
              infer_document(m, std::span(words).first(half), o.sweeps, mix_hash(o.seed ^ mix_hash(d)), *sampler);
          // p(w) = b sum_k weight_k + sum over the word's topics of n_wk weight_k.
          double smoothing = 0;
          const std::vector<double> theta = topic_proportions(estimate, h);
          for (std::uint32_t k = 0; k < h.topics; ++k) {
            weight[k] = theta[k] / (static_cast<double>(m.totals[k]) + w_beta);
            smoothing += h.beta * weight[k];
          }
          for (std::size_t i = half; i < words.size(); ++i) {
            if (words[i] >= m.words.size()) continue;
            double p = smoothing;
            for (const auto& e : m.words[words[i]].entries()) p += e.count * weight[e.topic];
            s.log_likelihood += std::log(p);
            ++s.scored;
          }
        }
        return s;
      },
      [](sums a, const sums& b) { return a += b; });
  return {total.scored ? std::exp(-total.log_likelihood / static_cast<double>(total.scored)) : 0.0, total.scored};
}

}  // namespace gasworks::lda
