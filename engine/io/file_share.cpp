#include "engine/io/file_share.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <system_error>

#include "engine/core/error.hpp"

namespace gasworks {

std::optional<io::byte_range> rank_share_of_file(const communicator& ranks, const std::filesystem::path& file) {
  if (ranks.size() == 1) return io::byte_range{};
  // Opening checks that the file exists and tells gzip data apart.
  if (io::line_reader(file).compressed()) return ranks.rank() == 0 ? std::optional(io::byte_range{}) : std::nullopt;
  std::error_code error;
  const std::uint64_t size = std::filesystem::file_size(file, error);
  if (error) throw input_error(file, 0, "cannot read its size: " + error.message());
  const auto r = static_cast<std::uint64_t>(ranks.rank()), n = static_cast<std::uint64_t>(ranks.size());
  io::byte_range range{size / n * r + std::min(r, size % n), 0};
  range.end = r + 1 == n ? std::numeric_limits<std::uint64_t>::max() : size / n * (r + 1) + std::min(r + 1, size % n);
  return range;
}

}  // namespace gasworks
