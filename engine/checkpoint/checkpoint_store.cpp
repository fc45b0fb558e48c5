#include "engine/checkpoint/checkpoint_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <fstream>
#include <functional>
#include <sstream>
#include <system_error>

#include "engine/checkpoint/checkpoint_error.hpp"
#include "engine/checkpoint/state_file.hpp"
#include "engine/comm/collective_error.hpp"
#include "engine/comm/wire.hpp"
#include "engine/io/atomic_output_file.hpp"

namespace gasworks::checkpoint {

namespace {

constexpr std::string_view folder_prefix = "step-";

std::filesystem::path state_path(const std::filesystem::path& folder, int rank) {
  return folder / ("rank-" + std::to_string(rank) + ".state");
}

// A rename is durable only once the directory holding it is synced.
void sync_directory(const std::filesystem::path& directory) {
  const int descriptor = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (descriptor < 0) return;  // nothing more can be done; the data are synced
  (void)::fsync(descriptor);
  ::close(descriptor);
}

// A manifest is a few hundred bytes; a file far larger is not one.
constexpr std::uintmax_t largest_manifest = 1 << 20;

std::string read_manifest_text(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw checkpoint_error("checkpoint manifest '" + path.string() + "' is missing: the checkpoint is incomplete");
  if (size > largest_manifest)
    throw checkpoint_error("checkpoint manifest '" + path.string() + "' is " + std::to_string(size) + " bytes: not a manifest");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

checkpoint_store::checkpoint_store(std::filesystem::path directory, communicator& ranks)
    : directory_(std::move(directory)), ranks_(&ranks) {}

std::filesystem::path checkpoint_store::folder(std::uint64_t step) const {
  char name[32];
  std::snprintf(name, sizeof name, "step-%012llu", static_cast<unsigned long long>(step));
  return directory_ / name;
}

std::vector<std::uint64_t> checkpoint_store::steps_present() const {
  std::vector<std::uint64_t> steps;
  std::error_code error;
  for (std::filesystem::directory_iterator it(directory_, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(folder_prefix)) continue;
    std::uint64_t step = 0;
    const char* first = name.data() + folder_prefix.size();
    const char* last = name.data() + name.size();
    const auto [end_of_number, failure] = std::from_chars(first, last, step);
    if (failure == std::errc{} && end_of_number == last && first != last) steps.push_back(step);
  }
  std::sort(steps.begin(), steps.end(), std::greater<>());
  return steps;
}

std::uint64_t checkpoint_store::save(const manifest& m, std::span<const std::byte> state) {
  const std::filesystem::path target = folder(m.step);
  const int rank = ranks_->rank();
  // A folder of this step may be there already (a resume that fell back
  // past it, a crashed save): it goes before any rank writes, so that no
  // manifest ever vouches for a mix of two runs' files.
  run_collectively(*ranks_, [&] {
    if (rank != 0) return;
    std::error_code error;
    if (!std::filesystem::exists(target, error)) return;  // (creating it will say what is wrong, if anything)
    std::filesystem::remove_all(target, error);
    if (error) throw checkpoint_error("cannot clear checkpoint folder '" + target.string() + "': " + error.message());
  });
  try {
    run_collectively(*ranks_, [&] {
      std::error_code error;
      std::filesystem::create_directories(target, error);
      if (error && !std::filesystem::is_directory(target))
        throw checkpoint_error("cannot create checkpoint folder '" + target.string() + "': " + error.message());
      write_state_file(state_path(target, rank),
                       {static_cast<std::uint32_t>(rank), static_cast<std::uint32_t>(ranks_->size()), m.step}, state);
    });
  } catch (...) {
    // The incomplete checkpoint goes; the earlier ones stay as they were.
    if (rank == 0) {
      std::error_code ignored;
      std::filesystem::remove_all(target, ignored);
    }
    throw;
  }
  // Every rank's state is on disk: the manifest makes the checkpoint complete.
  run_collectively(*ranks_, [&] {
    if (rank != 0) return;
    sync_directory(target);
    try {
      io::atomic_output_file file(target / "manifest");
      file.stream() << to_text(m);
      file.commit();
    } catch (const std::runtime_error& e) {
      throw checkpoint_error(std::string("cannot write checkpoint manifest: ") + e.what());
    }
    sync_directory(target);
  });
  // Only now may earlier checkpoints go: all but one kept in case this one is
  // damaged later (the last one known good, else the newest complete one
  // before this), and any that a crash left incomplete.
  if (rank == 0) {
    const std::vector<std::uint64_t> present = steps_present();
    const auto complete = [&](std::uint64_t step) {
      std::error_code ignored;
      return step < m.step && std::filesystem::exists(folder(step) / "manifest", ignored);
    };
    std::optional<std::uint64_t> keep;
    if (fallback_ && complete(*fallback_)) keep = fallback_;
    for (const std::uint64_t step : present)
      if (!keep && complete(step)) keep = step;
    for (const std::uint64_t step : present) {
      if (step == m.step || step == keep) continue;
      std::error_code ignored;
      std::filesystem::remove_all(folder(step), ignored);
    }
    sync_directory(directory_);
  }
  fallback_ = m.step;
  return ranks_->all_reduce_sum<std::uint64_t>(state.size());
}

checkpoint_store::loaded checkpoint_store::load_latest(const run_identity& now) {
  // Rank 0's listing is the one every rank walks through.
  std::vector<std::uint64_t> steps;
  if (ranks_->rank() == 0) steps = steps_present();
  if (ranks_->size() > 1) {
    std::vector<std::byte> mine;
    wire_writer(mine).put_all(std::span<const std::uint64_t>(steps));
    const auto all = ranks_->all_gather(mine);
    steps.resize(all[0].size() / sizeof(std::uint64_t));
    wire_reader(all[0]).get_all(std::span<std::uint64_t>(steps));
  }
  loaded result;
  for (const std::uint64_t step : steps) {
    const std::filesystem::path candidate = folder(step);
    manifest made;
    bool incompatible = false;
    // Every rank checks its part; all learn the first refusal alike.
    std::string refusal;
    try {
      run_collectively(*ranks_, [&] {
        made = parse_manifest(read_manifest_text(candidate / "manifest"), candidate / "manifest");
        if (made.step != step)
          throw checkpoint_error("checkpoint manifest '" + (candidate / "manifest").string() + "' says step " +
                                 std::to_string(made.step) + ", its folder step " + std::to_string(step));
        if (ranks_->rank() == 0)
          if (const auto why = incompatibility(made.run, now)) {
            incompatible = true;
            throw checkpoint_error("the checkpoint in '" + candidate.string() + "' belongs to another run: " + *why);
          }
        result.state = read_state_file(state_path(candidate, ranks_->rank()),
                                       {static_cast<std::uint32_t>(ranks_->rank()), now.ranks, step});
      });
    } catch (const std::exception& e) {
      refusal = e.what();
    }
    if (ranks_->any(incompatible)) throw checkpoint_error(refusal);
    if (refusal.empty()) {
      fallback_ = step;
      result.made = std::move(made);
      return result;
    }
    result.skipped.push_back(refusal);
    result.state.clear();
  }
  std::string message = "no complete checkpoint to resume from in '" + directory_.string() + "'";
  if (steps.empty()) message += " (it holds no checkpoint)";
  for (const auto& s : result.skipped) message += "\n  skipped: " + s;
  throw checkpoint_error(message);
}

}  // namespace gasworks::checkpoint
