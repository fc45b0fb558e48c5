#pragma once
// The files an LDA fit writes, each to a temporary name renamed into place:
//   PREFIX.topics       per topic, its share of the tokens and its top words
//                       with their probabilities (b-smoothed n_wk / n_k)
//   PREFIX.word_topics  'word_id k:count ...' for every word that occurs
//   PREFIX.doc_topics   'doc_id k:count ...' for every document, empty ones too
//   model file          what inference on new documents needs (versioned)
// Ids are written as in the input: from 1.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "engine/ingress/gather_at_root.hpp"
#include "toolkits/lda/lda_model.hpp"
#include "toolkits/lda/topic_counts.hpp"

namespace gasworks::lda {

// Every vertex's counts, gathered at rank 0 in ascending id.
using gathered_counts = std::vector<vertex_value<topic_counts>>;

void write_topics(const std::filesystem::path& path, const gathered_counts& counts, std::span<const std::int64_t> totals,
                  const hyperparameters& h, const std::vector<std::string>& vocabulary, std::uint32_t top_words);
void write_word_topics(const std::filesystem::path& path, const gathered_counts& counts);
void write_doc_topics(const std::filesystem::path& path, const gathered_counts& counts, std::uint64_t documents);
// The vocabulary of a text corpus, word i on line i + 1.
void write_vocabulary(const std::filesystem::path& path, const std::vector<std::string>& vocabulary);

// A fitted model: its hyperparameters, n_k, n_wk and the vocabulary (if known).
struct topic_model {
  hyperparameters model;
  std::vector<std::int64_t> totals;
  std::vector<topic_counts> words;  // n_wk by word index (empty counts for words that never occur)
  std::vector<std::string> vocabulary;
};

topic_model model_from(const gathered_counts& counts, std::span<const std::int64_t> totals, const hyperparameters& h,
                       const std::vector<std::string>& vocabulary);
void save_model(const std::filesystem::path& path, const topic_model& m);
// Throws input_error (file:line) on anything but a model file of a known version.
topic_model load_model(const std::filesystem::path& path);

}  // namespace gasworks::lda
