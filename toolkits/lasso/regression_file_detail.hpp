#pragma once
// What the regression readers share: number and field parsing, the limits a
// file's counts must respect, and the step from entries to the columns of
// regression_data.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "toolkits/lasso/regression_file.hpp"

namespace gasworks::lasso::detail {

// A feature index or a sample count above this is taken for a corrupt file,
// not a design.
inline constexpr std::uint64_t max_features = std::uint64_t{1} << 40;
inline constexpr std::uint64_t max_samples = std::uint64_t{1} << 40;
// What a header's count announces is reserved up to this much; beyond, the
// storage grows with what the file really holds.
inline constexpr std::uint64_t max_reserve = std::uint64_t{1} << 16;

// A finite number that fills all of `text`.
inline bool parse_finite(std::string_view text, double& x) {
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), x);
  return status == std::errc{} && end == text.data() + text.size() && std::isfinite(x);
}

// The next blank-separated field of `rest`, which loses it; empty at the end.
inline std::string_view next_field(std::string_view& rest) {
  const auto start = rest.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    rest = {};
    return {};
  }
  rest.remove_prefix(start);
  const auto end = rest.find_first_of(" \t");
  const std::string_view field = rest.substr(0, end);
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  return field;
}

inline bool is_blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

// Case-insensitive, as Matrix Market keywords are.
inline bool same_keyword(std::string_view text, std::string_view keyword) {
  return std::equal(text.begin(), text.end(), keyword.begin(), keyword.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

// One value of the design matrix as a reader meets it.
struct design_entry {
  std::uint64_t feature, sample;
  double value;
};

// Fills d's columns from `entries` (anything with feature, sample and value),
// sorted by feature and, within a feature, by sample. Zero values take no
// place, so a feature whose values are all zero has no column.
template <class Entry>
void store_columns(const std::vector<Entry>& entries, regression_data& d) {
  const auto nonzeros =
      static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [](const Entry& e) { return e.value != 0; }));
  d.sample.reserve(nonzeros);
  d.value.reserve(nonzeros);
  for (const Entry& e : entries) {
    if (e.value == 0) continue;
    if (d.feature_index.empty() || d.feature_index.back() != e.feature) {
      d.feature_index.push_back(e.feature);
      d.column_start.push_back(d.value.size());
    }
    d.sample.push_back(e.sample);
    d.value.push_back(e.value);
  }
  d.column_start.push_back(d.value.size());
  d.features = d.feature_index.size();
}

}  // namespace gasworks::lasso::detail
