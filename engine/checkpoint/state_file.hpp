#pragma once
// One rank's part of a checkpoint: the bytes of its engine, program, vertex
// and edge state, behind a header that says whose they are (rank, rank
// count, superstep) and a checksum over header and bytes. A file is written
// to a temporary name, synced and renamed, so it is complete or absent; a
// file damaged later (truncated, a flipped byte, another checkpoint's file
// copied in) is refused with a message naming it.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace gasworks::checkpoint {

// Whose state a file holds.
struct state_owner {
  std::uint32_t rank = 0;
  std::uint32_t ranks = 1;
  std::uint64_t step = 0;  // supersteps (or rounds) completed
};

// Writes the file atomically; throws checkpoint_error naming it on failure
// (a full disk, say), leaving any earlier file of that name intact.
void write_state_file(const std::filesystem::path& path, const state_owner& owner, std::span<const std::byte> state);

// The bytes of a file written for `owner`; throws checkpoint_error naming the
// file when it is missing, truncated, damaged or someone else's.
std::vector<std::byte> read_state_file(const std::filesystem::path& path, const state_owner& owner);

}  // namespace gasworks::checkpoint
