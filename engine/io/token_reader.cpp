#include "engine/io/token_reader.hpp"

#include <charconv>
#include <cmath>

#include "engine/io/read_edge_list.hpp"

namespace gasworks::io {

namespace {
bool blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::optional<std::string_view> token_reader::next() {
  for (;;) {
    while (!rest_.empty() && blank(rest_.front())) rest_.remove_prefix(1);
    if (!rest_.empty()) break;
    const auto line = lines_.next();
    if (!line) {
      ended_ = true;
      return std::nullopt;
    }
    rest_ = *line;
    line_ = lines_.line_number();
    if (comment_ != 0 && !rest_.empty() && rest_.front() == comment_) rest_ = {};
  }
  std::size_t end = 0;
  while (end < rest_.size() && !blank(rest_[end])) ++end;
  const std::string_view token = rest_.substr(0, end);
  rest_.remove_prefix(end);
  return token;
}

std::string_view token_reader::expect(std::string_view what) {
  const auto token = next();
  if (!token) throw error("expected " + std::string(what) + ", got the end of the file");
  return *token;
}

std::uint64_t token_reader::expect_integer(std::string_view what, std::uint64_t min, std::uint64_t max) {
  const std::string_view token = expect(what);
  std::uint64_t value = 0;
  const char* last = token.data() + token.size();
  const auto [stop, status] = std::from_chars(token.data(), last, value);
  if (status != std::errc{} || stop != last || value < min || value > max)
    throw error("expected " + std::string(what) + " in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " +
                detail::quoted(token));
  return value;
}

double token_reader::expect_number(std::string_view what) {
  const std::string_view token = expect(what);
  double value = 0;
  const char* last = token.data() + token.size();
  const auto [stop, status] = std::from_chars(token.data(), last, value);
  if (status != std::errc{} || stop != last || !std::isfinite(value))
    throw error("expected " + std::string(what) + ", got " + detail::quoted(token));
  return value;
}

input_error token_reader::error(std::string_view message) const {
  // At the end of the file, the line after the last one read.
  return input_error(lines_.file(), ended_ ? lines_.line_number() + 1 : line_, std::string(message));
}

}  // namespace gasworks::io
