#pragma once
// A well-mixed 64-bit hash from splitmix64. Placement, colouring priorities,
// seeded generators and per-vertex random starts all use it, so results
// never depend on the standard library's hashes.
#include <cstdint>

namespace gasworks {

// The increment of splitmix64's sequence (2^64 / golden ratio, odd).
inline constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;

// splitmix64's finaliser: a bijection on 64-bit words whose every output
// bit depends on every input bit.
constexpr std::uint64_t splitmix_finaliser(std::uint64_t x) noexcept {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// One step of splitmix64 from state x: the hash of an id.
constexpr std::uint64_t mix_hash(std::uint64_t x) noexcept { return splitmix_finaliser(x + golden_gamma); }

}  // namespace gasworks
