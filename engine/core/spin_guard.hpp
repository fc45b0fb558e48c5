#pragma once
// Holds a spin lock (an atomic_flag) for a scope of a few instructions, such
// as combining a message into a vertex's slot.
#include <atomic>

namespace gasworks {

class spin_guard {
 public:
  explicit spin_guard(std::atomic_flag& flag) noexcept : flag_(flag) {
    while (flag_.test_and_set(std::memory_order_acquire))
      while (flag_.test(std::memory_order_relaxed)) {}
  }
  ~spin_guard() { flag_.clear(std::memory_order_release); }
  spin_guard(const spin_guard&) = delete;
  spin_guard& operator=(const spin_guard&) = delete;

 private:
  std::atomic_flag& flag_;
};

}  // namespace gasworks
