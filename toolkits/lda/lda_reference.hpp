#pragma once
// A plain serial collapsed Gibbs sampler for LDA, written apart from the
// engine: dense counts, every topic weighed for every token, tokens visited
// document by document. The oracle the engine's sampler is measured against.
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "toolkits/lda/corpus_file.hpp"
#include "toolkits/lda/lda_model.hpp"

namespace gasworks::lda::reference {

class sampler {
 public:
  sampler(const corpus& c, const hyperparameters& h, std::uint64_t seed)
      : h_(h), k_(h.topics), random_(seed), document_topic_(c.documents * h.topics, 0),
        word_topic_(h.vocabulary * h.topics, 0), topic_(h.topics, 0), weights_(h.topics) {
    for (const word_count& e : c.entries)
      for (std::uint32_t i = 0; i < e.count; ++i) {
        tokens_.push_back({e.doc, e.word, static_cast<std::uint32_t>(random_() % k_)});
        add(tokens_.back(), 1);
      }
  }

  // Resamples every token once, in corpus order.
  void sweep() {
    std::uniform_real_distribution<double> uniform(0, 1);
    const double w_beta = static_cast<double>(h_.vocabulary) * h_.beta;
    for (token& t : tokens_) {
      add(t, -1);
      double sum = 0;
      for (std::uint32_t k = 0; k < k_; ++k) {
        sum += (static_cast<double>(document_topic_[t.doc * k_ + k]) + h_.alpha) *
               (static_cast<double>(word_topic_[t.word * k_ + k]) + h_.beta) /
               (static_cast<double>(topic_[k]) + w_beta);
        weights_[k] = sum;
      }
      const double u = uniform(random_) * sum;
      std::uint32_t k = 0;
      while (k + 1 < k_ && weights_[k] <= u) ++k;
      t.topic = k;
      add(t, 1);
    }
  }

  // The collapsed joint log-likelihood, every term computed densely.
  double log_likelihood() const {
    const double w_beta = static_cast<double>(h_.vocabulary) * h_.beta, k_alpha = k_ * h_.alpha;
    double s = k_ * std::lgamma(w_beta) - k_ * static_cast<double>(h_.vocabulary) * std::lgamma(h_.beta);
    for (std::int64_t n : word_topic_) s += std::lgamma(static_cast<double>(n) + h_.beta);
    for (std::int64_t n : topic_) s -= std::lgamma(static_cast<double>(n) + w_beta);
    std::vector<std::int64_t> length(h_.documents, 0);
    for (const token& t : tokens_) ++length[t.doc];
    s += static_cast<double>(h_.documents) * (std::lgamma(k_alpha) - k_ * std::lgamma(h_.alpha));
    for (std::int64_t n : document_topic_) s += std::lgamma(static_cast<double>(n) + h_.alpha);
    for (std::int64_t n : length) s -= std::lgamma(static_cast<double>(n) + k_alpha);
    return s;
  }

  double log_likelihood_per_token() const { return log_likelihood() / static_cast<double>(tokens_.size()); }

 private:
  struct token {
    std::uint64_t doc, word;
    std::uint32_t topic;
  };

  void add(const token& t, std::int64_t delta) {
    document_topic_[t.doc * k_ + t.topic] += delta;
    word_topic_[t.word * k_ + t.topic] += delta;
    topic_[t.topic] += delta;
  }

  hyperparameters h_;
  std::uint32_t k_;
  std::mt19937_64 random_;
  std::vector<token> tokens_;
  std::vector<std::int64_t> document_topic_, word_topic_, topic_;
  std::vector<double> weights_;
};

}  // namespace gasworks::lda::reference
