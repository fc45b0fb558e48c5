#pragma once
// The product of the messages a variable receives, per value, with the zero
// factors counted apart: products from several ranks combine, and one
// message can be divided out again exactly (a zero included) to give the
// message the variable sends back.
//
// Two forms. Linear (the default): the product of the nonzero entries,
// rescaled so that its largest entry is 1 whenever it grows small, which
// costs a multiplication per entry and a division per message sent. In
// logarithms (log domain): sums of logs, for messages whose entries span
// more than a double's range, where rescaling would flush the small ones.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/comm/wire.hpp"

namespace gasworks::bp {

class message_product {
 public:
  message_product() = default;
  explicit message_product(bool in_logs) noexcept : in_logs_(in_logs) {}

  bool empty() const noexcept { return value_.empty(); }

  // Multiplies a message in.
  void multiply(std::span<const double> m) {
    if (value_.empty()) {
      value_.assign(m.size(), in_logs_ ? 0.0 : 1.0);
      zeros_.assign(m.size(), 0);
    }
    for (std::size_t x = 0; x < m.size(); ++x) {
      if (!(m[x] > 0)) ++zeros_[x];
      else if (in_logs_) value_[x] += std::log(m[x]);
      else value_[x] *= m[x];
    }
    if (!in_logs_) rescale();
  }

  // Products of disjoint sets of messages (several ranks' edges) multiply.
  message_product& operator+=(const message_product& o) {
    if (o.empty()) return *this;
    if (empty()) return *this = o;
    for (std::size_t x = 0; x < value_.size(); ++x) {
      if (in_logs_) value_[x] += o.value_[x];
      else value_[x] *= o.value_[x];
      zeros_[x] += o.zeros_[x];
    }
    if (!in_logs_) rescale();
    return *this;
  }

  // out = prior x (this product without message m), normalised; m must be
  // one of the messages multiplied in (or empty: the whole product). A
  // product of nothing is the prior alone. No allocation.
  void times_without(std::span<const double> prior, std::span<const double> m, std::span<double> out) const {
    if (empty()) {
      std::copy(prior.begin(), prior.end(), out.begin());
    } else if (!in_logs_) {
      for (std::size_t x = 0; x < out.size(); ++x) {
        const bool m_zero = !m.empty() && !(m[x] > 0);
        const std::uint32_t zeros = zeros_[x] - (m_zero ? 1 : 0);
        out[x] = zeros > 0 ? 0.0 : prior[x] * (m.empty() || m_zero ? value_[x] : value_[x] / m[x]);
      }
    } else {
      // Logs relative to the largest finite one, so that exp does not underflow.
      double top = -INFINITY;
      for (std::size_t x = 0; x < out.size(); ++x) {
        const bool m_zero = !m.empty() && !(m[x] > 0);
        const std::uint32_t zeros = zeros_[x] - (m_zero ? 1 : 0);
        out[x] = zeros > 0 || !(prior[x] > 0) ? -INFINITY : value_[x] - (m.empty() || m_zero ? 0.0 : std::log(m[x]));
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

  // Crosses ranks as its form, its length, its values and its zero counts.
  void write_to(wire_writer& w) const {
    w.put(static_cast<std::uint8_t>(in_logs_));
    w.put(static_cast<std::uint32_t>(value_.size()));
    w.put_all(std::span<const double>(value_));
    w.put_all(std::span<const std::uint32_t>(zeros_));
  }
  void read_from(wire_reader& r) {
    in_logs_ = r.get<std::uint8_t>() != 0;
    const auto n = r.get<std::uint32_t>();
    value_.resize(n);
    zeros_.resize(n);
    r.get_all(std::span<double>(value_));
    r.get_all(std::span<std::uint32_t>(zeros_));
  }

 private:
  // Keeps the largest entry at 1 once it falls below 2^-500 (far from
  // underflow, rarely): the product matters only up to a constant factor.
  void rescale() {
    double largest = 0;
    for (double v : value_) largest = std::max(largest, v);
    if (largest > 0 && largest < 0x1p-500)
      for (double& v : value_) v /= largest;
  }

  bool in_logs_ = false;
  std::vector<double> value_;  // product of the nonzero entries, or the sum of their logs
  std::vector<std::uint32_t> zeros_;
};

}  // namespace gasworks::bp
