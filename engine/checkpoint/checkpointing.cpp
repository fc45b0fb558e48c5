#include "engine/checkpoint/checkpointing.hpp"

#include <system_error>
#include <utility>

#include "engine/checkpoint/checkpoint_error.hpp"

namespace gasworks::checkpoint {

checkpointing::checkpointing(communicator& ranks, run_identity identity) : ranks_(&ranks), identity_(std::move(identity)) {
  identity_.ranks = static_cast<std::uint32_t>(ranks.size());
}

void checkpointing::save_to(std::filesystem::path directory, cadence when) {
  if (!when.steps && !when.seconds) when.steps = 1;
  if (when.steps && *when.steps == 0) throw checkpoint_error("checkpoints cannot be taken every 0 steps");
  when_ = when;
  store_.emplace(std::move(directory), *ranks_);
  // Resuming into the directory it came from: the resumed checkpoint, known
  // good, is the one to fall back to until a newer one is written.
  std::error_code error;
  if (resumed_ && resumed_from_ && std::filesystem::equivalent(*resumed_from_, store_->directory(), error))
    store_->keep_as_fallback(resumed_->made.step);
  since_last_.restart();
}

const checkpoint_store::loaded& checkpointing::resume_from(std::filesystem::path directory) {
  checkpoint_store source(directory, *ranks_);
  resumed_ = source.load_latest(identity_);
  resumed_from_ = std::move(directory);
  state_taken_ = false;
  since_last_.restart();
  return *resumed_;
}

std::string checkpointing::resumed_folder() const {
  if (!resumed_ || !resumed_from_) return "no checkpoint";
  return "the checkpoint in '" + checkpoint_store(*resumed_from_, *ranks_).folder(resumed_->made.step).string() + "'";
}

std::optional<std::vector<std::byte>> checkpointing::take_resumed_state() {
  if (!resumed_ || state_taken_) return std::nullopt;
  state_taken_ = true;
  return std::move(resumed_->state);
}

bool checkpointing::due(std::uint64_t previous, std::uint64_t step) {
  if (!store_) return false;
  if (when_.steps) return step / *when_.steps > previous / *when_.steps;
  const bool mine = ranks_->rank() == 0 && since_last_.seconds() >= *when_.seconds;
  return ranks_->any(mine);
}

void checkpointing::save(std::uint64_t step, std::span<const std::byte> state) {
  if (!store_) return;
  const stopwatch clock;
  const std::uint64_t bytes = store_->save(manifest{identity_, step}, state);
  since_last_.restart();
  if (observer_) observer_({step, store_->folder(step), bytes, clock.seconds()});
}

}  // namespace gasworks::checkpoint
