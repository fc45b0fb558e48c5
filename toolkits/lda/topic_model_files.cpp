#include "toolkits/lda/topic_model_files.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string_view>

#include "engine/core/error.hpp"
#include "engine/io/atomic_output_file.hpp"
#include "engine/io/line_reader.hpp"
#include "engine/io/write_number.hpp"

namespace gasworks::lda {

namespace {

using io::write_number;

constexpr std::string_view model_magic = "gasworks-lda-model";
constexpr int model_version = 1;

void write_counts(std::ostream& out, const topic_counts& c) {
  topic_counts sorted = c;
  sorted.sort_by_topic();
  for (const auto& e : sorted.entries()) out << ' ' << e.topic << ':' << e.count;
}

}  // namespace

void write_topics(const std::filesystem::path& path, const gathered_counts& counts, std::span<const std::int64_t> totals,
                  const hyperparameters& h, const std::vector<std::string>& vocabulary, std::uint32_t top_words) {
  // Each topic's largest word counts, kept as (count, word) per topic.
  std::vector<std::vector<std::pair<std::int32_t, std::uint64_t>>> best(h.topics);
  for (const auto& [id, c] : counts) {
    if (is_document(id)) continue;
    for (const auto& e : c.entries()) best[e.topic].emplace_back(e.count, index_of(id));
  }
  std::int64_t tokens = 0;
  for (auto n : totals) tokens += n;
  const double w_beta = static_cast<double>(h.vocabulary) * h.beta;
  io::atomic_output_file file(path);
  auto& out = file.stream();
  for (std::uint32_t k = 0; k < h.topics; ++k) {
    auto& words = best[k];
    const std::size_t shown = std::min<std::size_t>(top_words, words.size());
    std::partial_sort(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(shown), words.end(),
                      [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
    char share[32];
    std::snprintf(share, sizeof share, "%.2f%%", tokens > 0 ? 100.0 * static_cast<double>(totals[k]) / static_cast<double>(tokens) : 0.0);
    out << "topic " << k << " (" << share << " of tokens):";
    for (std::size_t i = 0; i < shown; ++i) {
      const auto [n, w] = words[i];
      out << ' ' << (w < vocabulary.size() ? vocabulary[w] : std::to_string(w + 1)) << ' ';
      char probability[32];
      std::snprintf(probability, sizeof probability, "%.4f", (n + h.beta) / (static_cast<double>(totals[k]) + w_beta));
      out << probability;
    }
    out << '\n';
  }
  file.commit();
}

void write_word_topics(const std::filesystem::path& path, const gathered_counts& counts) {
  io::atomic_output_file file(path);
  auto& out = file.stream();
  for (const auto& [id, c] : counts) {
    if (is_document(id) || c.empty()) continue;
    out << index_of(id) + 1;
    write_counts(out, c);
    out << '\n';
  }
  file.commit();
}

void write_doc_topics(const std::filesystem::path& path, const gathered_counts& counts, std::uint64_t documents) {
  io::atomic_output_file file(path);
  auto& out = file.stream();
  auto it = counts.begin();
  for (std::uint64_t d = 0; d < documents; ++d) {
    // Documents without tokens are not vertices; they still get a line.
    while (it != counts.end() && it->id < document_vertex(d)) ++it;
    out << d + 1;
    if (it != counts.end() && it->id == document_vertex(d)) write_counts(out, it->value);
    out << '\n';
  }
  file.commit();
}

void write_vocabulary(const std::filesystem::path& path, const std::vector<std::string>& vocabulary) {
  io::atomic_output_file file(path);
  for (const auto& w : vocabulary) file.stream() << w << '\n';
  file.commit();
}

topic_model model_from(const gathered_counts& counts, std::span<const std::int64_t> totals, const hyperparameters& h,
                       const std::vector<std::string>& vocabulary) {
  topic_model m;
  m.model = h;
  m.totals.assign(totals.begin(), totals.end());
  m.words.resize(h.vocabulary);
  for (const auto& [id, c] : counts)
    if (!is_document(id) && index_of(id) < m.words.size()) m.words[index_of(id)] = c;
  m.vocabulary = vocabulary;
  return m;
}

void save_model(const std::filesystem::path& path, const topic_model& m) {
  io::atomic_output_file file(path);
  auto& out = file.stream();
  out << model_magic << ' ' << model_version << '\n';
  out << "topics " << m.model.topics << '\n';
  out << "alpha ";
  write_number(out, m.model.alpha);
  out << "\nbeta ";
  write_number(out, m.model.beta);
  out << "\nvocabulary " << m.model.vocabulary << '\n';
  out << "totals";
  for (auto n : m.totals) out << ' ' << n;
  out << '\n';
  for (std::size_t w = 0; w < m.words.size(); ++w) {
    out << "word " << w + 1 << ' ' << (w < m.vocabulary.size() ? m.vocabulary[w] : std::string("-"));
    write_counts(out, m.words[w]);
    out << '\n';
  }
  file.commit();
}

namespace {

std::vector<std::string_view> split_blanks(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t stop = i;
    while (stop < line.size() && line[stop] != ' ' && line[stop] != '\t' && line[stop] != '\r') ++stop;
    if (stop > i) out.push_back(line.substr(i, stop - i));
    i = stop;
  }
  return out;
}

template <class T>
T number(std::string_view token, const io::line_reader& reader, std::string_view what) {
  T value{};
  const char* last = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), last, value);
  if (error != std::errc{} || stop != last) throw reader.error("expected " + std::string(what) + ", got '" + std::string(token) + "'");
  return value;
}

// The next line, split, whose first field must be `key`.
std::vector<std::string_view> keyed_line(io::line_reader& reader, std::string_view key) {
  const auto line = reader.next();
  if (!line) throw input_error(reader.file(), reader.line_number() + 1, "expected '" + std::string(key) + " ...', got the end of the file");
  auto fields = split_blanks(*line);
  if (fields.empty() || fields[0] != key) throw reader.error("expected '" + std::string(key) + " ...'");
  return fields;
}

}  // namespace

topic_model load_model(const std::filesystem::path& path) {
  io::line_reader reader(path);
  topic_model m;
  const auto magic = keyed_line(reader, model_magic);
  if (magic.size() != 2 || number<int>(magic[1], reader, "a version") != model_version)
    throw reader.error("expected an LDA model of version " + std::to_string(model_version));
  auto fields = keyed_line(reader, "topics");
  if (fields.size() != 2) throw reader.error("expected 'topics K'");
  m.model.topics = number<std::uint32_t>(fields[1], reader, "the number of topics");
  if (m.model.topics < 1 || m.model.topics > max_topics) throw reader.error("the number of topics must be in [1, 65535]");
  fields = keyed_line(reader, "alpha");
  if (fields.size() != 2) throw reader.error("expected 'alpha A'");
  m.model.alpha = number<double>(fields[1], reader, "alpha");
  fields = keyed_line(reader, "beta");
  if (fields.size() != 2) throw reader.error("expected 'beta B'");
  m.model.beta = number<double>(fields[1], reader, "beta");
  if (!(m.model.alpha > 0) || !(m.model.beta > 0)) throw reader.error("alpha and beta must be positive");
  fields = keyed_line(reader, "vocabulary");
  if (fields.size() != 2) throw reader.error("expected 'vocabulary W'");
  m.model.vocabulary = number<std::uint64_t>(fields[1], reader, "the vocabulary size");
  fields = keyed_line(reader, "totals");
  if (fields.size() != m.model.topics + 1) throw reader.error("expected 'totals' and " + std::to_string(m.model.topics) + " counts");
  for (std::size_t k = 1; k < fields.size(); ++k) m.totals.push_back(number<std::int64_t>(fields[k], reader, "a count"));
  std::vector<std::int64_t> summed(m.model.topics, 0);
  for (std::uint64_t w = 0; w < m.model.vocabulary; ++w) {
    fields = keyed_line(reader, "word");
    if (fields.size() < 3 || number<std::uint64_t>(fields[1], reader, "a word id") != w + 1)
      throw reader.error("expected 'word " + std::to_string(w + 1) + " WORD k:count ...'");
    m.vocabulary.emplace_back(fields[2]);
    std::vector<topic_count> counts;
    for (std::size_t i = 3; i < fields.size(); ++i) {
      const auto colon = fields[i].find(':');
      if (colon == std::string_view::npos) throw reader.error("expected 'k:count', got '" + std::string(fields[i]) + "'");
      const auto k = number<std::uint32_t>(fields[i].substr(0, colon), reader, "a topic");
      const auto n = number<std::int32_t>(fields[i].substr(colon + 1), reader, "a count");
      if (k >= m.model.topics || n <= 0 || (!counts.empty() && counts.back().topic >= k))
        throw reader.error("expected ascending topics below " + std::to_string(m.model.topics) + " with positive counts");
      counts.push_back({static_cast<topic_id>(k), n});
      summed[k] += n;
    }
    m.words.emplace_back(std::move(counts));
    m.words.back().sort_by_count();
  }
  if (summed != m.totals) throw input_error(path, 6, "the totals do not equal the sums of the word counts");
  if (std::all_of(m.vocabulary.begin(), m.vocabulary.end(), [](const std::string& w) { return w == "-"; })) m.vocabulary.clear();
  return m;
}

}  // namespace gasworks::lda
