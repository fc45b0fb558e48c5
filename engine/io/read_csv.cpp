// CSV edge lists: "source,target[,weight]", with an optional header line.
#include <algorithm>

#include "engine/io/read_edge_list.hpp"

namespace gasworks::io::detail {

namespace {

edge_row split_at_commas(std::string_view line) {
  edge_row row;
  for (;;) {
    const std::size_t comma = line.find(',');
    row.add(trim_blanks(line.substr(0, comma)));
    if (comma == std::string_view::npos) return row;
    line.remove_prefix(comma + 1);
  }
}

// "source,target,weight": names where numbers would be. A row with some
// numeric fields is data (and is reported if malformed).
bool is_header(const edge_row& row) {
  const std::size_t kept = std::min(row.field_count, row.fields.size());
  return std::all_of(row.fields.begin(), row.fields.begin() + static_cast<std::ptrdiff_t>(kept),
                     [](std::string_view field) { return !field.empty() && !is_number(field); });
}

}  // namespace

edge_list read_csv(const std::filesystem::path& file, byte_range range) {
  line_reader reader(file, range);
  edge_list graph;
  reserve_for_lines(graph, reader, range);
  std::size_t columns = 0;
  // Only the file's first data line can be a header; a later range starts
  // in the middle of the data.
  bool header_possible = range.begin == 0;
  while (const auto line = reader.next()) {
    if (is_blank_or_comment(*line, '#')) continue;
    const edge_row row = split_at_commas(*line);
    if (header_possible) {
      header_possible = false;
      if (is_header(row)) continue;
    }
    append_edge_row(row, columns, reader, graph);
  }
  return graph;
}

}  // namespace gasworks::io::detail
