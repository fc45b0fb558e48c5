#include "engine/io/write_edge_list.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/error.hpp"

namespace gasworks::io {

namespace {

// Formats into a large buffer and hands it to the stream in big writes;
// formatting number by number through operator<< is several times slower.
class buffered_writer {
 public:
  explicit buffered_writer(std::ostream& out) : out_(out) { buffer_.reserve(flush_threshold + 256); }
  buffered_writer(const buffered_writer&) = delete;
  buffered_writer& operator=(const buffered_writer&) = delete;

  buffered_writer& operator<<(std::string_view text) {
    buffer_.append(text);
    return *this;
  }
  buffered_writer& operator<<(char c) {
    buffer_.push_back(c);
    return *this;
  }
  buffered_writer& operator<<(std::uint64_t value) { return append_number(value); }
  // Shortest text that std::from_chars turns back into the same double.
  buffered_writer& operator<<(double value) { return append_number(value); }

  void end_line() {
    buffer_.push_back('\n');
    if (buffer_.size() >= flush_threshold) flush();
  }

  void flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }

 private:
  static constexpr std::size_t flush_threshold = std::size_t{1} << 20;

  template <typename Number>
  buffered_writer& append_number(Number value) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    buffer_.append(text, result.ptr);
    return *this;
  }

  std::ostream& out_;
  std::string buffer_;
};

void check_weights(const edge_list& graph) {
  if (graph.weighted() && graph.weights.size() != graph.edges.size()) {
    throw usage_error("cannot write an edge list with " + std::to_string(graph.weights.size()) + " weights for " +
                      std::to_string(graph.edges.size()) + " edges");
  }
  for (const double weight : graph.weights) {
    if (!std::isfinite(weight)) throw usage_error("cannot write a non-finite edge weight");
  }
}

void write_delimited(const edge_list& graph, buffered_writer& out, char separator) {
  for (std::size_t e = 0; e < graph.edges.size(); ++e) {
    out << graph.edges[e].first << separator << graph.edges[e].second;
    if (graph.weighted()) out << separator << graph.weights[e];
    out.end_line();
  }
}

void write_adj(const edge_list& graph, buffered_writer& out) {
  if (graph.weighted()) throw usage_error("the adj format cannot store edge weights");

  // One line per vertex, in the order described in the header.
  std::unordered_map<vertex_id, std::size_t> line_of_vertex;
  std::vector<vertex_id> line_vertex;
  const auto add_line = [&](vertex_id v) {
    if (line_of_vertex.try_emplace(v, line_vertex.size()).second) line_vertex.push_back(v);
  };
  graph.for_each_declared(add_line);
  for (const auto& edge : graph.edges) add_line(edge.first);

  // Group the targets by line, keeping edge order within a line (counting sort).
  std::vector<std::size_t> line_start(line_vertex.size() + 1, 0);
  for (const auto& edge : graph.edges) ++line_start[line_of_vertex[edge.first] + 1];
  for (std::size_t line = 0; line < line_vertex.size(); ++line) line_start[line + 1] += line_start[line];
  std::vector<vertex_id> targets(graph.edges.size());
  std::vector<std::size_t> next_slot(line_start.begin(), line_start.end() - 1);
  for (const auto& edge : graph.edges) targets[next_slot[line_of_vertex[edge.first]]++] = edge.second;

  for (std::size_t line = 0; line < line_vertex.size(); ++line) {
    const std::uint64_t count = line_start[line + 1] - line_start[line];
    out << line_vertex[line] << ' ' << count;
    for (std::size_t t = line_start[line]; t < line_start[line + 1]; ++t) out << ' ' << targets[t];
    out.end_line();
  }
}

void write_mtx(const edge_list& graph, buffered_writer& out) {
  vertex_id largest = 0;
  bool has_vertex_zero = false;
  const auto see = [&](vertex_id v) {
    largest = std::max(largest, v);
    has_vertex_zero = has_vertex_zero || v == 0;
  };
  for (const auto& edge : graph.edges) {
    see(edge.first);
    see(edge.second);
  }
  if (graph.declared_through > 0) see(graph.declared_through);
  for (const vertex_id v : graph.vertices) see(v);
  if (has_vertex_zero) throw usage_error("the mtx format numbers vertices from 1: cannot write vertex 0");

  out << "%%MatrixMarket matrix coordinate " << (graph.weighted() ? "real" : "pattern") << " general";
  out.end_line();
  out << largest << ' ' << largest << ' ' << static_cast<std::uint64_t>(graph.edges.size());
  out.end_line();
  write_delimited(graph, out, ' ');
}

}  // namespace

void write_edge_list(const edge_list& graph, std::ostream& out, graph_format format) {
  check_weights(graph);
  buffered_writer writer(out);
  switch (format) {
    case graph_format::snap:
      write_delimited(graph, writer, ' ');
      break;
    case graph_format::tsv:
      write_delimited(graph, writer, '\t');
      break;
    case graph_format::csv:
      writer << (graph.weighted() ? "source,target,weight" : "source,target");
      writer.end_line();
      write_delimited(graph, writer, ',');
      break;
    case graph_format::adj:
      write_adj(graph, writer);
      break;
    case graph_format::mtx:
      write_mtx(graph, writer);
      break;
  }
  writer.flush();
}

}  // namespace gasworks::io
