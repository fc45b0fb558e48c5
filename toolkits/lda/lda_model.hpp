#pragma once
// Latent Dirichlet allocation: what a model is made of, how documents and
// words become vertices, and the collapsed joint log-likelihood by which
// samplers are judged.
#include <cmath>
#include <cstdint>

#include "engine/core/error.hpp"
#include "engine/core/types.hpp"
#include "toolkits/lda/topic_counts.hpp"

namespace gasworks::lda {

// The model's sizes and its symmetric Dirichlet priors.
struct hyperparameters {
  std::uint32_t topics = 50;     // K
  double alpha = 0.1;            // per topic, on each document's topic mixture
  double beta = 0.01;            // per word, on each topic's word distribution
  std::uint64_t vocabulary = 0;  // W, words that may occur (the corpus's declared size)
  std::uint64_t documents = 0;   // D

  void check() const {
    if (topics < 1 || topics > max_topics) throw usage_error("the number of topics must be in [1, 65535]");
    if (!(alpha > 0) || !std::isfinite(alpha)) throw usage_error("alpha must be positive");
    if (!(beta > 0) || !std::isfinite(beta)) throw usage_error("beta must be positive");
  }
};

// Documents and words are the two sides of one graph: document d is vertex
// 2d, word w vertex 2w + 1.
constexpr vertex_id document_vertex(std::uint64_t d) noexcept { return 2 * d; }
constexpr vertex_id word_vertex(std::uint64_t w) noexcept { return 2 * w + 1; }
constexpr bool is_document(vertex_id v) noexcept { return v % 2 == 0; }
constexpr std::uint64_t index_of(vertex_id v) noexcept { return v / 2; }

// ln Gamma(x) for x > 0, safe on any thread: std::lgamma also stores the
// sign of Gamma(x) in the global `signgam`, a data race when threads sum
// terms in parallel (ThreadSanitizer reports it); lgamma_r returns the sign
// instead.
inline double log_gamma(double x) noexcept {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

// The collapsed joint log p(w, z) of LDA with symmetric priors,
//   K lnG(W b) - K W lnG(b) + sum_k sum_w lnG(n_wk + b) - sum_k lnG(n_k + W b)
// + D lnG(K a) - D K lnG(a) + sum_d sum_k lnG(n_dk + a) - sum_d lnG(n_d + K a),
// assembled from sparse sums: a zero count adds lnG(b) (or lnG(a)), which
// the constant terms cancel, so only nonzero counts are visited.
struct likelihood_terms {
  double word_terms = 0;      // sum over nonzero n_wk of lnG(n_wk + b) - lnG(b)
  double document_terms = 0;  // sum over documents of [sum over nonzero n_dk of lnG(n_dk + a) - lnG(a)] - lnG(n_d + K a) + lnG(K a)
  likelihood_terms& operator+=(const likelihood_terms& o) noexcept {
    word_terms += o.word_terms;
    document_terms += o.document_terms;
    return *this;
  }
};

inline double word_likelihood_terms(const topic_counts& word, const hyperparameters& h) {
  double s = 0;
  for (const auto& e : word.entries()) s += log_gamma(e.count + h.beta) - log_gamma(h.beta);
  return s;
}

inline double document_likelihood_terms(const topic_counts& doc, const hyperparameters& h) {
  double s = 0;
  for (const auto& e : doc.entries()) s += log_gamma(e.count + h.alpha) - log_gamma(h.alpha);
  const double k_alpha = h.topics * h.alpha;
  return s - log_gamma(static_cast<double>(doc.total()) + k_alpha) + log_gamma(k_alpha);
}

// The log-likelihood from the summed terms and the topic totals n_k.
template <class Totals>
double log_likelihood(const likelihood_terms& terms, const Totals& topic_totals, const hyperparameters& h) {
  const double w_beta = static_cast<double>(h.vocabulary) * h.beta;
  double s = h.topics * log_gamma(w_beta) + terms.word_terms + terms.document_terms;
  for (const auto n : topic_totals) s -= log_gamma(static_cast<double>(n) + w_beta);
  return s;
}

}  // namespace gasworks::lda
