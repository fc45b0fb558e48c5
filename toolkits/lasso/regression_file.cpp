// The libsvm reader, and the choice of a reader by the file's name. The CSV
// and Matrix Market readers live in regression_csv.cpp and regression_mtx.cpp.
#include "toolkits/lasso/regression_file.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.hpp"
#include "engine/io/line_reader.hpp"
#include "toolkits/lasso/regression_file_detail.hpp"

namespace gasworks::lasso {

using detail::next_field;
using detail::parse_finite;

regression_data read_libsvm(const std::filesystem::path& file, bool zero_based) {
  io::line_reader in(file);
  using entry = detail::design_entry;
  std::vector<entry> entries;
  regression_data d;
  while (const auto line = in.next()) {
    std::string_view rest = *line;
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    const std::string_view target = next_field(rest);
    if (target.empty()) continue;
    double y = 0;
    if (!parse_finite(target, y)) throw in.error("expected a numeric target, got '" + std::string(target) + "'");
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
      if (status != std::errc{} || end != index_text.data() + index_text.size() || index > detail::max_features)
        throw in.error("expected a feature index, got '" + std::string(index_text) + "'");
      if (!zero_based && index == 0) throw in.error("feature index 0 in 1-based data (give --zero-based for 0-based indices)");
      const std::uint64_t feature = zero_based ? index : index - 1;
      if (!first && feature <= previous)
        throw in.error("feature indices must increase along a line: " + std::string(index_text) + " follows " +
                       std::to_string(zero_based ? previous : previous + 1));
      double x = 0;
      if (!parse_finite(field.substr(colon + 1), x))
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
  detail::store_columns(entries, d);
  return d;
}

std::optional<regression_format> regression_format_of(const std::filesystem::path& file) {
  std::filesystem::path name = file.filename();
  if (detail::same_keyword(name.extension().string(), ".gz")) name = name.stem();
  const std::string extension = name.extension().string();
  for (const std::string_view libsvm : {".libsvm", ".svm", ".txt"})
    if (detail::same_keyword(extension, libsvm)) return regression_format::libsvm;
  if (detail::same_keyword(extension, ".csv")) return regression_format::csv;
  if (detail::same_keyword(extension, ".mtx")) return regression_format::mtx;
  return std::nullopt;
}

regression_data read_regression(const std::filesystem::path& file, const regression_read_options& options) {
  const auto format = options.format ? options.format : regression_format_of(file);
  if (!format)
    throw usage_error("cannot tell the format of " + file.string() +
                      " from its name (.libsvm, .svm, .txt, .csv or .mtx, perhaps with .gz): name the format");
  switch (*format) {
    case regression_format::libsvm:
      return read_libsvm(file, options.zero_based);
    case regression_format::csv:
      return read_csv(file, options.target_column);
    case regression_format::mtx:
      if (options.target_file.empty())
        throw usage_error("the Matrix Market design " + file.string() + " needs a target file beside it");
      return read_mtx_design(file, options.target_file);
  }
  throw usage_error("unknown regression format");  // unreachable: every format is handled above
}

}  // namespace gasworks::lasso
