#pragma once
// Checked parsing of numeric flag values: the whole text must be a number of
// the type, within [min, max]; anything else is a usage error naming the flag.
#include <charconv>
#include <concepts>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "engine/core/error.hpp"

namespace gasworks::cli {

template <class T>
  requires std::integral<T> || std::floating_point<T>
T parse_number(std::string_view flag, std::string_view text, T min = std::numeric_limits<T>::lowest(),
               T max = std::numeric_limits<T>::max()) {
  T value{};
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (std::is_unsigned_v<T> && !text.empty() && text.front() == '-') first = last;  // reject, not wrap
  auto [end, ec] = std::from_chars(first, last, value);
  const bool ok = !text.empty() && ec == std::errc{} && end == last;
  if (!ok || value < min || value > max || (std::floating_point<T> && value != value)) {
    std::ostringstream message;
    message << "--" << flag << " expects " << (std::integral<T> ? "an integer" : "a number");
    if (min != std::numeric_limits<T>::lowest() || max != std::numeric_limits<T>::max())
      message << " in [" << min << ", " << max << "]";
    message << ", got '" << text << "'";
    throw usage_error(message.str());
  }
  return value;
}

// A comma-separated list of such numbers ("2,4,8"), each checked alike.
template <class T>
  requires std::integral<T> || std::floating_point<T>
std::vector<T> parse_number_list(std::string_view flag, std::string_view text, T min = std::numeric_limits<T>::lowest(),
                                 T max = std::numeric_limits<T>::max()) {
  std::vector<T> values;
  for (;;) {
    const auto comma = text.find(',');
    values.push_back(parse_number<T>(flag, text.substr(0, comma), min, max));
    if (comma == std::string_view::npos) return values;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace gasworks::cli
