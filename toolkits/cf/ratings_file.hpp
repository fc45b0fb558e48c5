#pragma once
// Ratings files, read strictly.
//
//   text  one rating per line, "user item rating [timestamp]", fields
//         separated by tabs, spaces or commas (MovieLens u.data and
//         ratings.csv); blank lines and lines starting with '#' are skipped;
//         a first line made only of column names ("userId,movieId,rating,
//         timestamp") is skipped; ids are non-negative integers, ratings
//         finite numbers; a timestamp is ignored.
//   mtx   Matrix Market coordinate (users are rows, items columns), chosen
//         when the file starts with the "%%MatrixMarket" banner.
//
// Pair files (--predict) need only "user item"; further columns (a true
// rating, a timestamp) are ignored. Gzip files are read transparently.
// Every malformed line is an input_error naming the file and line.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "engine/comm/communicator.hpp"
#include "engine/io/line_reader.hpp"
#include "toolkits/cf/ratings.hpp"

namespace gasworks::cf {

enum class rating_columns {
  with_value,  // user item rating [timestamp]
  pair_only,   // user item [anything]
};

struct ratings_read {
  std::vector<rating> ratings;     // file order (value 0 for pairs)
  // The line of each rating, counted from the range's start (the file's line
  // numbers when the whole file is read); empty for Matrix Market files.
  std::vector<std::uint64_t> lines;
};

// Reads the lines that start in `range` (the whole file by default). A range
// without ratings is not an error here: the caller knows whether the whole
// file is empty.
ratings_read read_ratings(const std::filesystem::path& file, rating_columns columns, io::byte_range range = {});

// This rank's share of a ratings file: a byte range of a text file, or all
// of a gzip or Matrix Market file at rank 0 (nothing elsewhere).
ratings_read read_rank_ratings(communicator& ranks, const std::filesystem::path& file, rating_columns columns);

}  // namespace gasworks::cf
