#pragma once
// Corpora for topic models, read strictly.
//
//   uci   UCI bag-of-words: docword.X.txt holds D (documents), W (vocabulary
//         size) and NNZ (entries) on its first three lines, then one entry
//         per line, "docID wordID count", ids from 1, count at least 1;
//         vocab.X.txt holds word i on line i (optional).
//   text  one document per line, tokens separated by blanks; the vocabulary
//         is made of the tokens in the order they first appear. An empty
//         line is a document without tokens.
// Gzip files are read transparently. Every malformed line is an input_error
// naming the file and line; ids are turned 0-based.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/comm/communicator.hpp"

namespace gasworks::lda {

// The tokens of one word in one document: an edge of the documents-words graph.
struct word_count {
  std::uint64_t doc = 0;   // 0-based
  std::uint64_t word = 0;  // 0-based
  std::uint32_t count = 0;
};

struct corpus {
  std::uint64_t documents = 0;   // D: documents, those without tokens included
  std::uint64_t vocabulary = 0;  // W
  std::vector<word_count> entries;
  std::vector<std::string> words;  // the vocabulary, word i at [i]; empty when unknown

  std::uint64_t tokens() const noexcept;
};

enum class corpus_format { uci, text };

// uci when the file name starts with "docword." or the first line holds one
// integer; text otherwise.
corpus_format guess_corpus_format(const std::filesystem::path& file);

// The whole corpus (one process). `vocab`: the UCI vocabulary file, which
// must have at least W lines.
corpus read_corpus(const std::filesystem::path& file, corpus_format format,
                   const std::optional<std::filesystem::path>& vocab = std::nullopt);

// This rank's share of a corpus: the entries of its byte range of an
// uncompressed UCI file (the header and vocabulary on every rank), or the
// whole corpus at rank 0 for gzip and text files (header and vocabulary
// only elsewhere). The entries of all ranks together are the corpus; errors
// are raised on every rank alike.
corpus read_rank_corpus(communicator& ranks, const std::filesystem::path& file, corpus_format format,
                        const std::optional<std::filesystem::path>& vocab = std::nullopt);

}  // namespace gasworks::lda
