#include "engine/io/graph_format.hpp"

#include <array>
#include <utility>

namespace gasworks::io {

namespace {

constexpr std::array<std::pair<std::string_view, graph_format>, 5> format_names{{
    {"snap", graph_format::snap},
    {"tsv", graph_format::tsv},
    {"csv", graph_format::csv},
    {"adj", graph_format::adj},
    {"mtx", graph_format::mtx},
}};

}  // namespace

std::optional<graph_format> parse_graph_format(std::string_view name) {
  for (const auto& [format_name, format] : format_names) {
    if (format_name == name) return format;
  }
  return std::nullopt;
}

std::string_view to_string(graph_format format) {
  for (const auto& [format_name, known] : format_names) {
    if (known == format) return format_name;
  }
  return "unknown";
}

graph_format guess_graph_format(const std::filesystem::path& file) {
  std::filesystem::path name = file.filename();
  // "graph.mtx.gz" names the format of what is inside the compression.
  if (name.extension() == ".gz") name = name.stem();
  const std::filesystem::path extension = name.extension();
  if (extension == ".mtx") return graph_format::mtx;
  if (extension == ".csv") return graph_format::csv;
  if (extension == ".adj") return graph_format::adj;
  if (extension == ".tsv") return graph_format::tsv;
  return graph_format::snap;
}

}  // namespace gasworks::io
