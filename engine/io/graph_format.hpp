#pragma once
// The edge-list formats gasworks reads, and how a file's format is chosen.
#include <filesystem>
#include <optional>
#include <string_view>

namespace gasworks::io {

enum class graph_format {
  snap,  // whitespace-separated "src dst [weight]", '#' comments (SNAP)
  tsv,   // same as snap, tab or space separated
  csv,   // comma-separated "src,dst[,weight]", '#' comments, optional header line
  adj,   // adjacency list "id n t1 .. tn", isolated vertices allowed
  mtx,   // Matrix Market coordinate, 1-based ids, declared size
};

std::optional<graph_format> parse_graph_format(std::string_view name);
std::string_view to_string(graph_format format);

// The format implied by the file name (".gz" looked through); snap when unknown.
graph_format guess_graph_format(const std::filesystem::path& file);

}  // namespace gasworks::io
