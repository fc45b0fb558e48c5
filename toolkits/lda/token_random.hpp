#pragma once
// The random numbers of a sampler: a splitmix64 sequence from a key, so
// that a document's draws depend on what the key is made of (seed, sweep,
// document) and on nothing else, whichever thread runs it.
#include <cstdint>

#include "engine/core/mix_hash.hpp"

namespace gasworks::lda {

class token_random {
 public:
  explicit token_random(std::uint64_t key) noexcept : state_(key) {}
  // Uniform in [0, 1), 53 bits.
  double uniform() noexcept {
    state_ += golden_gamma;
    return static_cast<double>(splitmix_finaliser(state_) >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

}  // namespace gasworks::lda
