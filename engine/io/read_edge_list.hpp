#pragma once
// Reads a graph file into an edge_list, with one strict reader per format.
//
// A malformed line is an input_error naming the file, the line and what was
// expected there ("expected a non-negative integer vertex id, got 'x'").
// Vertex ids are non-negative integers that fit 64 bits, weights finite
// numbers; both are parsed with std::from_chars, so "+1", "1.0" or "0x10"
// are not ids.
//
//   snap, tsv  "source target [weight]" separated by spaces or tabs; blank
//              lines and lines whose first non-blank character is '#' are
//              skipped; every data line has the column count of the first.
//   csv        the same, separated by commas (blanks around fields allowed);
//              a first data line whose fields are all non-numeric is a header.
//   adj        "id n t1 .. tn": n targets follow; "id 0" declares an isolated
//              vertex; every line's id is a declared vertex; no weights.
//   mtx        Matrix Market "coordinate" matrices, pattern/real/integer/double,
//              general or symmetric (which adds (j, i) for every off-diagonal
//              (i, j)); ids stay 1-based; vertices 1..max(rows, cols) are
//              declared; exactly the announced number of entries.
//
// Gzip-compressed files are read transparently (see line_reader).
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "engine/io/edge_list.hpp"
#include "engine/io/graph_format.hpp"
#include "engine/io/line_reader.hpp"

namespace gasworks::io {

// Reads the whole file. A file without any edge or declared vertex is an
// input_error ("empty graph").
edge_list read_edge_list(const std::filesystem::path& file, graph_format format);

// Reads only the lines that start in `range` of an uncompressed file, so that
// ranks can share a file (a line belongs to the range holding its first
// byte). A range starting at byte 0 and reaching the end of the file reads
// exactly like the whole file. Otherwise each range is parsed on its own:
//  - a range without edges is not an error;
//  - snap/tsv/csv: the column count is checked within the range only, and a
//    csv header is recognised only in the range that starts at byte 0;
//  - mtx: every range reads the banner and size line from the file's start;
//    only the range holding byte 0 declares the vertices; the number of
//    entries is left to the caller, who sums entries_read over the ranges
//    and compares it with announced_entries.
// Errors name the line by its number in the whole file, whatever the range.
edge_list read_edge_list(const std::filesystem::path& file, graph_format format, byte_range range);

// The per-format readers behind read_edge_list and the parsing they share.
namespace detail {

edge_list read_snap(const std::filesystem::path& file, byte_range range);  // snap and tsv
edge_list read_csv(const std::filesystem::path& file, byte_range range);
edge_list read_adj(const std::filesystem::path& file, byte_range range);
edge_list read_mtx(const std::filesystem::path& file, byte_range range);

// Spaces and tabs separate fields and may surround them.
constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }
std::string_view trim_blanks(std::string_view text) noexcept;
// True for an empty or all-blank line, and for one whose first non-blank
// character is `comment_mark`.
bool is_blank_or_comment(std::string_view line, char comment_mark) noexcept;

// Hands out the blank-separated fields of a line, left to right.
class blank_separated_fields {
 public:
  explicit blank_separated_fields(std::string_view line) noexcept : rest_(line) {}
  std::optional<std::string_view> next() noexcept;

 private:
  std::string_view rest_;
};

// A token as shown in error messages: quoted, and shortened when long.
std::string quoted(std::string_view token);

// Parsers that throw reader.error("expected ..., got '<token>'").
vertex_id parse_vertex_id(std::string_view token, const line_reader& reader);
double parse_weight(std::string_view token, const line_reader& reader);
// A non-negative integer; `what` names it in the error ("target count").
std::uint64_t parse_count(std::string_view token, std::string_view what, const line_reader& reader);
// True when the whole token is a number std::from_chars accepts.
bool is_number(std::string_view token) noexcept;

// Fields of one "source target [weight]" row; counts fields beyond three
// without keeping them.
struct edge_row {
  std::array<std::string_view, 3> fields;
  std::size_t field_count = 0;

  void add(std::string_view field) noexcept {
    if (field_count < 3) fields[field_count] = field;
    ++field_count;
  }
};

// Reserves room in `graph` for the edges of an uncompressed file's range,
// one per 8 bytes: edge-list lines hold 4 bytes or more, most 8 to 20, and
// capacity never touched costs address space, not memory, where a vector
// grown by doubling copies its edges again and again.
void reserve_for_lines(edge_list& graph, const line_reader& reader, byte_range range);

// Appends a row to `graph` after checking that it has the column count of the
// first row (`columns`, 0 until the first row sets it to 2 or 3).
void append_edge_row(const edge_row& row, std::size_t& columns, const line_reader& reader, edge_list& graph);

}  // namespace detail
}  // namespace gasworks::io
