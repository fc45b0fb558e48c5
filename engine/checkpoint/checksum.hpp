#pragma once
// A 64-bit checksum of bytes, to tell a damaged or truncated file from an
// intact one (not a cryptographic hash: it guards against accidents, not
// attackers). Bytes are taken eight at a time in four independent lanes, so
// it runs at memory speed; the same bytes give the same checksum whether
// they arrive at once or in pieces.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace gasworks::checkpoint {

class checksum_stream {
 public:
  void add(std::span<const std::byte> bytes) noexcept;
  // The checksum of everything added so far (adding may go on afterwards).
  std::uint64_t value() const noexcept;

 private:
  void add_block(const std::byte* block) noexcept;

  static constexpr std::size_t block_bytes = 32;  // four lanes of eight bytes
  std::array<std::uint64_t, 4> lanes_{0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL,
                                      0x082efa98ec4e6c89ULL};
  std::array<std::byte, block_bytes> pending_{};
  std::size_t pending_size_ = 0;
  std::uint64_t total_ = 0;
};

inline std::uint64_t checksum(std::span<const std::byte> bytes) noexcept {
  checksum_stream s;
  s.add(bytes);
  return s.value();
}

}  // namespace gasworks::checkpoint
