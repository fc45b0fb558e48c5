#pragma once
// The collapsed Gibbs conditional of one token, sampled in time that grows
// with the topics present in its document and its word, not with K
// (SparseLDA: Yao, Mimno and McCallum, KDD 2009).
//
// A token of word w in document d, now in topic t, moves to topic k with
//     p(k) ~ (n_dk + a) (n_wk + b) / (n_k + W b)
// counts taken without the token itself. The numerator splits into three
// buckets,
//     s(k) = a b / (n_k + W b)                  every topic: a sum kept for the whole step
//     r(k) = n_dk b / (n_k + W b)               the document's topics: a sum kept per document
//     q(k) = (n_dk + a) n_wk / (n_k + W b)      the word's topics: summed per token
// so a draw visits the word's topics, rarely the document's and almost never
// all K. The token's own topic t is taken out of the three buckets and
// weighed exactly in a fourth, so that every bucket stays non-negative.
//
// Word counts n_wk and totals n_k are those of the start of the step (the
// token itself still counted in them, hence the exact fourth bucket), or a
// fitted model's, which do not count the token (inference on new documents:
// word_counts::exclude_token); a document's counts n_dk are current: the
// sampler keeps them dense while it works through the document.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "toolkits/lda/lda_model.hpp"
#include "toolkits/lda/topic_counts.hpp"

namespace gasworks::lda {

// Whether the word counts and totals a sampler is given count the token
// being resampled (training) or not (a fixed model, new documents).
enum class word_counts { include_token, exclude_token };

class sparse_sampler {
 public:
  // `topic_totals`: n_k at the start of the step.
  sparse_sampler(const hyperparameters& h, std::span<const std::int64_t> topic_totals,
                 word_counts counts = word_counts::include_token)
      : own_(counts == word_counts::include_token ? 1 : 0),
        alpha_(h.alpha),
        beta_(h.beta),
        w_beta_(static_cast<double>(h.vocabulary) * h.beta),
        totals_(topic_totals.begin(), topic_totals.end()),
        inverse_(h.topics),
        coefficient_(h.topics),
        document_(h.topics, 0),
        position_(h.topics, absent) {
    for (std::uint32_t k = 0; k < h.topics; ++k) {
      inverse_[k] = 1.0 / (static_cast<double>(totals_[k]) + w_beta_);
      coefficient_[k] = alpha_ * inverse_[k];
      smoothing_sum_ += alpha_ * beta_ * inverse_[k];
    }
  }

  // Loads a document's counts; every token of it sampled until
  // end_document() must be counted in them.
  void begin_document(const topic_counts& doc) {
    document_sum_ = 0;
    for (const auto& e : doc.entries()) add(e.topic, e.count);
  }

  // Leaves the dense state clean for the next document (cost: the
  // document's topics, not K).
  void end_document() {
    for (topic_id k : present_) {
      document_[k] = 0;
      coefficient_[k] = alpha_ * inverse_[k];
      position_[k] = absent;
    }
    present_.clear();
    document_sum_ = 0;
  }

  // The document's current counts, ascending topic.
  topic_counts document_counts() const {
    std::vector<topic_count> out;
    out.reserve(present_.size());
    for (topic_id k : present_) out.push_back({k, document_[k]});
    topic_counts c(std::move(out));
    c.sort_by_topic();
    return c;
  }

  // Moves one token of `word` (counts at the start of the step) from topic
  // `old` to the topic drawn with `u` uniform in [0, 1); returns it.
  topic_id resample(topic_id old, const topic_counts& word, double u) { return resample(old, old, word, u); }

  // The same for a token that the word counts and the totals still count in
  // topic `counted` (the asynchronous sampler's words fold a token's move
  // later, and a document may move the token again first). The token leaves
  // its document's count of `old` and the word's and totals' counts of
  // `counted`; the latter are taken at zero should a stale total lack it.
  topic_id resample(topic_id old, topic_id counted, const topic_counts& word, double u) {
    add(old, -1);  // the token leaves its document's counts
    const topic_id t = counted;
    std::int32_t counted_in_word = 0;
    const double in_word = word_bucket(t, word, counted_in_word);
    // Staying in t: the token leaves its word's count and the topic's total too.
    const double own = (document_[t] + alpha_) * (std::max(counted_in_word - own_, 0.0) + beta_) /
                       (std::max(static_cast<double>(totals_[t]) - own_, 0.0) + w_beta_);
    const double in_document = document_sum_ - document_[t] * beta_ * inverse_[t];
    const double smoothing = smoothing_sum_ - alpha_ * beta_ * inverse_[t];
    const double x = u * (own + in_word + in_document + smoothing);
    topic_id chosen = t;
    if (x < own) chosen = t;
    else if (x < own + in_word) chosen = find_in_word(x - own);
    else if (x < own + in_word + in_document) chosen = find_in_document(t, x - own - in_word);
    else chosen = find_in_smoothing(t, x - own - in_word - in_document);
    add(chosen, 1);
    return chosen;
  }

  // The conditional distribution resample() draws from, normalised (for
  // tests); leaves the counts as they were.
  std::vector<double> conditional(topic_id old, const topic_counts& word) { return conditional(old, old, word); }
  std::vector<double> conditional(topic_id old, topic_id counted, const topic_counts& word) {
    add(old, -1);
    std::vector<double> p(inverse_.size());
    double sum = 0;
    for (std::size_t k = 0; k < p.size(); ++k) {
      double n_wk = 0;
      for (const auto& e : word.entries())
        if (e.topic == k) n_wk = e.count;
      const double own = k == counted ? own_ : 0;
      p[k] = (document_[k] + alpha_) * (n_wk - own + beta_) / (static_cast<double>(totals_[k]) - own + w_beta_);
      sum += p[k];
    }
    for (double& x : p) x /= sum;
    add(old, 1);
    return p;
  }

 private:
  static constexpr std::uint32_t absent = 0xffffffffu;

  // n_dk += delta, with the bucket sums and coefficients that depend on it.
  void add(topic_id k, std::int32_t delta) {
    if (document_[k] == 0) {
      position_[k] = static_cast<std::uint32_t>(present_.size());
      present_.push_back(k);
    }
    document_[k] += delta;
    document_sum_ += delta * beta_ * inverse_[k];
    coefficient_[k] = (document_[k] + alpha_) * inverse_[k];
    if (document_[k] == 0) {
      // Swap-remove from the list of present topics.
      const std::uint32_t at = position_[k];
      present_[at] = present_.back();
      position_[present_[at]] = at;
      present_.pop_back();
      position_[k] = absent;
    }
  }

  // The word bucket's sum without topic `old`, remembering each term;
  // `old_in_word` receives n_w,old (0 when the word lacks it).
  double word_bucket(topic_id old, const topic_counts& word, std::int32_t& old_in_word) {
    terms_.clear();
    double sum = 0;
    for (const auto& e : word.entries()) {
      if (e.topic == old) {
        old_in_word = e.count;
        continue;
      }
      const double term = coefficient_[e.topic] * e.count;
      sum += term;
      terms_.push_back({e.topic, term});
    }
    return sum;
  }

  topic_id find_in_word(double x) const {
    for (const auto& t : terms_)
      if ((x -= t.weight) < 0) return t.topic;
    return terms_.back().topic;  // rounding at the end of the bucket
  }

  topic_id find_in_document(topic_id old, double x) const {
    topic_id last = old;
    for (topic_id k : present_) {
      if (k == old) continue;
      last = k;
      if ((x -= document_[k] * beta_ * inverse_[k]) < 0) return k;
    }
    return last;
  }

  topic_id find_in_smoothing(topic_id old, double x) const {
    topic_id last = old;
    for (std::size_t k = 0; k < inverse_.size(); ++k) {
      if (k == old) continue;
      last = static_cast<topic_id>(k);
      if ((x -= alpha_ * beta_ * inverse_[k]) < 0) return last;
    }
    return last;
  }

  struct weighted_topic {
    topic_id topic;
    double weight;
  };

  double own_;  // 1 where the word counts and totals count the token itself
  double alpha_, beta_, w_beta_;
  std::vector<std::int64_t> totals_;
  std::vector<double> inverse_;      // 1 / (n_k + W b)
  double smoothing_sum_ = 0;         // sum over k of a b / (n_k + W b)
  std::vector<double> coefficient_;  // (n_dk + a) / (n_k + W b)
  std::vector<std::int32_t> document_;  // n_dk, dense
  std::vector<std::uint32_t> position_;  // of each present topic in present_
  std::vector<topic_id> present_;        // topics with n_dk > 0
  double document_sum_ = 0;               // sum over present topics of n_dk b / (n_k + W b)
  std::vector<weighted_topic> terms_;     // the word bucket's terms for the current token
};

}  // namespace gasworks::lda
