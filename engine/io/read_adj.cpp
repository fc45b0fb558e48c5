// Adjacency lists: "id n t1 .. tn", one line per vertex.
#include <string>

#include "engine/io/read_edge_list.hpp"

namespace gasworks::io::detail {

namespace {

std::string target_ids(std::uint64_t count) {
  return std::to_string(count) + (count == 1 ? " target id" : " target ids");
}

}  // namespace

edge_list read_adj(const std::filesystem::path& file, byte_range range) {
  line_reader reader(file, range);
  edge_list graph;
  while (const auto line = reader.next()) {
    if (is_blank_or_comment(*line, '#')) continue;
    blank_separated_fields fields(*line);
    const vertex_id source = parse_vertex_id(*fields.next(), reader);  // the line is not blank
    const auto count_field = fields.next();
    if (!count_field) throw reader.error("expected a target count after the vertex id, found the end of the line");
    const std::uint64_t expected = parse_count(*count_field, "target count", reader);

    graph.vertices.push_back(source);
    std::uint64_t found = 0;
    while (const auto target = fields.next()) {
      ++found;
      if (found > expected) {
        while (fields.next()) ++found;
        break;
      }
      graph.edges.emplace_back(source, parse_vertex_id(*target, reader));
    }
    if (found != expected) {
      throw reader.error("expected " + target_ids(expected) + " after the count, found " + std::to_string(found));
    }
  }
  return graph;
}

}  // namespace gasworks::io::detail
