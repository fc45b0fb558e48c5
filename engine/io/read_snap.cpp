// SNAP and TSV edge lists: "source target [weight]", blank separated.
#include "engine/io/read_edge_list.hpp"

namespace gasworks::io::detail {

edge_list read_snap(const std::filesystem::path& file, byte_range range) {
  line_reader reader(file, range);
  edge_list graph;
  reserve_for_lines(graph, reader, range);
  std::size_t columns = 0;
  while (const auto line = reader.next()) {
    if (is_blank_or_comment(*line, '#')) continue;
    edge_row row;
    blank_separated_fields fields(*line);
    while (const auto field = fields.next()) row.add(*field);
    append_edge_row(row, columns, reader, graph);
  }
  return graph;
}

}  // namespace gasworks::io::detail
