#pragma once
// Grey-scale images in PNG and PGM files.
//
// Reading goes by the content, not the name: PNG by its 8-byte signature
// (any colour type and bit depth, converted to 8-bit grey by libpng; an alpha
// channel is dropped), PGM by "P5" (binary) or "P2" (ASCII), with '#'
// comments in the header and any maxval up to 65535 scaled to 0..255. A file
// that is neither, or whose data are malformed or cut short, is an
// input_error naming it.
//
// Every write goes to a temporary file renamed into place
// (io/atomic_output_file.hpp): a reader never sees half an image.
#include <filesystem>

#include "toolkits/denoise/grey_image.hpp"

namespace gasworks::denoise {

grey_image read_image(const std::filesystem::path& file);

// 8-bit grey PNG and binary (P5) PGM with maxval 255. Throw usage_error for
// an image without pixels or whose pixel count is not width x height, and
// std::runtime_error naming the file when it cannot be written.
void write_png(const std::filesystem::path& file, const grey_image& image);
void write_pgm(const std::filesystem::path& file, const grey_image& image);

// write_png for a ".png" file, write_pgm for ".pgm" (either case); any other
// name is a usage_error (an std::invalid_argument).
void write_image(const std::filesystem::path& file, const grey_image& image);

}  // namespace gasworks::denoise
