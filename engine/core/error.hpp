#pragma once
// Errors raised by the library. The library never exits: it throws these,
// and only the command-line programs turn them into exit codes.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace gasworks {

// Bad input data: names the file, the 1-based line (0 when the problem is
// the file as a whole) and what was expected there.
class input_error : public std::runtime_error {
 public:
  input_error(std::filesystem::path file, std::uint64_t line, const std::string& message)
      : std::runtime_error(format(file, line, message)), file_(std::move(file)), line_(line) {}

  const std::filesystem::path& file() const noexcept { return file_; }
  std::uint64_t line() const noexcept { return line_; }

 private:
  static std::string format(const std::filesystem::path& file, std::uint64_t line, const std::string& message) {
    std::string text = file.string();
    if (line > 0) {
      text.push_back(':');
      text.append(std::to_string(line));
    }
    text.append(": ");
    text.append(message);
    return text;
  }
  std::filesystem::path file_;
  std::uint64_t line_;
};

// A request the library cannot honour (bad parameter, inconsistent options).
class usage_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace gasworks
