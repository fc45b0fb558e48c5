#include "engine/checkpoint/checksum.hpp"

#include <algorithm>
#include <cstring>

#include "engine/core/mix_hash.hpp"

namespace gasworks::checkpoint {

namespace {

constexpr std::uint64_t prime_1 = 0x9e3779b185ebca87ULL;
constexpr std::uint64_t prime_2 = 0xc2b2ae3d27d4eb4fULL;

constexpr std::uint64_t rotate_left(std::uint64_t x, int bits) noexcept { return (x << bits) | (x >> (64 - bits)); }

// One lane's step, as in xxHash64: every input bit reaches every lane bit
// after a few steps, and a changed word always changes the lane.
constexpr std::uint64_t lane_step(std::uint64_t lane, std::uint64_t word) noexcept {
  return rotate_left(lane + word * prime_2, 31) * prime_1;
}

std::uint64_t load_word(const std::byte* at) noexcept {
  std::uint64_t word;
  std::memcpy(&word, at, sizeof word);
  return word;
}

}  // namespace

void checksum_stream::add_block(const std::byte* block) noexcept {
  for (std::size_t i = 0; i < lanes_.size(); ++i) lanes_[i] = lane_step(lanes_[i], load_word(block + 8 * i));
}

void checksum_stream::add(std::span<const std::byte> bytes) noexcept {
  if (bytes.empty()) return;  // (an empty span's data may be null, which memcpy must not see)
  total_ += bytes.size();
  std::size_t at = 0;
  if (pending_size_ > 0) {
    const std::size_t take = std::min(block_bytes - pending_size_, bytes.size());
    std::memcpy(pending_.data() + pending_size_, bytes.data(), take);
    pending_size_ += take;
    at = take;
    if (pending_size_ < block_bytes) return;
    add_block(pending_.data());
    pending_size_ = 0;
  }
  for (; at + block_bytes <= bytes.size(); at += block_bytes) add_block(bytes.data() + at);
  pending_size_ = bytes.size() - at;
  if (pending_size_ > 0) std::memcpy(pending_.data(), bytes.data() + at, pending_size_);
}

std::uint64_t checksum_stream::value() const noexcept {
  std::uint64_t h = total_;
  for (std::size_t i = 0; i < lanes_.size(); ++i) h = splitmix_finaliser(h ^ rotate_left(lanes_[i], static_cast<int>(7 * i + 1)));
  // The tail that does not fill a block, byte by byte, with its length.
  for (std::size_t i = 0; i < pending_size_; ++i)
    h = splitmix_finaliser(h ^ (static_cast<std::uint64_t>(pending_[i]) + (std::uint64_t{i + 1} << 8)));
  return h;
}

}  // namespace gasworks::checkpoint
