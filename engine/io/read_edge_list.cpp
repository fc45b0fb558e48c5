#include "engine/io/read_edge_list.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <new>
#include <system_error>

#include "engine/core/error.hpp"

namespace gasworks::io {

edge_list read_edge_list(const std::filesystem::path& file, graph_format format) {
  return read_edge_list(file, format, byte_range{});
}

edge_list read_edge_list(const std::filesystem::path& file, graph_format format, byte_range range) {
  // A range covering the whole file is the whole file, so a single rank gets
  // the whole-file checks (and may read gzip data).
  if (range.begin == 0 && !range.is_whole_file()) {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(file, error);
    if (!error && range.end >= size) range = byte_range{};
  }

  edge_list graph;
  switch (format) {
    case graph_format::snap:
    case graph_format::tsv:
      graph = detail::read_snap(file, range);
      break;
    case graph_format::csv:
      graph = detail::read_csv(file, range);
      break;
    case graph_format::adj:
      graph = detail::read_adj(file, range);
      break;
    case graph_format::mtx:
      graph = detail::read_mtx(file, range);
      break;
  }
  graph.source = file;
  if (range.is_whole_file() && graph.edges.empty() && !graph.declares_vertices()) {
    throw input_error(file, 0, "empty graph: no edges or vertices found");
  }
  return graph;
}

namespace detail {

std::string_view trim_blanks(std::string_view text) noexcept {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

bool is_blank_or_comment(std::string_view line, char comment_mark) noexcept {
  const std::string_view content = trim_blanks(line);
  return content.empty() || content.front() == comment_mark;
}

std::optional<std::string_view> blank_separated_fields::next() noexcept {
  std::size_t start = 0;
  while (start < rest_.size() && is_blank(rest_[start])) ++start;
  if (start == rest_.size()) return std::nullopt;
  std::size_t stop = start;
  while (stop < rest_.size() && !is_blank(rest_[stop])) ++stop;
  const std::string_view field = rest_.substr(start, stop - start);
  rest_.remove_prefix(stop);
  return field;
}

std::string quoted(std::string_view token) {
  // A whole line of garbage would drown the message.
  constexpr std::size_t longest_shown = 40;
  std::string text(1, '\'');
  text += token.substr(0, longest_shown);
  if (token.size() > longest_shown) text += "...";
  text += '\'';
  return text;
}

namespace {

// Parses the whole token as an unsigned integer, or nothing.
std::optional<std::uint64_t> to_unsigned(std::string_view token) noexcept {
  std::uint64_t value = 0;
  const char* const last = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), last, value);
  if (error != std::errc{} || stop != last || token.empty()) return std::nullopt;
  return value;
}

}  // namespace

vertex_id parse_vertex_id(std::string_view token, const line_reader& reader) {
  if (const auto value = to_unsigned(token)) return *value;
  throw reader.error("expected a non-negative integer vertex id, got " + quoted(token));
}

std::uint64_t parse_count(std::string_view token, std::string_view what, const line_reader& reader) {
  if (const auto value = to_unsigned(token)) return *value;
  throw reader.error("expected a non-negative integer " + std::string(what) + ", got " + quoted(token));
}

double parse_weight(std::string_view token, const line_reader& reader) {
  double value = 0;
  const char* const last = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), last, value);
  if (error != std::errc{} || stop != last || token.empty() || !std::isfinite(value)) {
    throw reader.error("expected a finite number as weight, got " + quoted(token));
  }
  return value;
}

bool is_number(std::string_view token) noexcept {
  double value = 0;
  const char* const last = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), last, value);
  return !token.empty() && stop == last && error != std::errc::invalid_argument;
}

void reserve_for_lines(edge_list& graph, const line_reader& reader, byte_range range) {
  if (reader.compressed()) return;
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(reader.file(), error);
  if (error || range.begin >= size) return;
  try {
    graph.edges.reserve(static_cast<std::size_t>((std::min<std::uint64_t>(range.end, size) - range.begin) / 8 + 1));
  } catch (const std::bad_alloc&) {
    // An estimate, not a need: the vector grows as usual.
  }
}

void append_edge_row(const edge_row& row, std::size_t& columns, const line_reader& reader, edge_list& graph) {
  if (columns == 0) {
    if (row.field_count != 2 && row.field_count != 3) {
      throw reader.error("expected 2 or 3 columns (source target [weight]), got " + std::to_string(row.field_count));
    }
    columns = row.field_count;
  } else if (row.field_count != columns) {
    throw reader.error("expected " + std::to_string(columns) + " columns like the first data line, got " +
                       std::to_string(row.field_count));
  }
  // Parsed left to right, so the first bad field is the one reported.
  const vertex_id source = parse_vertex_id(row.fields[0], reader);
  const vertex_id target = parse_vertex_id(row.fields[1], reader);
  if (columns == 3) graph.weights.push_back(parse_weight(row.fields[2], reader));
  graph.edges.emplace_back(source, target);
}

}  // namespace detail
}  // namespace gasworks::io
