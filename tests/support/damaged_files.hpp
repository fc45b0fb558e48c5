#pragma once
// Damage done to a file on purpose, as a disk or a careless copy might.
#include <cstdint>
#include <filesystem>
#include <fstream>

namespace gasworks::testing {

// Overwrites byte `at` of `file` with its complement.
inline void flip_byte(const std::filesystem::path& file, std::uint64_t at) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  const char c = static_cast<char>(f.get());
  f.seekp(static_cast<std::streamoff>(at));
  f.put(static_cast<char>(~c));
}

}  // namespace gasworks::testing
