#include "toolkits/lda/corpus_file.hpp"

#include <charconv>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "engine/comm/collective_error.hpp"
#include "engine/core/error.hpp"
#include "engine/io/file_share.hpp"
#include "engine/io/line_reader.hpp"
#include "engine/io/read_edge_list.hpp"

namespace gasworks::lda {

namespace {

using io::detail::quoted;

bool blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// The blank-separated fields of a line, at most `max` of them plus a count.
struct fields {
  std::string_view at[3];
  std::size_t count = 0;
};

fields split(std::string_view line) {
  fields f;
  std::size_t i = 0;
  for (;;) {
    while (i < line.size() && blank(line[i])) ++i;
    if (i == line.size()) return f;
    std::size_t stop = i;
    while (stop < line.size() && !blank(line[stop])) ++stop;
    if (f.count < 3) f.at[f.count] = line.substr(i, stop - i);
    ++f.count;
    i = stop;
  }
}

std::uint64_t parse_count(std::string_view token, std::uint64_t min, std::uint64_t max, std::string_view what,
                          const io::line_reader& reader) {
  std::uint64_t value = 0;
  const char* const last = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), last, value);
  if (error != std::errc{} || stop != last || value < min || value > max)
    throw reader.error("expected " + std::string(what) + " in [" + std::to_string(min) + ", " + std::to_string(max) +
                       "], got " + quoted(token));
  return value;
}

// The three header lines of a UCI file.
struct uci_header {
  std::uint64_t documents = 0, vocabulary = 0, entries = 0;
  std::uint64_t end_offset = 0;  // where the first entry line starts
};

constexpr std::uint64_t max_ids = std::uint64_t{1} << 40;

uci_header read_uci_header(const std::filesystem::path& file) {
  io::line_reader reader(file);
  uci_header h;
  const char* names[] = {"the number of documents D on line 1", "the vocabulary size W on line 2",
                         "the number of entries NNZ on line 3"};
  std::uint64_t* values[] = {&h.documents, &h.vocabulary, &h.entries};
  for (int i = 0; i < 3; ++i) {
    const auto line = reader.next();
    if (!line) throw input_error(file, reader.line_number() + 1, std::string("missing header: expected ") + names[i]);
    const fields f = split(*line);
    if (f.count != 1) throw reader.error(std::string("expected ") + names[i] + " alone, got " + quoted(trim(*line)));
    *values[i] = parse_count(f.at[0], 0, max_ids, names[i], reader);
  }
  h.end_offset = reader.next_offset();
  return h;
}

// The entries of the lines that start in `range`, after the header.
std::vector<word_count> read_uci_entries(const std::filesystem::path& file, const uci_header& h, io::byte_range range) {
  std::vector<word_count> entries;
  // The whole file (gzip data cannot be entered in the middle): skip the
  // header's lines; a range: start it after the header.
  const bool whole = range.is_whole_file();
  if (!whole && range.begin < h.end_offset) range.begin = h.end_offset;
  if (range.begin >= range.end) return entries;
  io::line_reader reader(file, range);
  if (whole)
    for (int header_line = 0; header_line < 3; ++header_line) reader.next();
  while (const auto line = reader.next()) {
    const fields f = split(*line);
    if (f.count == 0) continue;  // a blank line (a trailing one, say)
    if (f.count != 3) throw reader.error("expected 'docID wordID count', got " + std::to_string(f.count) + " fields");
    word_count e;
    e.doc = parse_count(f.at[0], 1, h.documents, "a document id", reader) - 1;
    e.word = parse_count(f.at[1], 1, h.vocabulary, "a word id", reader) - 1;
    e.count = static_cast<std::uint32_t>(parse_count(f.at[2], 1, std::numeric_limits<std::uint32_t>::max(), "a count", reader));
    entries.push_back(e);
  }
  return entries;
}

std::vector<std::string> read_vocabulary(const std::filesystem::path& file, std::uint64_t needed) {
  io::line_reader reader(file);
  std::vector<std::string> words;
  while (const auto line = reader.next()) {
    const auto word = trim(*line);
    if (word.empty()) throw reader.error("expected a word, got an empty line");
    words.emplace_back(word);
  }
  if (words.size() < needed)
    throw input_error(file, words.size() + 1,
                      "the vocabulary has " + std::to_string(words.size()) + " words; the corpus needs " + std::to_string(needed));
  return words;
}

corpus read_text(const std::filesystem::path& file) {
  io::line_reader reader(file);
  corpus c;
  std::unordered_map<std::string, std::uint64_t> ids;
  std::unordered_map<std::uint64_t, std::uint32_t> counts;  // of the current document, by word
  std::vector<std::uint64_t> order;                           // its words in first-seen order
  while (const auto line = reader.next()) {
    counts.clear();
    order.clear();
    std::size_t i = 0;
    const std::string_view text = *line;
    for (;;) {
      while (i < text.size() && blank(text[i])) ++i;
      if (i == text.size()) break;
      std::size_t stop = i;
      while (stop < text.size() && !blank(text[stop])) ++stop;
      const auto [it, added] = ids.try_emplace(std::string(text.substr(i, stop - i)), c.words.size());
      if (added) c.words.emplace_back(text.substr(i, stop - i));
      if (counts[it->second]++ == 0) order.push_back(it->second);
      i = stop;
    }
    for (std::uint64_t w : order) c.entries.push_back({c.documents, w, counts[w]});
    ++c.documents;
  }
  c.vocabulary = c.words.size();
  return c;
}

void check_entry_total(const std::filesystem::path& file, std::uint64_t declared, std::uint64_t found) {
  if (declared != found)
    throw input_error(file, 3, "the header declares " + std::to_string(declared) + " entries; the file has " +
                                   std::to_string(found));
}

}  // namespace

std::uint64_t corpus::tokens() const noexcept {
  std::uint64_t n = 0;
  for (const auto& e : entries) n += e.count;
  return n;
}

corpus_format guess_corpus_format(const std::filesystem::path& file) {
  if (file.filename().string().starts_with("docword.")) return corpus_format::uci;
  io::line_reader reader(file);
  const auto first = reader.next();
  if (!first) return corpus_format::text;
  const fields f = split(*first);
  return f.count == 1 && io::detail::is_number(f.at[0]) ? corpus_format::uci : corpus_format::text;
}

corpus read_corpus(const std::filesystem::path& file, corpus_format format, const std::optional<std::filesystem::path>& vocab) {
  if (format == corpus_format::text) {
    if (vocab) throw usage_error("a vocabulary file goes with a UCI corpus; a text corpus makes its own");
    return read_text(file);
  }
  const uci_header h = read_uci_header(file);
  corpus c;
  c.documents = h.documents;
  c.vocabulary = h.vocabulary;
  c.entries = read_uci_entries(file, h, {});
  check_entry_total(file, h.entries, c.entries.size());
  if (vocab) c.words = read_vocabulary(*vocab, h.vocabulary);
  return c;
}

corpus read_rank_corpus(communicator& ranks, const std::filesystem::path& file, corpus_format format,
                        const std::optional<std::filesystem::path>& vocab) {
  if (ranks.size() == 1) return read_corpus(file, format, vocab);
  corpus c;
  std::optional<uci_header> header;
  run_collectively(ranks, [&] {
    if (format == corpus_format::text) {
      if (ranks.rank() == 0) c = read_corpus(file, format, vocab);
      return;
    }
    header = read_uci_header(file);
    c.documents = header->documents;
    c.vocabulary = header->vocabulary;
    if (vocab) c.words = read_vocabulary(*vocab, header->vocabulary);
    if (const auto share = rank_share_of_file(ranks, file)) c.entries = read_uci_entries(file, *header, *share);
  });
  // Every rank learns the sizes rank 0 read from a text file.
  c.documents = ranks.all_reduce_max(c.documents);
  c.vocabulary = ranks.all_reduce_max(c.vocabulary);
  if (header) {
    const std::uint64_t found = ranks.all_reduce_sum<std::uint64_t>(c.entries.size());
    run_collectively(ranks, [&] {
      if (ranks.rank() == 0) check_entry_total(file, header->entries, found);
    });
  }
  return c;
}

}  // namespace gasworks::lda
