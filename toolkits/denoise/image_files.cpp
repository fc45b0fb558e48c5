#include "toolkits/denoise/image_files.hpp"

#include <png.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.hpp"
#include "engine/io/atomic_output_file.hpp"
#include "engine/io/read_edge_list.hpp"

namespace gasworks::denoise {

namespace {

// A guard against allocating what a corrupt header claims: 2^30 pixels is a
// 32768 x 32768 image, far beyond what BP on a grid model is run on.
constexpr std::uint64_t max_pixels = std::uint64_t{1} << 30;

constexpr std::array<unsigned char, 8> png_signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

std::string quoted_path(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

void check_size(const std::filesystem::path& file, std::uint64_t line, std::uint64_t width, std::uint64_t height) {
  if (width * height > max_pixels) {
    throw input_error(file, line, "an image of " + std::to_string(width) + " x " + std::to_string(height) +
                                      " pixels exceeds the 2^30 pixels this reader accepts");
  }
}

// ---------------------------------------------------------------- reading

struct file_closer {
  void operator()(std::FILE* stream) const noexcept { std::fclose(stream); }
};

std::vector<unsigned char> read_whole_file(const std::filesystem::path& file) {
  const std::unique_ptr<std::FILE, file_closer> stream(std::fopen(file.c_str(), "rb"));
  if (!stream) throw input_error(file, 0, std::string("cannot open: ") + std::strerror(errno));
  std::vector<unsigned char> content;
  constexpr std::size_t block = std::size_t{1} << 16;
  for (;;) {
    const std::size_t old_size = content.size();
    content.resize(old_size + block);
    const std::size_t got = std::fread(content.data() + old_size, 1, block, stream.get());
    content.resize(old_size + got);
    if (got < block) break;
  }
  // A directory opens fine and fails here, with EISDIR.
  if (std::ferror(stream.get())) throw input_error(file, 0, std::string("cannot read: ") + std::strerror(errno));
  return content;
}

bool is_png(const std::vector<unsigned char>& content) {
  return content.size() >= png_signature.size() && std::equal(png_signature.begin(), png_signature.end(), content.begin());
}

bool is_pgm(const std::vector<unsigned char>& content) {
  return content.size() >= 3 && content[0] == 'P' && (content[1] == '2' || content[1] == '5') &&
         std::isspace(content[2]);
}

// libpng's simplified API keeps its setjmp/longjmp inside libpng and reports
// failure as a return value and `message`, so no C++ frame is ever jumped
// over. This owner frees libpng's state on every path, exceptions included.
struct png_reading {
  png_image image{};
  png_reading() { image.version = PNG_IMAGE_VERSION; }
  ~png_reading() { png_image_free(&image); }
  png_reading(const png_reading&) = delete;
  png_reading& operator=(const png_reading&) = delete;
};

grey_image read_png(const std::filesystem::path& file, const std::vector<unsigned char>& content) {
  png_reading png;
  if (!png_image_begin_read_from_memory(&png.image, content.data(), content.size()))
    throw input_error(file, 0, std::string("bad PNG data: ") + png.image.message);
  check_size(file, 0, png.image.width, png.image.height);
  // 16-bit samples without gamma information are scaled like PGM's, not
  // taken as linear light (libpng's default would brighten them).
  png.image.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
  // An alpha channel is read and then dropped, rather than composited onto
  // some background: the grey levels are what the picture records.
  const bool has_alpha = (png.image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  png.image.format = has_alpha ? PNG_FORMAT_GA : PNG_FORMAT_GRAY;
  const unsigned channels = has_alpha ? 2 : 1;

  grey_image result;
  result.width = png.image.width;
  result.height = png.image.height;
  std::vector<std::uint8_t> samples(result.pixel_count() * channels);
  const auto row_stride = static_cast<png_int_32>(result.width * channels);
  if (!png_image_finish_read(&png.image, nullptr, samples.data(), row_stride, nullptr))
    throw input_error(file, 0, std::string("bad PNG data: ") + png.image.message);
  if (has_alpha) {
    result.pixels.resize(result.pixel_count());
    for (std::size_t i = 0; i < result.pixels.size(); ++i) result.pixels[i] = samples[2 * i];
  } else {
    result.pixels = std::move(samples);
  }
  return result;
}

// The PGM header's tokens (and P2's pixels) with the line each is on.
class pgm_parser {
 public:
  pgm_parser(const std::filesystem::path& file, const std::vector<unsigned char>& content)
      : file_(file), content_(content) {}

  // Whitespace and comments, which run from '#' to the end of their line.
  void skip_blanks() {
    while (position_ < content_.size()) {
      const unsigned char c = content_[position_];
      if (c == '#') {
        skip_comment();
      } else if (std::isspace(c)) {
        if (c == '\n') ++line_;
        ++position_;
      } else {
        return;
      }
    }
  }

  void skip_comment() {
    while (position_ < content_.size() && content_[position_] != '\n' && content_[position_] != '\r') ++position_;
  }

  std::uint64_t expect_integer(std::string_view what, std::uint64_t min, std::uint64_t max) {
    skip_blanks();
    if (at_end()) throw error("expected " + std::string(what) + ", got the end of the file");
    const std::string_view token = next_token();
    std::uint64_t value = 0;
    const char* const last = token.data() + token.size();
    const auto [stop, status] = std::from_chars(token.data(), last, value);
    if (status != std::errc{} || stop != last || value < min || value > max) {
      throw error("expected " + std::string(what) + " in [" + std::to_string(min) + ", " + std::to_string(max) +
                  "], got " + io::detail::quoted(token));
    }
    return value;
  }

  // A token ends at whitespace or at a comment.
  std::string_view next_token() {
    const std::size_t begin = position_;
    while (position_ < content_.size() && !std::isspace(content_[position_]) && content_[position_] != '#') ++position_;
    return {reinterpret_cast<const char*>(content_.data()) + begin, position_ - begin};
  }

  // P5's raster starts after the single whitespace character that ends the
  // maxval (a comment may come between them).
  std::size_t start_of_raster() {
    if (position_ < content_.size() && content_[position_] == '#') skip_comment();
    if (position_ >= content_.size() || !std::isspace(content_[position_]))
      throw error("expected a whitespace character after the maxval, then the pixels");
    return position_ + 1;
  }

  bool at_end() const noexcept { return position_ >= content_.size(); }
  std::size_t remaining() const noexcept { return content_.size() - position_; }
  input_error error(const std::string& message) const { return input_error(file_, line_, message); }

 private:
  const std::filesystem::path& file_;
  const std::vector<unsigned char>& content_;
  std::size_t position_ = 2;  // after "P2" or "P5"
  std::uint64_t line_ = 1;
};

grey_image read_pgm(const std::filesystem::path& file, const std::vector<unsigned char>& content) {
  const bool binary = content[1] == '5';
  pgm_parser in(file, content);
  constexpr std::uint64_t largest_side = std::numeric_limits<std::uint32_t>::max();
  const std::uint64_t width = in.expect_integer("the width", 1, largest_side);
  const std::uint64_t height = in.expect_integer("the height", 1, largest_side);
  const std::uint64_t maxval = in.expect_integer("the maxval", 1, 65535);
  check_size(file, 0, width, height);
  grey_image result;
  result.width = static_cast<std::uint32_t>(width);
  result.height = static_cast<std::uint32_t>(height);
  const std::size_t count = result.pixel_count();
  // Rounded to the nearest of 0..255, in integers so that every maxval maps
  // its ends to 0 and 255 exactly.
  const auto scaled = [maxval](std::uint64_t value) {
    return static_cast<std::uint8_t>((value * 255 + maxval / 2) / maxval);
  };

  if (binary) {
    const std::size_t raster = in.start_of_raster();
    const std::size_t bytes_per_sample = maxval < 256 ? 1 : 2;
    const std::size_t available = content.size() - raster;
    if (available / bytes_per_sample < count) {
      throw input_error(file, 0, "truncated: " + std::to_string(width) + " x " + std::to_string(height) + " pixels need " +
                                     std::to_string(count * bytes_per_sample) + " bytes of data, the file has " +
                                     std::to_string(available));
    }
    // Bytes after the raster are ignored: netpbm allows several images in
    // one file, and this reads the first.
    result.pixels.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      const unsigned char* sample = content.data() + raster + i * bytes_per_sample;
      const std::uint64_t value = bytes_per_sample == 1 ? sample[0] : (std::uint64_t{sample[0]} << 8) | sample[1];
      if (value > maxval) {
        throw input_error(file, 0, "pixel (" + std::to_string(i % width) + ", " + std::to_string(i / width) + ") is " +
                                       std::to_string(value) + ", above the maxval " + std::to_string(maxval));
      }
      result.pixels[i] = scaled(value);
    }
    return result;
  }

  // Every ASCII pixel takes at least two bytes (a digit and a separator, but
  // the last): a shorter file is refused before allocating for its claim.
  if (in.remaining() / 2 + 1 < count) {
    throw input_error(file, 0, "truncated: " + std::to_string(width) + " x " + std::to_string(height) +
                                   " pixels cannot fit in the " + std::to_string(in.remaining()) +
                                   " bytes after the header");
  }
  result.pixels.reserve(count);
  for (std::size_t i = 0; i < count; ++i) result.pixels.push_back(scaled(in.expect_integer("a pixel", 0, maxval)));
  in.skip_blanks();
  if (!in.at_end()) {
    throw in.error("expected the end of the file after " + std::to_string(width) + " x " + std::to_string(height) +
                   " pixels, got " + io::detail::quoted(in.next_token()));
  }
  return result;
}

// ---------------------------------------------------------------- writing

void check_writable(const grey_image& image, std::string_view format) {
  if (image.width == 0 || image.height == 0)
    throw usage_error("cannot write a " + std::to_string(image.width) + " x " + std::to_string(image.height) + " image as " +
                      std::string(format) + ": it has no pixels");
  if (image.pixels.size() != image.pixel_count()) {
    throw usage_error("cannot write a " + std::to_string(image.width) + " x " + std::to_string(image.height) +
                      " image with " + std::to_string(image.pixels.size()) + " pixels");
  }
}

void write_bytes(const std::filesystem::path& file, const void* bytes, std::size_t size) {
  io::atomic_output_file out(file);
  out.stream().write(static_cast<const char*>(bytes), static_cast<std::streamsize>(size));
  out.commit();
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

grey_image read_image(const std::filesystem::path& file) {
  const std::vector<unsigned char> content = read_whole_file(file);
  if (is_png(content)) return read_png(file, content);
  if (is_pgm(content)) return read_pgm(file, content);
  throw input_error(file, 0, "not a PNG or PGM image");
}

void write_png(const std::filesystem::path& file, const grey_image& image) {
  check_writable(image, "PNG");
  if (image.width > static_cast<std::uint32_t>(std::numeric_limits<png_int_32>::max()))
    throw usage_error("cannot write an image " + std::to_string(image.width) + " pixels wide as PNG");
  // Encoded in memory, then written through the atomic file. libpng's
  // writer frees its own state on every path; its first pass only measures.
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = image.width;
  png.height = image.height;
  png.format = PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, image.pixels.data(), 0, nullptr))
    throw std::runtime_error("cannot encode " + quoted_path(file) + " as PNG: " + png.message);
  std::vector<unsigned char> encoded(size);
  if (!png_image_write_to_memory(&png, encoded.data(), &size, 0, image.pixels.data(), 0, nullptr))
    throw std::runtime_error("cannot encode " + quoted_path(file) + " as PNG: " + png.message);
  write_bytes(file, encoded.data(), size);
}

void write_pgm(const std::filesystem::path& file, const grey_image& image) {
  check_writable(image, "PGM");
  io::atomic_output_file out(file);
  out.stream() << "P5\n" << image.width << ' ' << image.height << "\n255\n";
  out.stream().write(reinterpret_cast<const char*>(image.pixels.data()), static_cast<std::streamsize>(image.pixels.size()));
  out.commit();
}

void write_image(const std::filesystem::path& file, const grey_image& image) {
  const std::string extension = lower_case(file.extension().string());
  if (extension == ".png") return write_png(file, image);
  if (extension == ".pgm") return write_pgm(file, image);
  throw usage_error("cannot tell which image format to write " + quoted_path(file) + " in: name it .png or .pgm");
}

}  // namespace gasworks::denoise
