// Matrix Market coordinate files: a banner, '%' comments, "rows cols entries",
// then the entries "i j [value]" with 1-based indices.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "engine/io/read_edge_list.hpp"

namespace gasworks::io::detail {

namespace {

enum class mtx_field { pattern, real, integer };

struct mtx_header {
  mtx_field field = mtx_field::pattern;
  bool symmetric = false;
  std::uint64_t rows = 0;
  std::uint64_t columns = 0;
  std::uint64_t entries = 0;
};

constexpr std::string_view banner_form = "'%%MatrixMarket matrix coordinate <field> <symmetry>'";

// Matrix Market keywords are case-insensitive.
bool same_keyword(std::string_view text, std::string_view keyword) {
  return std::equal(text.begin(), text.end(), keyword.begin(), keyword.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

void parse_banner(std::string_view line, const line_reader& reader, mtx_header& header) {
  blank_separated_fields fields(line);
  const auto marker = fields.next();
  if (!marker || !same_keyword(*marker, "%%MatrixMarket")) {
    throw reader.error("expected the banner " + std::string(banner_form) + ", got " + quoted(line));
  }
  const auto object = fields.next();
  const auto format = fields.next();
  const auto field = fields.next();
  const auto symmetry = fields.next();
  if (!symmetry || fields.next()) {
    throw reader.error("expected the banner " + std::string(banner_form) + ", got " + quoted(line));
  }
  if (!same_keyword(*object, "matrix")) {
    throw reader.error("unsupported Matrix Market object " + quoted(*object) + ": only 'matrix' is supported");
  }
  if (!same_keyword(*format, "coordinate")) {
    throw reader.error("unsupported Matrix Market format " + quoted(*format) + ": only 'coordinate' is supported");
  }
  if (same_keyword(*field, "pattern")) {
    header.field = mtx_field::pattern;
  } else if (same_keyword(*field, "real") || same_keyword(*field, "double")) {
    header.field = mtx_field::real;
  } else if (same_keyword(*field, "integer")) {
    header.field = mtx_field::integer;
  } else {
    throw reader.error("unsupported Matrix Market field " + quoted(*field) +
                       ": expected 'pattern', 'real', 'integer' or 'double'");
  }
  if (same_keyword(*symmetry, "general")) {
    header.symmetric = false;
  } else if (same_keyword(*symmetry, "symmetric")) {
    header.symmetric = true;
  } else {
    throw reader.error("unsupported Matrix Market symmetry " + quoted(*symmetry) +
                       ": expected 'general' or 'symmetric'");
  }
}

// Reads the banner, the comments and the size line; `reader` is left at the
// first entry.
mtx_header read_header(line_reader& reader) {
  mtx_header header;
  const auto banner = reader.next();
  if (!banner) throw input_error(reader.file(), 0, "expected the banner " + std::string(banner_form) + ", the file is empty");
  parse_banner(*banner, reader, header);

  constexpr std::string_view size_form = "'rows columns entries'";
  for (;;) {
    const auto line = reader.next();
    if (!line) throw reader.error("expected the size line " + std::string(size_form) + ", the file ended");
    if (is_blank_or_comment(*line, '%')) continue;
    blank_separated_fields fields(*line);
    const auto rows = fields.next();
    const auto columns = fields.next();
    const auto entries = fields.next();
    if (!entries || fields.next()) {
      throw reader.error("expected the size line " + std::string(size_form) + ", got " + quoted(*line));
    }
    header.rows = parse_count(*rows, "row count", reader);
    header.columns = parse_count(*columns, "column count", reader);
    header.entries = parse_count(*entries, "entry count", reader);
    // Every vertex 1..max(rows, columns) is declared, so the size must fit a shard.
    constexpr std::uint64_t max_vertices = 0xffffffffu;
    if (std::max(header.rows, header.columns) > max_vertices) {
      throw reader.error("expected at most " + std::to_string(max_vertices) + " rows and columns, got " +
                         quoted(*line));
    }
    return header;
  }
}

// A 1-based index within [1, bound]; `what` is "row" or "column".
vertex_id parse_index(std::string_view token, std::uint64_t bound, std::string_view what, const line_reader& reader) {
  std::uint64_t value = 0;
  const char* const last = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), last, value);
  if (error != std::errc{} || stop != last || token.empty() || value < 1 || value > bound) {
    throw reader.error("expected a " + std::string(what) + " index between 1 and " + std::to_string(bound) +
                       ", got " + quoted(token));
  }
  return value;
}

double parse_integer_value(std::string_view token, const line_reader& reader) {
  std::int64_t value = 0;
  const char* const last = token.data() + token.size();
  const auto [stop, error] = std::from_chars(token.data(), last, value);
  if (error != std::errc{} || stop != last || token.empty()) {
    throw reader.error("expected an integer value, got " + quoted(token));
  }
  return static_cast<double>(value);
}

std::string entries_text(std::uint64_t count) {
  return std::to_string(count) + (count == 1 ? " entry" : " entries");
}

}  // namespace

edge_list read_mtx(const std::filesystem::path& file, byte_range range) {
  // Every range needs the header, which only the file's start holds.
  line_reader header_reader(file);
  const mtx_header header = read_header(header_reader);
  if (!range.is_whole_file() && header_reader.compressed()) {
    throw input_error(file, 0, "cannot read a byte range of gzip-compressed data; decompress the file first");
  }

  // A range that begins before the first entry continues where the header
  // ended (keeping true line numbers); a later one reads its own bytes.
  std::optional<line_reader> range_reader;
  if (range.begin > header_reader.next_offset()) range_reader.emplace(file, range);
  line_reader& reader = range_reader ? *range_reader : header_reader;

  const bool whole_file = range.is_whole_file();
  const std::size_t columns = header.field == mtx_field::pattern ? 2 : 3;
  const char* const entry_form = header.field == mtx_field::pattern ? "(row column)" : "(row column value)";
  edge_list graph;
  std::uint64_t entries_read = 0;
  while (const auto line = reader.next()) {
    if (reader.line_offset() >= range.end) break;
    if (is_blank_or_comment(*line, '%')) continue;
    if (whole_file && entries_read == header.entries) {
      throw reader.error("expected " + entries_text(header.entries) + " as the size line declares, found more");
    }
    edge_row row;
    blank_separated_fields fields(*line);
    while (const auto field = fields.next()) row.add(*field);
    if (row.field_count != columns) {
      throw reader.error("expected " + std::to_string(columns) + " columns " + entry_form + ", got " +
                         std::to_string(row.field_count));
    }
    const vertex_id row_index = parse_index(row.fields[0], header.rows, "row", reader);
    const vertex_id column_index = parse_index(row.fields[1], header.columns, "column", reader);
    double value = 0;
    if (header.field == mtx_field::real) value = parse_weight(row.fields[2], reader);
    if (header.field == mtx_field::integer) value = parse_integer_value(row.fields[2], reader);
    ++entries_read;

    graph.edges.emplace_back(row_index, column_index);
    if (header.field != mtx_field::pattern) graph.weights.push_back(value);
    if (header.symmetric && row_index != column_index) {
      graph.edges.emplace_back(column_index, row_index);
      if (header.field != mtx_field::pattern) graph.weights.push_back(value);
    }
  }
  if (whole_file && entries_read < header.entries) {
    throw reader.error("expected " + entries_text(header.entries) + ", the file ended after " +
                       std::to_string(entries_read));
  }

  if (!whole_file) {
    graph.announced_entries = header.entries;
    graph.entries_read = entries_read;
  }
  if (range.begin == 0 && range.end > 0) {  // the range holding byte 0 declares them, once
    graph.declared_through = std::max(header.rows, header.columns);
  }
  return graph;
}

}  // namespace gasworks::io::detail
