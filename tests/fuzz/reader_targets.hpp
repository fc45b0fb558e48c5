#pragma once
// Every input reader, by name, for the fuzz targets and their regression
// tests. A reader's contract: any byte sequence gives either data or an
// input_error naming the file (and the line where it can); anything else
// (another exception, a crash, a sanitizer report, a hang, an allocation
// a small file cannot justify) is a bug.
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "engine/checkpoint/checkpoint_error.hpp"
#include "engine/checkpoint/manifest.hpp"
#include "engine/checkpoint/state_file.hpp"
#include "engine/io/graph_format.hpp"
#include "engine/io/read_edge_list.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/cf/ratings_file.hpp"
#include "toolkits/denoise/image_files.hpp"
#include "toolkits/lasso/regression_file.hpp"
#include "toolkits/lda/corpus_file.hpp"

namespace gasworks::fuzz {

inline constexpr std::array<std::string_view, 19> readers = {
    "snap", "csv", "adj", "mtx", "ratings", "uci", "text_corpus", "uai", "evidence", "mar", "libdai", "libsvm", "image", "pairs",
    "regression_csv", "regression_mtx", "regression_target", "checkpoint_manifest", "checkpoint_state"};

// A small model for the readers that read against one (evidence, MAR): two
// variables, binary and ternary, one factor over both.
inline const bp::factor_model& small_model() {
  static const bp::factor_model model = [] {
    bp::factor_model m;
    m.cardinality = {2, 3};
    m.factors.push_back({{0, 1}, bp::factor_table(std::vector<double>{1, 2, 3, 4, 5, 6})});
    return m;
  }();
  return model;
}

// A small file the readers of two-file data read beside the fuzzed one,
// written once per process and removed at its end.
class fixed_file {
 public:
  fixed_file(const std::string& name, const std::string& content)
      : path_(std::filesystem::temp_directory_path() / ("gasworks_fuzz_" + name + "_" + std::to_string(::getpid()))) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << content;
  }
  ~fixed_file() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  fixed_file(const fixed_file&) = delete;
  fixed_file& operator=(const fixed_file&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

// A regression design of two samples, and their two targets: the fuzzed
// matrix is read with these targets, the fuzzed targets with this matrix.
// (A target-count mismatch is named in the target file's error, whose
// message names the matrix too.)
inline const std::filesystem::path& two_sample_design() {
  static const fixed_file file("design.mtx", "%%MatrixMarket matrix coordinate real general\n2 3 3\n1 1 1.5\n2 3 -1\n1 2 4\n");
  return file.path();
}
inline const std::filesystem::path& two_targets() {
  static const fixed_file file("targets.txt", "1\n-2\n");
  return file.path();
}

// A checkpoint's manifest and one rank's state file. A damaged checkpoint
// is bad input like any other: its checkpoint_error, which names the file,
// becomes an input_error.
inline void read_checkpoint_part(std::string_view reader, const std::filesystem::path& file) {
  try {
    if (reader == "checkpoint_manifest") {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      checkpoint::parse_manifest(text.str(), file);
    } else {
      checkpoint::read_state_file(file, {0, 1, 3});
    }
  } catch (const checkpoint::checkpoint_error& e) {
    throw input_error(file, 0, e.what());
  }
}

// Reads `file` with the named reader; input_error passes through.
inline void read_as(std::string_view reader, const std::filesystem::path& file) {
  if (reader.starts_with("checkpoint_")) read_checkpoint_part(reader, file);
  else if (reader == "snap") io::read_edge_list(file, io::graph_format::snap);
  else if (reader == "csv") io::read_edge_list(file, io::graph_format::csv);
  else if (reader == "adj") io::read_edge_list(file, io::graph_format::adj);
  else if (reader == "mtx") io::read_edge_list(file, io::graph_format::mtx);
  else if (reader == "ratings") cf::read_ratings(file, cf::rating_columns::with_value);
  else if (reader == "pairs") cf::read_ratings(file, cf::rating_columns::pair_only);
  else if (reader == "uci") lda::read_corpus(file, lda::corpus_format::uci);
  else if (reader == "text_corpus") lda::read_corpus(file, lda::corpus_format::text);
  else if (reader == "uai") bp::read_uai(file);
  else if (reader == "evidence") bp::read_evidence(file, small_model());
  else if (reader == "mar") bp::read_marginals(file, small_model());
  else if (reader == "libdai") bp::read_libdai(file);
  else if (reader == "libsvm") lasso::read_libsvm(file);
  else if (reader == "regression_csv") lasso::read_csv(file);
  else if (reader == "regression_mtx") lasso::read_mtx_design(file, two_targets());
  else if (reader == "regression_target") lasso::read_mtx_design(two_sample_design(), file);
  else if (reader == "image") denoise::read_image(file);
  else throw std::invalid_argument("no reader named " + std::string(reader));
}

}  // namespace gasworks::fuzz
