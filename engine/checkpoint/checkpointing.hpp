#pragma once
// What an engine is given when a run saves or resumes checkpoints: when a
// checkpoint is due (every N steps, or every T seconds), where it goes, what
// the run is (for the manifest), and the state a resumed run starts from.
// A step is whatever the engine counts between consistent points: a
// superstep of the synchronous engine, a round of the phased one.
//
// Engines call due() and save() between steps, on every rank alike; the
// bytes saved are theirs to define (engine state, program state, vertex and
// edge data). Nothing here knows what they mean.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/checkpoint/checkpoint_store.hpp"
#include "engine/checkpoint/manifest.hpp"
#include "engine/comm/communicator.hpp"
#include "engine/core/phase_timer.hpp"

namespace gasworks::checkpoint {

// How often to save: after every `steps` steps, or once `seconds` have passed
// since the run started or last saved (rank 0's clock decides for all).
struct cadence {
  std::optional<std::uint64_t> steps;
  std::optional<double> seconds;
};

// What the user is told after each checkpoint.
struct saved_checkpoint {
  std::uint64_t step = 0;
  std::filesystem::path folder;
  std::uint64_t bytes = 0;  // all ranks together
  double seconds = 0;
};

class checkpointing {
 public:
  checkpointing(communicator& ranks, run_identity identity);

  // Save checkpoints into `directory` (created if needed) at `when`.
  void save_to(std::filesystem::path directory, cadence when);
  // Loads the newest usable checkpoint of `directory` now (collective);
  // throws checkpoint_error when there is none or it belongs to another run.
  const checkpoint_store::loaded& resume_from(std::filesystem::path directory);

  // The state to start from, handed out once (the engine that takes it owns it).
  std::optional<std::vector<std::byte>> take_resumed_state();
  // Where that state came from, for messages.
  std::string resumed_folder() const;

  // Whether a checkpoint is due after `step` steps when the last one was
  // after `previous` (engines whose step count may advance by more than
  // one at a time get every N-th boundary crossed). Collective when the
  // cadence is in seconds (the ranks agree on rank 0's clock).
  bool due(std::uint64_t previous, std::uint64_t step);
  // Saves this rank's `state` as the checkpoint after `step` steps (collective).
  void save(std::uint64_t step, std::span<const std::byte> state);

  void on_saved(std::function<void(const saved_checkpoint&)> observer) { observer_ = std::move(observer); }

 private:
  communicator* ranks_;
  run_identity identity_;
  std::optional<checkpoint_store> store_;
  cadence when_;
  stopwatch since_last_;
  std::optional<checkpoint_store::loaded> resumed_;
  std::optional<std::filesystem::path> resumed_from_;
  bool state_taken_ = false;
  std::function<void(const saved_checkpoint&)> observer_;
};

}  // namespace gasworks::checkpoint
