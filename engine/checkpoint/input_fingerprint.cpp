#include "engine/checkpoint/input_fingerprint.hpp"

#include <fstream>
#include <span>
#include <vector>

#include "engine/checkpoint/checkpoint_error.hpp"
#include "engine/checkpoint/checksum.hpp"

namespace gasworks::checkpoint {

input_fingerprint fingerprint_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw checkpoint_error("cannot read '" + path.string() + "' to fingerprint it for the checkpoint");
  checksum_stream sum;
  std::vector<char> buffer(1 << 20);
  input_fingerprint f;
  f.path = path.string();
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    sum.add(std::as_bytes(std::span<const char>(buffer.data(), got)));
    f.size += got;
  }
  if (in.bad()) throw checkpoint_error("cannot read '" + path.string() + "' to fingerprint it for the checkpoint");
  f.checksum = sum.value();
  return f;
}

}  // namespace gasworks::checkpoint
