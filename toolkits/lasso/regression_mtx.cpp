// Matrix Market regression data: a coordinate design matrix (a row per
// sample, a column per feature) and a target vector in a second file.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.hpp"
#include "engine/io/line_reader.hpp"
#include "toolkits/lasso/regression_file.hpp"
#include "toolkits/lasso/regression_file_detail.hpp"

namespace gasworks::lasso {

namespace {

using detail::next_field;
using detail::same_keyword;

enum class value_kind { real, integer, pattern };

// The banner's blank-separated words: object, format, field, symmetry.
struct banner {
  std::string_view object, format, field, symmetry;
};

// Splits the banner `line` (nullopt: the file is empty), or throws naming
// the form expected. The words view the line, so they last until the next.
banner parse_banner(std::optional<std::string_view> line, const io::line_reader& in, std::string_view form) {
  if (!line) throw input_error(in.file(), 0, "the file is empty: expected the banner " + std::string(form));
  std::string_view rest = *line;
  const std::string_view marker = next_field(rest);
  // A braced list is evaluated left to right: object, format, field, symmetry.
  const banner b{next_field(rest), next_field(rest), next_field(rest), next_field(rest)};
  if (!same_keyword(marker, "%%MatrixMarket") || b.symmetry.empty() || !next_field(rest).empty())
    throw in.error("expected the banner " + std::string(form) + ", got '" + std::string(*line) + "'");
  return b;
}

// The size line after the banner and its '%' comments, split into fields.
std::vector<std::string_view> read_size_line(io::line_reader& in, std::string_view form) {
  for (;;) {
    const auto line = in.next();
    if (!line) throw in.error("expected the size line " + std::string(form) + ", the file ended");
    if (detail::is_blank(*line) || line->front() == '%') continue;
    std::vector<std::string_view> fields;
    std::string_view rest = *line;
    for (std::string_view field = next_field(rest); !field.empty(); field = next_field(rest)) fields.push_back(field);
    return fields;
  }
}

std::uint64_t parse_count(std::string_view text, std::string_view what, std::uint64_t bound, const io::line_reader& in) {
  std::uint64_t n = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (status != std::errc{} || end != text.data() + text.size() || n > bound)
    throw in.error("expected " + std::string(what) + " between 0 and " + std::to_string(bound) + ", got '" +
                   std::string(text) + "'");
  return n;
}

// A 1-based index in [1, bound], returned 0-based.
std::uint64_t parse_index(std::string_view text, std::string_view what, std::uint64_t bound, const io::line_reader& in) {
  std::uint64_t i = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (status != std::errc{} || end != text.data() + text.size() || i < 1 || i > bound)
    throw in.error("expected a " + std::string(what) + " index between 1 and " + std::to_string(bound) + ", got '" +
                   std::string(text) + "'");
  return i - 1;
}

double parse_value(std::string_view text, value_kind kind, const io::line_reader& in) {
  if (kind == value_kind::integer) {
    std::int64_t n = 0;
    const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (status != std::errc{} || end != text.data() + text.size())
      throw in.error("expected an integer value, got '" + std::string(text) + "'");
    return static_cast<double>(n);
  }
  double x = 0;
  if (!detail::parse_finite(text, x)) throw in.error("expected a finite number, got '" + std::string(text) + "'");
  return x;
}

value_kind parse_value_kind(std::string_view field, bool pattern_allowed, const io::line_reader& in) {
  if (same_keyword(field, "real") || same_keyword(field, "double")) return value_kind::real;
  if (same_keyword(field, "integer")) return value_kind::integer;
  if (pattern_allowed && same_keyword(field, "pattern")) return value_kind::pattern;
  throw in.error("unsupported Matrix Market field '" + std::string(field) + "': expected 'real', 'integer'" +
                 (pattern_allowed ? ", 'double' or 'pattern'" : " or 'double'"));
}

std::string entries_text(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " entry" : " entries"); }

// The design matrix's entries, each with its line for the duplicate check.
struct located_entry {
  std::uint64_t feature, sample, line;
  double value;
};

struct design_matrix {
  std::uint64_t rows = 0, columns = 0;
  std::vector<located_entry> entries;  // sorted by feature, then sample
};

design_matrix read_design(const std::filesystem::path& file) {
  constexpr std::string_view banner_form = "'%%MatrixMarket matrix coordinate real|integer|pattern general'";
  io::line_reader in(file);
  const banner words = parse_banner(in.next(), in, banner_form);
  if (!same_keyword(words.object, "matrix") || !same_keyword(words.format, "coordinate"))
    throw in.error("expected a 'matrix coordinate' design, got '" + std::string(words.object) + " " +
                   std::string(words.format) + "'");
  const value_kind kind = parse_value_kind(words.field, true, in);
  if (!same_keyword(words.symmetry, "general"))
    throw in.error("expected a 'general' design matrix (rows are samples, columns features), got '" +
                   std::string(words.symmetry) + "'");

  const auto size = read_size_line(in, "'rows columns entries'");
  if (size.size() != 3)
    throw in.error("expected the size line 'rows columns entries', got " + std::to_string(size.size()) + " fields");
  design_matrix m;
  m.rows = parse_count(size[0], "a row count", detail::max_samples, in);
  m.columns = parse_count(size[1], "a column count", detail::max_features, in);
  const std::uint64_t declared = parse_count(size[2], "an entry count", std::numeric_limits<std::uint64_t>::max(), in);
  if (m.rows == 0) throw in.error("no samples: the design matrix has no rows");
  // declared <= rows * columns, without forming the product.
  if (declared > 0 && (m.columns == 0 || (declared - 1) / m.columns >= m.rows))
    throw in.error(entries_text(declared) + " cannot fit a " + std::to_string(m.rows) + " x " + std::to_string(m.columns) +
                   " matrix");
  const std::uint64_t size_line = in.line_number();

  m.entries.reserve(std::min(declared, detail::max_reserve));
  const std::size_t fields_per_entry = kind == value_kind::pattern ? 2 : 3;
  while (const auto line = in.next()) {
    if (detail::is_blank(*line) || line->front() == '%') continue;
    if (m.entries.size() == declared)
      throw in.error("more entries than the " + std::to_string(declared) + " the size line declares");
    std::string_view rest = *line;
    std::string_view fields[3];
    std::size_t count = 0;
    for (std::string_view field = next_field(rest); !field.empty(); field = next_field(rest), ++count)
      if (count < 3) fields[count] = field;
    if (count != fields_per_entry)
      throw in.error("expected " + std::string(kind == value_kind::pattern ? "'row column'" : "'row column value'") + ", got " +
                     std::to_string(count) + " fields");
    const std::uint64_t sample = parse_index(fields[0], "row", m.rows, in);
    const std::uint64_t feature = parse_index(fields[1], "column", m.columns, in);
    const double value = kind == value_kind::pattern ? 1.0 : parse_value(fields[2], kind, in);
    m.entries.push_back({feature, sample, in.line_number(), value});
  }
  if (m.entries.size() < declared)
    throw input_error(file, size_line, "the size line declares " + entries_text(declared) + ", the file holds " +
                                           std::to_string(m.entries.size()));

  // Into columns; an entry given twice is caught beside its first copy.
  std::sort(m.entries.begin(), m.entries.end(), [](const located_entry& a, const located_entry& b) {
    if (a.feature != b.feature) return a.feature < b.feature;
    return a.sample != b.sample ? a.sample < b.sample : a.line < b.line;
  });
  const auto twice = std::adjacent_find(m.entries.begin(), m.entries.end(), [](const located_entry& a, const located_entry& b) {
    return a.feature == b.feature && a.sample == b.sample;
  });
  if (twice != m.entries.end())
    throw input_error(file, twice[1].line,
                      "entry (" + std::to_string(twice->sample + 1) + ", " + std::to_string(twice->feature + 1) +
                          ") again: line " + std::to_string(twice->line) + " gave it already");
  return m;
}

// The target: one value per row of the design `matrix`, from a Matrix Market
// array or from plain text with one number per line.
std::vector<double> read_target(const std::filesystem::path& file, std::uint64_t rows, const std::filesystem::path& matrix) {
  const std::string rows_text = std::to_string(rows) + " rows of the design matrix " + matrix.string();
  io::line_reader in(file);
  std::vector<double> target;
  target.reserve(std::min(rows, detail::max_reserve));
  std::optional<std::string_view> line = in.next();
  if (line && same_keyword(line->substr(0, 14), "%%MatrixMarket")) {
    constexpr std::string_view banner_form = "'%%MatrixMarket matrix array real|integer general'";
    const banner words = parse_banner(line, in, banner_form);
    if (!same_keyword(words.object, "matrix") || !same_keyword(words.format, "array") || !same_keyword(words.symmetry, "general"))
      throw in.error("expected the banner " + std::string(banner_form) + ", got '" + std::string(*line) + "'");
    const value_kind kind = parse_value_kind(words.field, false, in);
    const auto size = read_size_line(in, "'rows 1'");
    if (size.size() != 2 || size[1] != "1") throw in.error("expected the size line 'rows 1' of a target vector");
    const std::uint64_t declared = parse_count(size[0], "a row count", detail::max_samples, in);
    if (declared != rows) throw in.error("the target declares " + std::to_string(declared) + " values for the " + rows_text);
    while ((line = in.next())) {
      if (detail::is_blank(*line) || line->front() == '%') continue;
      std::string_view rest = *line;
      const std::string_view value = next_field(rest);
      if (!next_field(rest).empty()) throw in.error("expected one value per line");
      if (target.size() == rows) throw in.error("more values than the " + std::to_string(rows) + " the size line declares");
      target.push_back(parse_value(value, kind, in));
    }
  } else {
    for (; line; line = in.next()) {
      if (detail::is_blank(*line)) continue;
      std::string_view rest = *line;
      const std::string_view value = next_field(rest);
      if (!next_field(rest).empty()) throw in.error("expected one number per line");
      if (target.size() == rows) throw in.error("more target values than the " + rows_text);
      target.push_back(parse_value(value, value_kind::real, in));
    }
  }
  if (target.size() != rows)
    throw input_error(file, 0, std::to_string(target.size()) + " target values for the " + rows_text);
  return target;
}

}  // namespace

regression_data read_mtx_design(const std::filesystem::path& matrix, const std::filesystem::path& target) {
  const design_matrix m = read_design(matrix);
  regression_data d;
  d.target = read_target(target, m.rows, matrix);
  d.samples = m.rows;
  d.declared_features = m.columns;
  detail::store_columns(m.entries, d);
  return d;
}

}  // namespace gasworks::lasso
