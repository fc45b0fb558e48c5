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

}  // namespace gasworks::testing
