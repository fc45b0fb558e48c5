#pragma once
// Runs a program as a user would, through the shell, and keeps what it said:
// its exit code and everything it wrote to stdout and stderr.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gasworks::testing {

struct command_result {
  int exit_code;  // -1 when the program did not exit normally
  std::string out;
  std::string err;
};

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command` with its output captured in files under `dir`.
inline command_result run_shell(const std::string& command, const std::filesystem::path& dir) {
  const auto out = dir / "stdout", err = dir / "stderr";
  const int status = std::system((command + " >" + out.string() + " 2>" + err.string()).c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(out), read_text(err)};
}

// The start of a command line that runs a program on `ranks` ranks under
// mpiexec: consent to root, oversubscription with yielding ranks, no leak
// reports about Open MPI's own memory, and a time limit so that a hang fails.
inline std::string mpiexec_prefix(const char* mpiexec, int ranks) {
  return std::string(
             "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_yield_when_idle=1 "
             "OMPI_MCA_rmaps_base_oversubscribe=1 ASAN_OPTIONS=detect_leaks=0 timeout 60 ") +
         mpiexec + " -n " + std::to_string(ranks) + " ";
}

}  // namespace gasworks::testing
