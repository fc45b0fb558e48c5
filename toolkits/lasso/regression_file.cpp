#include "toolkits/lasso/regression_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.hpp"
#include "engine/io/line_reader.hpp"

namespace gasworks::lasso {

namespace {

// A feature index above this is taken for a corrupt line, not a design.
constexpr std::uint64_t max_features = std::uint64_t{1} << 40;

bool parse_double(std::string_view text, double& x) {
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), x);
  return status == std::errc{} && end == text.data() + text.size() && std::isfinite(x);
}

std::string_view next_field(std::string_view& rest) {
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

}  // namespace

regression_data read_libsvm(const std::filesystem::path& file, bool zero_based) {
  io::line_reader in(file);
  struct entry {
    std::uint64_t feature, sample;
    double value;
  };
  std::vector<entry> entries;
  regression_data d;
  while (const auto line = in.next()) {
    std::string_view rest = *line;
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    const std::string_view target = next_field(rest);
    if (target.empty()) continue;
    double y = 0;
    if (!parse_double(target, y)) throw in.error("expected a numeric target, got '" + std::string(target) + "'");
    const std::uint64_t sample = d.target.size();
    d.target.push_back(y);
    std::uint64_t previous = 0;
    bool first = true;
    for (std::string_view field = next_field(rest); !field.empty(); field = next_field(rest)) {
      const auto colon = field.find(':');
      if (colon == std::string_view::npos) throw in.error("expected index:value, got '" + std::string(field) + "'");
      std::uint64_t index = 0;
      const std::string_view index_text = field.substr(0, colon);
      const auto [end, status] = std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
      if (status != std::errc{} || end != index_text.data() + index_text.size() || index > max_features)
        throw in.error("expected a feature index, got '" + std::string(index_text) + "'");
      if (!zero_based && index == 0) throw in.error("feature index 0 in 1-based data (give --zero-based for 0-based indices)");
      const std::uint64_t feature = zero_based ? index : index - 1;
      if (!first && feature <= previous)
        throw in.error("feature indices must increase along a line: " + std::string(index_text) + " follows " +
                       std::to_string(zero_based ? previous : previous + 1));
      double x = 0;
      if (!parse_double(field.substr(colon + 1), x))
        throw in.error("expected a numeric value for feature " + std::string(index_text) + ", got '" +
                       std::string(field.substr(colon + 1)) + "'");
      previous = feature;
      first = false;
      if (feature + 1 > d.declared_features) d.declared_features = feature + 1;
      if (x != 0) entries.push_back({feature, sample, x});
    }
  }
  d.samples = d.target.size();
  if (d.samples == 0) throw input_error(file, 0, "no samples: expected lines 'target index:value ...'");
  // Columns: a stable sort by feature keeps each column in sample order.
  std::stable_sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) { return a.feature < b.feature; });
  d.sample.reserve(entries.size());
  d.value.reserve(entries.size());
  for (std::size_t k = 0; k < entries.size(); ++k) {
    if (k == 0 || entries[k].feature != entries[k - 1].feature) {
      d.feature_index.push_back(entries[k].feature);
      d.column_start.push_back(k);
    }
    d.sample.push_back(entries[k].sample);
    d.value.push_back(entries[k].value);
  }
  d.column_start.push_back(entries.size());
  d.features = d.feature_index.size();
  return d;
}

}  // namespace gasworks::lasso
