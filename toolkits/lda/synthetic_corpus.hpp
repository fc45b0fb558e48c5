#pragma once
// Corpora drawn from LDA's generative model with known topics, from a seed:
// each topic a Dirichlet(b) distribution over the words, each document a
// Dirichlet(a) mixture of topics, each token a topic from the mixture and a
// word from the topic. Tests fit them and compare the topics they find.
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "toolkits/lda/corpus_file.hpp"

namespace gasworks::lda {

struct synthetic_corpus {
  corpus text;
  std::vector<std::vector<double>> topics;  // [k][w]: the true word distribution of topic k
};

inline synthetic_corpus generate_corpus(std::uint32_t topics, std::uint64_t words, std::uint64_t documents,
                                        std::uint32_t tokens_per_document, double alpha, double beta, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  auto dirichlet = [&](std::size_t n, double concentration) {
    std::gamma_distribution<double> gamma(concentration, 1.0);
    std::vector<double> p(n);
    double sum = 0;
    for (double& x : p) sum += (x = gamma(random));
    for (double& x : p) x /= sum;
    return p;
  };
  synthetic_corpus out;
  out.text.documents = documents;
  out.text.vocabulary = words;
  for (std::uint32_t k = 0; k < topics; ++k) out.topics.push_back(dirichlet(words, beta));
  std::vector<std::discrete_distribution<std::uint64_t>> word_of;
  for (const auto& t : out.topics) word_of.emplace_back(t.begin(), t.end());
  for (std::uint64_t d = 0; d < documents; ++d) {
    const auto mixture = dirichlet(topics, alpha);
    std::discrete_distribution<std::uint32_t> topic_of(mixture.begin(), mixture.end());
    std::map<std::uint64_t, std::uint32_t> counts;
    for (std::uint32_t i = 0; i < tokens_per_document; ++i) ++counts[word_of[topic_of(random)](random)];
    for (const auto& [w, c] : counts) out.text.entries.push_back({d, w, c});
  }
  return out;
}

}  // namespace gasworks::lda
