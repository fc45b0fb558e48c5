#pragma once
// Regression data sets, read strictly: a target per sample and a sparse
// design matrix, kept by feature (the columns that coordinate descent walks).
//
//   libsvm   one sample per line, 'target index:value ...', indices from 1
//            (from 0 with zero_based) and strictly increasing, zeros omitted.
//            '#' starts a comment; blank lines are skipped.
//   csv      a header line of comma-separated column names, then one sample
//            per line with a finite number in every column. A name or a
//            number may be padded with blanks and wrapped in double quotes
//            (which cannot hold a comma or a quote). The target is the column
//            named target_column, or the last one; every other column is a
//            feature, numbered by its place among them. There is no way to
//            skip a column: one that is not numeric (a train/test flag, say)
//            is an error naming it, to be cut from the file first. Blank
//            lines are skipped.
//   mtx      two files. The design matrix in Matrix Market form, 'coordinate
//            real|integer|pattern general', a row per sample and a column per
//            feature (1-based), its entries in any order but each (row,
//            column) once; a pattern entry is a 1. The target beside it,
//            either Matrix Market 'array real|integer general' with rows x 1
//            values, or plain text with one number per line (told apart by
//            the '%%MatrixMarket' banner). Every declared column is a
//            feature, and every declared row a sample that needs a target.
// Gzip files are read transparently. Every malformed line is an input_error
// naming the file and line; a flaw of the whole file names line 0.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
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

// Without a target column, the last column is the target.
regression_data read_csv(const std::filesystem::path& file, std::optional<std::string> target_column = std::nullopt);

regression_data read_mtx_design(const std::filesystem::path& matrix, const std::filesystem::path& target);

enum class regression_format { libsvm, csv, mtx };

// The format a file's name implies: .libsvm, .svm or .txt; .csv; .mtx; each
// perhaps followed by .gz, in any case. nullopt for any other name.
std::optional<regression_format> regression_format_of(const std::filesystem::path& file);

struct regression_read_options {
  std::optional<regression_format> format;   // unset: the one the file's name implies
  bool zero_based = false;                   // libsvm: indices count from 0
  std::optional<std::string> target_column;  // csv: the target's name (unset: the last column)
  std::filesystem::path target_file;         // mtx: the target vector, required
};

// Reads `file` in the format the options give or its name implies. A name
// that implies none, or an mtx design without a target file, is a
// usage_error; bad data, as always, an input_error.
regression_data read_regression(const std::filesystem::path& file, const regression_read_options& options = {});

}  // namespace gasworks::lasso
