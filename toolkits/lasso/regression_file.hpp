#pragma once
// Regression data sets, read strictly: a target per sample and a sparse
// design matrix, kept by feature (the columns that coordinate descent walks).
//
//   libsvm   one sample per line, 'target index:value ...', indices from 1
//            (from 0 with zero_based) and strictly increasing, zeros omitted.
//            '#' starts a comment; blank lines are skipped.
// Gzip files are read transparently. Every malformed line is an input_error
// naming the file and line.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace gasworks::lasso {

struct regression_data {
  std::uint64_t samples = 0;
  // Columns: the features with a nonzero entry, in index order. Features
  // that never occur have a zero column, whose coefficient is zero; they
  // take no memory, so a huge index costs nothing but its entry.
  std::uint64_t features = 0;
  std::uint64_t declared_features = 0;       // one past the largest index seen (0-based)
  std::vector<std::uint64_t> feature_index;  // per column, its feature's 0-based index in the file
  std::vector<double> target;                // per sample
  // The design matrix by column: column j's entries are
  // [column_start[j], column_start[j + 1]) of `sample` and `value`, by sample.
  std::vector<std::uint64_t> column_start;
  std::vector<std::uint64_t> sample;
  std::vector<double> value;

  std::uint64_t entries() const noexcept { return value.size(); }
};

regression_data read_libsvm(const std::filesystem::path& file, bool zero_based = false);

}  // namespace gasworks::lasso
