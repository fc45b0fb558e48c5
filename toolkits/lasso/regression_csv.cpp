// CSV regression files: a header line of column names, then a line of
// numbers per sample, one column of which is the target.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.hpp"
#include "engine/io/line_reader.hpp"
#include "toolkits/lasso/regression_file.hpp"
#include "toolkits/lasso/regression_file_detail.hpp"

namespace gasworks::lasso {

namespace {

// Splits a line at its commas into `fields`, each without the blanks around
// it and without a pair of double quotes around those. Quotes only wrap a
// field: none can hold a comma or a quote, which names and numbers never need.
void split_fields(std::string_view line, const io::line_reader& in, std::vector<std::string_view>& fields) {
  fields.clear();
  for (;;) {
    const auto comma = line.find(',');
    std::string_view field = line.substr(0, comma);
    const auto first = field.find_first_not_of(" \t");
    field = first == std::string_view::npos ? std::string_view{} : field.substr(first, field.find_last_not_of(" \t") - first + 1);
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
    if (field.find('"') != std::string_view::npos)
      throw in.error("field " + std::to_string(fields.size() + 1) + " holds a quote that does not just wrap it: " +
                     std::string(line.substr(0, comma)));
    fields.push_back(field);
    if (comma == std::string_view::npos) return;
    line.remove_prefix(comma + 1);
  }
}

// "'a', 'b', 'c'", cut short after a few names.
std::string some_names(const std::vector<std::string>& names) {
  constexpr std::size_t shown = 8;
  std::string text;
  for (std::size_t i = 0; i < std::min(names.size(), shown); ++i) text += (i > 0 ? ", '" : "'") + names[i] + "'";
  if (names.size() > shown) text += ", ... (" + std::to_string(names.size()) + " columns)";
  return text;
}

// The position of the target among the columns: the one named, or the last.
std::size_t target_position(const std::vector<std::string>& names, const std::optional<std::string>& target_column,
                            const io::line_reader& in) {
  if (!target_column) return names.size() - 1;
  const auto named = std::find(names.begin(), names.end(), *target_column);
  if (named == names.end())
    throw in.error("no column is named '" + *target_column + "' to be the target; the columns are " + some_names(names));
  if (const auto again = std::find(named + 1, names.end(), *target_column); again != names.end())
    throw in.error("columns " + std::to_string(named - names.begin() + 1) + " and " + std::to_string(again - names.begin() + 1) +
                   " are both named '" + *target_column + "': which is the target?");
  return static_cast<std::size_t>(named - names.begin());
}

}  // namespace

regression_data read_csv(const std::filesystem::path& file, std::optional<std::string> target_column) {
  io::line_reader in(file);
  const auto header = in.next();
  if (!header) throw input_error(file, 0, "the file is empty: expected a header line of column names");
  if (detail::is_blank(*header)) throw in.error("expected a header line of column names, got a blank line");
  std::vector<std::string_view> fields;
  split_fields(*header, in, fields);
  const std::vector<std::string> names(fields.begin(), fields.end());
  const std::size_t target = target_position(names, target_column, in);
  // Features keep their order; those after the target close up over it.
  const auto feature_of = [target](std::size_t column) -> std::uint64_t { return column < target ? column : column - 1; };

  using entry = detail::design_entry;
  std::vector<entry> entries;
  regression_data d;
  while (const auto line = in.next()) {
    if (detail::is_blank(*line)) continue;
    split_fields(*line, in, fields);
    if (fields.size() != names.size())
      throw in.error("expected " + std::to_string(names.size()) + " fields, one per column of the header, got " +
                     std::to_string(fields.size()));
    const std::uint64_t sample = d.target.size();
    for (std::size_t column = 0; column < fields.size(); ++column) {
      double x = 0;
      if (!detail::parse_finite(fields[column], x))
        throw in.error("column '" + names[column] + "': expected a finite number, got '" + std::string(fields[column]) + "'");
      if (column == target) d.target.push_back(x);
      else if (x != 0) entries.push_back({feature_of(column), sample, x});
    }
  }
  d.samples = d.target.size();
  if (d.samples == 0) throw input_error(file, 1, "no samples: no line of numbers follows the header");
  d.declared_features = names.size() - 1;
  // Columns: a stable sort by feature keeps each column in sample order.
  std::stable_sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) { return a.feature < b.feature; });
  detail::store_columns(entries, d);
  return d;
}

}  // namespace gasworks::lasso
