#pragma once
// The product of the messages a variable receives, kept per value as a sum
// of logarithms with the zero factors counted apart: products from several
// ranks combine by adding, and one message can be divided out again exactly
// (a zero included) to give the message the variable sends back.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/comm/wire.hpp"

namespace gasworks::bp {

class message_product {
 public:
  bool empty() const noexcept { return log_sum_.empty(); }

  // Multiplies a message in.
  void multiply(std::span<const double> m) {
    if (log_sum_.empty()) {
      log_sum_.assign(m.size(), 0.0);
      zeros_.assign(m.size(), 0);
    }
    for (std::size_t x = 0; x < m.size(); ++x) {
      if (m[x] > 0) log_sum_[x] += std::log(m[x]);
      else ++zeros_[x];
    }
  }

  // Products of disjoint sets of messages (several ranks' edges) multiply.
  message_product& operator+=(const message_product& o) {
    if (o.empty()) return *this;
    if (empty()) return *this = o;
    for (std::size_t x = 0; x < log_sum_.size(); ++x) {
      log_sum_[x] += o.log_sum_[x];
      zeros_[x] += o.zeros_[x];
    }
    return *this;
  }

  // out = prior x (this product without message m), normalised; m must be
  // one of the messages multiplied in (or empty: the whole product). A
  // product of nothing is the prior alone. No allocation: out holds the
  // logarithms first.
  void times_without(std::span<const double> prior, std::span<const double> m, std::span<double> out) const {
    if (empty()) {
      std::copy(prior.begin(), prior.end(), out.begin());
    } else {
      // Logs relative to the largest finite one, so that exp does not underflow.
      double top = -INFINITY;
      for (std::size_t x = 0; x < out.size(); ++x) {
        const bool m_zero = !m.empty() && !(m[x] > 0);
        const std::uint32_t zeros = zeros_[x] - (m_zero ? 1 : 0);
        out[x] = zeros > 0 || !(prior[x] > 0) ? -INFINITY : log_sum_[x] - (m.empty() || m_zero ? 0.0 : std::log(m[x]));
        top = std::max(top, out[x]);
      }
      for (std::size_t x = 0; x < out.size(); ++x) out[x] = out[x] == -INFINITY ? 0.0 : prior[x] * std::exp(out[x] - top);
    }
    double sum = 0;
    for (double p : out) sum += p;
    if (sum > 0)
      for (double& p : out) p /= sum;
  }

  std::vector<double> times_without(std::span<const double> prior, std::span<const double> m) const {
    std::vector<double> out(prior.size());
    times_without(prior, m, out);
    return out;
  }

  // Crosses ranks as its length, its log sums and its zero counts.
  void write_to(wire_writer& w) const {
    w.put(static_cast<std::uint32_t>(log_sum_.size()));
    w.put_all(std::span<const double>(log_sum_));
    w.put_all(std::span<const std::uint32_t>(zeros_));
  }
  void read_from(wire_reader& r) {
    const auto n = r.get<std::uint32_t>();
    log_sum_.resize(n);
    zeros_.resize(n);
    r.get_all(std::span<double>(log_sum_));
    r.get_all(std::span<std::uint32_t>(zeros_));
  }

 private:
  std::vector<double> log_sum_;
  std::vector<std::uint32_t> zeros_;
};

}  // namespace gasworks::bp
