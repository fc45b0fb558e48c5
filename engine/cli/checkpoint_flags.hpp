#pragma once
// The checkpoint flags every toolkit command takes, and what they set up:
//     --checkpoint DIR              save checkpoints into DIR
//     --checkpoint-every N          ... after every N steps (default 1)
//     --checkpoint-interval SECONDS ... or once SECONDS have passed since the last
//     --resume DIR                  continue from DIR's newest complete checkpoint
// A step is the command's own unit (superstep, iteration, sweep, round).
// The run's identity, which a resume must match, is the command, every flag
// that shapes results (not threads, timeouts, output or progress flags) and
// the input files' sizes and checksums.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/checkpoint/checkpointing.hpp"
#include "engine/comm/communicator.hpp"

namespace gasworks::cli {

struct checkpoint_request {
  std::optional<std::filesystem::path> save_directory;
  checkpoint::cadence when;
  std::optional<std::filesystem::path> resume_directory;
  std::string command;
  std::vector<std::string> settings;  // "flag=value" of the flags that shape results
  std::vector<std::filesystem::path> inputs;
  std::string step_name = "superstep";  // what the messages call a step

  bool wanted() const noexcept { return save_directory || resume_directory; }
};

// Null when the request asks for nothing. Otherwise fingerprints the inputs
// (on rank 0), loads the checkpoint to resume from (collective; throws
// checkpoint_error when there is none or it belongs to another run) and,
// unless `quiet`, prints on rank 0 which checkpoint it resumes, which it
// skipped and, later, each checkpoint saved.
std::unique_ptr<checkpoint::checkpointing> open_checkpoints(communicator& ranks, const checkpoint_request& request,
                                                            unsigned threads, bool quiet);

}  // namespace gasworks::cli
