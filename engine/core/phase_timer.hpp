#pragma once
// Named phases of a superstep and the time spent in each.
#include <array>
#include <chrono>
#include <cstddef>
#include <string_view>

namespace gasworks {

enum class phase : std::size_t { init, gather, apply, scatter, exchange, hooks, count };

constexpr std::array<std::string_view, static_cast<std::size_t>(phase::count)> phase_names = {
    "init", "gather", "apply", "scatter", "exchange", "hooks"};

struct phase_times {
  std::array<double, static_cast<std::size_t>(phase::count)> seconds{};

  double& operator[](phase p) noexcept { return seconds[static_cast<std::size_t>(p)]; }
  double operator[](phase p) const noexcept { return seconds[static_cast<std::size_t>(p)]; }
  phase_times& operator+=(const phase_times& other) noexcept {
    for (std::size_t i = 0; i < seconds.size(); ++i) seconds[i] += other.seconds[i];
    return *this;
  }
};

class stopwatch {
 public:
  using clock = std::chrono::steady_clock;
  stopwatch() noexcept : start_(clock::now()) {}
  double seconds() const noexcept { return std::chrono::duration<double>(clock::now() - start_).count(); }
  void restart() noexcept { start_ = clock::now(); }

 private:
  clock::time_point start_;
};

// Adds the time of a scope to one phase.
class scoped_phase {
 public:
  scoped_phase(phase_times& times, phase p) noexcept : times_(times), phase_(p) {}
  ~scoped_phase() { times_[phase_] += watch_.seconds(); }
  scoped_phase(const scoped_phase&) = delete;
  scoped_phase& operator=(const scoped_phase&) = delete;

 private:
  phase_times& times_;
  phase phase_;
  stopwatch watch_;
};

}  // namespace gasworks
