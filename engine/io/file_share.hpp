#pragma once
// Which part of an input file a rank reads: ranks split an uncompressed file
// into equal byte ranges (each line read by the range holding its first
// byte); a gzip stream cannot be entered in the middle, so rank 0 reads it
// whole.
#include <filesystem>
#include <optional>

#include "engine/comm/communicator.hpp"
#include "engine/io/line_reader.hpp"

namespace gasworks {

// This rank's byte range of `file`, or nullopt when the rank reads nothing
// (a gzip file, at ranks other than 0). With one rank: the whole file.
// Throws input_error when the file cannot be opened or sized.
std::optional<io::byte_range> rank_share_of_file(const communicator& ranks, const std::filesystem::path& file);

}  // namespace gasworks
