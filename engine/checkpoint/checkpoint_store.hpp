#pragma once
// A directory of checkpoints, one folder per checkpoint:
//     DIR/step-000000000012/rank-0.state, rank-1.state, ..., manifest
// A checkpoint is complete once its manifest exists: every rank writes its
// state file first, and rank 0 writes the manifest only when all of them
// have. Only then are older checkpoints deleted, all but the newest
// complete one before it, which a resume falls back to when the newest is
// found damaged. So a run killed at any moment leaves the last complete
// checkpoint in place.
//
// Every operation is collective (every rank of `ranks` calls it) and the
// directory must be one that every rank sees (a shared file system when
// ranks run on several machines).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/checkpoint/manifest.hpp"
#include "engine/comm/communicator.hpp"

namespace gasworks::checkpoint {

class checkpoint_store {
 public:
  checkpoint_store(std::filesystem::path directory, communicator& ranks);

  const std::filesystem::path& directory() const noexcept { return directory_; }

  // Saves this rank's state as part of the checkpoint `m` describes, then
  // deletes the older checkpoints but one. Throws on every rank when any
  // rank fails (checkpoint_error; under mpiexec a collective_error with the
  // failing rank's message); the earlier checkpoints then stay.
  // Returns the bytes written by all ranks together.
  std::uint64_t save(const manifest& m, std::span<const std::byte> state);

  struct loaded {
    manifest made;                   // what the checkpoint was made from
    std::vector<std::byte> state;    // this rank's part
    std::vector<std::string> skipped;  // newer checkpoints passed over, and why
  };
  // The newest checkpoint that is complete and intact on every rank. Damaged
  // or incomplete ones are skipped (and said so); one made by another run
  // (`now` differs: input, flags, ranks) stops the search. Throws
  // checkpoint_error when there is nothing to resume from.
  loaded load_latest(const run_identity& now);

  // Keep the checkpoint at `step` (known good: just resumed from) as the
  // fallback when the next one is saved, rather than the newest before it.
  void keep_as_fallback(std::uint64_t step) noexcept { fallback_ = step; }

  // The folder of the checkpoint at `step`.
  std::filesystem::path folder(std::uint64_t step) const;

 private:
  std::vector<std::uint64_t> steps_present() const;

  std::filesystem::path directory_;
  communicator* ranks_;
  std::optional<std::uint64_t> fallback_;  // the last checkpoint known good
};

}  // namespace gasworks::checkpoint
