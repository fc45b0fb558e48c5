#pragma once
// The command-line base every subcommand extends: option declaration,
// parsing with unknown flags rejected, --help, and the flags all toolkits
// share (threads, limits, progress, statistics, graph input).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <boost/program_options.hpp>

#include "engine/async/scheduler_choice.hpp"
#include "engine/cli/checkpoint_flags.hpp"
#include "engine/graph/ingress_policy.hpp"
#include "engine/io/graph_format.hpp"
#include "partition/partitioner.hpp"

namespace gasworks::cli {

// Flags that control how a run executes and reports.
struct run_settings {
  unsigned threads = 0;  // 0 = all cores
  std::optional<std::uint64_t> max_iterations;
  std::optional<double> timeout_seconds;
  bool quiet = false;
  bool progress = false;  // forced on even when stderr is not a terminal
  std::optional<std::filesystem::path> stats_path;
};

// Which engine runs the program, and the asynchronous engine's settings.
struct engine_choice {
  bool asynchronous = false;
  async_choice async;  // its timeout comes from run_settings
};

// Flags that say which graph to read and how.
struct graph_input {
  std::filesystem::path path;
  io::graph_format format = io::graph_format::snap;
  ingress_policy policy;
  partition::method partition = partition::default_method;  // used under mpiexec
};

// Only rank 0 of a multi-rank run talks to the user and writes statistics.
run_settings settings_for_rank(run_settings settings, int rank);

class command_line {
 public:
  command_line(std::string command, std::string synopsis, std::string description);

  // The subcommand's own flags go here; number flags are declared as strings
  // and read back with number<T>() so they are checked.
  boost::program_options::options_description_easy_init add();

  void add_run_flags();
  void add_graph_flags();
  // --partition alone, for commands that read their input themselves.
  void add_partition_flag();
  // --engine and the asynchronous engine's flags.
  void add_engine_flags();
  // --checkpoint, --checkpoint-every, --checkpoint-interval, --resume;
  // `steps` names the command's unit of progress ("supersteps", "sweeps", ...).
  void add_checkpoint_flags(const std::string& steps);

  // Under mpiexec only rank 0 prints help.
  void set_speaks(bool speaks) noexcept { speaks_ = speaks; }
  // For a program of its own named `command` (a benchmark), not a gasworks
  // subcommand: help then starts "Usage: <command> <synopsis>".
  void set_standalone(bool standalone) noexcept { standalone_ = standalone; }

  // False when --help was given (and printed). Throws usage_error on bad flags.
  bool parse(int argc, const char* const* argv);

  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  // True only when the user wrote the flag, not when it has a default value.
  bool given(const std::string& flag) const {
    const auto it = values_.find(flag);
    return it != values_.end() && !it->second.defaulted();
  }
  std::string text(const std::string& flag) const;
  template <class T>
  std::optional<T> number(const std::string& flag, T min, T max) const;

  run_settings run() const;
  // What the checkpoint flags ask for. The run's identity is every flag
  // given or defaulted except those that cannot change results (threads,
  // limits of time, supersteps and updates, progress and statistics,
  // checkpoints themselves) and the command's own `output_flags`; `inputs`
  // are the files it reads.
  checkpoint_request checkpoints(std::vector<std::filesystem::path> inputs,
                                 const std::vector<std::string>& output_flags) const;
  graph_input graph() const;
  partition::method partition_method() const;
  // `ranks`: the processes of the run; under mpiexec the asynchronous
  // engine runs colour phases, so flags that choose a scheduler are refused.
  engine_choice engine(int ranks) const;

  void print_help(std::ostream& out) const;
  const std::string& command() const noexcept { return command_; }

 private:
  void add_partition_flag(boost::program_options::options_description& group);

  std::string command_;
  std::string synopsis_;
  std::string description_;
  boost::program_options::options_description own_;
  boost::program_options::options_description run_flags_;
  boost::program_options::options_description graph_flags_;
  boost::program_options::options_description engine_flags_;
  boost::program_options::options_description checkpoint_flags_;
  bool has_run_flags_ = false;
  bool has_engine_flags_ = false;
  bool has_checkpoint_flags_ = false;
  bool has_graph_flags_ = false;
  bool speaks_ = true;
  bool standalone_ = false;
  boost::program_options::variables_map values_;
};

}  // namespace gasworks::cli
