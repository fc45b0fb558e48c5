#pragma once
// What a checkpoint was made from, so that a resume can refuse a checkpoint
// of another run: the command, the settings that shape its results, the
// input files (size and checksum), the rank count; and how far it got.
//
// The manifest is a text file, one fact per line:
//     gasworks-checkpoint 1
//     command pagerank
//     setting damping=0.85
//     input 1048576 9f3c0e2a41b7d655 graph.txt
//     ranks 2
//     threads 2
//     step 12
// Thread counts are recorded but need not match: the synchronous engine
// gives the same results on any number of threads.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/checkpoint/input_fingerprint.hpp"

namespace gasworks::checkpoint {

struct run_identity {
  std::string command;
  std::vector<std::string> settings;  // "flag=value", in a fixed order
  std::vector<input_fingerprint> inputs;
  std::uint32_t ranks = 1;
  unsigned threads = 0;  // 0: all cores
};

// Why a checkpoint made by `saved` cannot continue `now` (nullopt: it can).
std::optional<std::string> incompatibility(const run_identity& saved, const run_identity& now);

struct manifest {
  run_identity run;
  std::uint64_t step = 0;
};

std::string to_text(const manifest& m);
// Throws checkpoint_error naming `file` and the line at fault.
manifest parse_manifest(const std::string& text, const std::filesystem::path& file);

}  // namespace gasworks::checkpoint
