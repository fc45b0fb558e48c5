#include "toolkits/cf/ratings_file.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "engine/io/file_share.hpp"
#include "engine/io/read_edge_list.hpp"

namespace gasworks::cf {

namespace {

using io::detail::is_number;
using io::detail::quoted;

// Fields separated by any run of tabs, spaces and commas; the first five
// are kept, the rest only counted.
struct rating_row {
  std::array<std::string_view, 5> fields;
  std::size_t count = 0;
};

rating_row split_fields(std::string_view line) {
  rating_row row;
  auto separator = [](char c) { return c == ' ' || c == '\t' || c == ','; };
  std::size_t at = 0;
  for (;;) {
    while (at < line.size() && separator(line[at])) ++at;
    if (at == line.size()) return row;
    std::size_t stop = at;
    while (stop < line.size() && !separator(line[stop])) ++stop;
    if (row.count < row.fields.size()) row.fields[row.count] = line.substr(at, stop - at);
    ++row.count;
    at = stop;
  }
}

// "userId,movieId,rating,timestamp": names only, no number.
bool is_header(const rating_row& row) {
  const std::size_t kept = std::min(row.count, row.fields.size());
  return row.count > 0 && std::none_of(row.fields.begin(), row.fields.begin() + static_cast<std::ptrdiff_t>(kept), is_number);
}

std::uint64_t parse_id(std::string_view token, std::string_view side, const io::line_reader& reader) {
  std::uint64_t id = 0;
  const char* const last = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), last, id);
  if (error != std::errc{} || stop != last || id > max_id)
    throw reader.error("expected a non-negative integer " + std::string(side) + " id below 2^63, got " + quoted(token));
  return id;
}

double parse_value(std::string_view token, const io::line_reader& reader) {
  double value = 0;
  const char* const last = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), last, value);
  if (error != std::errc{} || stop != last || !std::isfinite(value))
    throw reader.error("expected a numeric rating, got " + quoted(token));
  return value;
}

std::string expected_columns(rating_columns columns) {
  return columns == rating_columns::with_value ? "'user item rating [timestamp]'" : "'user item ...'";
}

bool starts_with_matrix_market_banner(const std::filesystem::path& file) {
  io::line_reader reader(file);
  const auto first = reader.next();
  return first && first->starts_with("%%MatrixMarket");
}

ratings_read read_matrix_market(const std::filesystem::path& file, rating_columns columns) {
  const io::edge_list entries = io::read_edge_list(file, io::graph_format::mtx);
  ratings_read out;
  if (columns == rating_columns::with_value && !entries.weighted())
    throw input_error(file, 1, "a ratings matrix needs values: expected field 'real' or 'integer', got 'pattern'");
  out.ratings.resize(entries.edges.size());
  for (std::size_t i = 0; i < entries.edges.size(); ++i) {
    const auto [row, column] = entries.edges[i];
    if (row > max_id || column > max_id) throw input_error(file, 0, "row or column index above 2^63");
    out.ratings[i] = {row, column, entries.weighted() ? entries.weights[i] : 0.0};
  }
  return out;  // entries are not tied to lines once symmetric files add mirrored ones
}

}  // namespace

ratings_read read_ratings(const std::filesystem::path& file, rating_columns columns, io::byte_range range) {
  if (range.begin == 0 && starts_with_matrix_market_banner(file)) return read_matrix_market(file, columns);
  io::line_reader reader(file, range);
  ratings_read out;
  // Only the file's first data line can be a header.
  bool header_possible = range.begin == 0;
  const std::size_t needed = columns == rating_columns::with_value ? 3 : 2;
  while (const auto line = reader.next()) {
    if (io::detail::is_blank_or_comment(*line, '#')) continue;
    const rating_row row = split_fields(*line);
    if (row.count == 0) continue;  // separators only
    if (header_possible) {
      header_possible = false;
      if (is_header(row)) continue;
    }
    if (row.count < needed)
      throw reader.error("expected " + expected_columns(columns) + ", got " + std::to_string(row.count) +
                         (row.count == 1 ? " column" : " columns"));
    if (columns == rating_columns::with_value && row.count > 4)
      throw reader.error("expected " + expected_columns(columns) + ", got " + std::to_string(row.count) + " columns");
    rating r;
    r.user = parse_id(row.fields[0], "user", reader);
    r.item = parse_id(row.fields[1], "item", reader);
    if (columns == rating_columns::with_value) r.value = parse_value(row.fields[2], reader);
    out.ratings.push_back(r);
    out.lines.push_back(reader.line_number());
  }
  return out;
}

ratings_read read_rank_ratings(communicator& ranks, const std::filesystem::path& file, rating_columns columns) {
  // Matrix Market entries are read whole at rank 0, like gzip data.
  if (ranks.size() > 1 && starts_with_matrix_market_banner(file))
    return ranks.rank() == 0 ? read_ratings(file, columns) : ratings_read{};
  const auto share = rank_share_of_file(ranks, file);
  return share ? read_ratings(file, columns, *share) : ratings_read{};
}

}  // namespace gasworks::cf
