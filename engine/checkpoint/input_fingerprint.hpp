#pragma once
// What identifies an input file in a checkpoint's manifest: its size and the
// checksum of its bytes, so that a resume refuses a changed input wherever
// it now lies.
#include <cstdint>
#include <filesystem>
#include <string>

namespace gasworks::checkpoint {

struct input_fingerprint {
  std::string path;  // as given on the command line (for messages only)
  std::uint64_t size = 0;
  std::uint64_t checksum = 0;
  bool operator==(const input_fingerprint&) const = default;
};

// Reads the whole file; throws checkpoint_error when it cannot.
input_fingerprint fingerprint_file(const std::filesystem::path& path);

}  // namespace gasworks::checkpoint
