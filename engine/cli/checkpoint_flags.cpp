#include "engine/cli/checkpoint_flags.hpp"

#include <cstdio>

#include "engine/comm/collective_error.hpp"
#include "engine/comm/wire.hpp"

namespace gasworks::cli {

namespace {

// Rank 0 fingerprints the inputs (reading them once, not once per rank) and
// every rank receives the result.
std::vector<checkpoint::input_fingerprint> fingerprint_inputs(communicator& ranks,
                                                              const std::vector<std::filesystem::path>& inputs) {
  std::vector<checkpoint::input_fingerprint> prints = run_collectively(ranks, [&] {
    std::vector<checkpoint::input_fingerprint> mine;
    if (ranks.rank() == 0)
      for (const auto& path : inputs) mine.push_back(checkpoint::fingerprint_file(path));
    return mine;
  });
  if (ranks.size() > 1) {
    std::vector<std::byte> bytes;
    wire_writer w(bytes);
    for (const auto& f : prints) {
      w.put(f.size);
      w.put(f.checksum);
    }
    const auto all = ranks.all_gather(bytes);
    wire_reader r(all[0]);
    prints.clear();
    for (const auto& path : inputs) {
      checkpoint::input_fingerprint f;
      f.path = path.string();
      f.size = r.get<std::uint64_t>();
      f.checksum = r.get<std::uint64_t>();
      prints.push_back(f);
    }
  }
  return prints;
}

}  // namespace

std::unique_ptr<checkpoint::checkpointing> open_checkpoints(communicator& ranks, const checkpoint_request& request,
                                                            unsigned threads, bool quiet) {
  if (!request.wanted()) return nullptr;
  checkpoint::run_identity identity;
  identity.command = request.command;
  identity.settings = request.settings;
  identity.inputs = fingerprint_inputs(ranks, request.inputs);
  identity.threads = threads;
  auto checkpoints = std::make_unique<checkpoint::checkpointing>(ranks, identity);
  const bool speaks = !quiet && ranks.rank() == 0;
  if (request.resume_directory) {
    const auto& loaded = checkpoints->resume_from(*request.resume_directory);
    if (speaks) {
      for (const auto& why : loaded.skipped) std::printf("checkpoint skipped: %s\n", why.c_str());
      std::printf("resuming from the checkpoint after %s %llu in %s\n", request.step_name.c_str(),
                  static_cast<unsigned long long>(loaded.made.step), request.resume_directory->c_str());
      std::fflush(stdout);
    }
  }
  if (request.save_directory) {
    checkpoints->save_to(*request.save_directory, request.when);
    if (speaks)
      checkpoints->on_saved([step_name = request.step_name](const checkpoint::saved_checkpoint& s) {
        std::printf("checkpoint after %s %llu: %s (%.1f MB, %.2f s)\n", step_name.c_str(), static_cast<unsigned long long>(s.step),
                    s.folder.c_str(), static_cast<double>(s.bytes) / 1e6, s.seconds);
        std::fflush(stdout);
      });
  }
  return checkpoints;
}

}  // namespace gasworks::cli
