#pragma once
// Reads a text file as a stream of blank-separated tokens, whatever the line
// breaks, and remembers the line of each token for error messages: the
// formats whose values may wrap across lines (UAI models, their evidence and
// marginals) read through it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/error.hpp"
#include "engine/io/line_reader.hpp"

namespace gasworks::io {

class token_reader {
 public:
  // Lines that start with `comment` (when not 0) are skipped.
  explicit token_reader(std::filesystem::path file, char comment = 0) : lines_(std::move(file)), comment_(comment) {}

  // The next token; nullopt at the end of the file.
  std::optional<std::string_view> next();

  // The next token, which must exist: `what` names it in the error at the end.
  std::string_view expect(std::string_view what);
  // The next token as a number in [min, max].
  std::uint64_t expect_integer(std::string_view what, std::uint64_t min, std::uint64_t max);
  double expect_number(std::string_view what);

  // An input_error about the token last returned (or the end of the file).
  input_error error(std::string_view message) const;
  const std::filesystem::path& file() const noexcept { return lines_.file(); }
  // The line of the token last returned.
  std::uint64_t line() const noexcept { return line_; }

 private:
  line_reader lines_;
  std::string_view rest_;  // of the current line, after the last token
  std::uint64_t line_ = 0;  // of the last token
  bool ended_ = false;
  char comment_;
};

}  // namespace gasworks::io
