#pragma once
// The data of belief propagation's vertices and what their gathers collect:
// a variable keeps the product of the messages it receives, a factor the
// messages it sends; a factor gathers the messages of its scope.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/comm/wire.hpp"
#include "toolkits/bp/message_product.hpp"

namespace gasworks::bp {

// A variable's product of incoming messages, or a factor's outgoing
// messages (concatenated in scope order).
struct bp_vertex {
  message_product product;
  std::vector<double> outgoing;
  std::uint64_t updates = 0;  // times the vertex recomputed its messages (asynchronous schedules)

  void write_to(wire_writer& w) const {
    w.put(updates);
    product.write_to(w);
    w.put(static_cast<std::uint32_t>(outgoing.size()));
    w.put_all(std::span<const double>(outgoing));
  }
  void read_from(wire_reader& r) {
    updates = r.get<std::uint64_t>();
    product.read_from(r);
    outgoing.resize(r.get<std::uint32_t>());
    r.get_all(std::span<double>(outgoing));
  }
};

// What a vertex gathers. A variable: the product of its factors' messages.
// A factor: for each position of its scope, the message it received and the
// one it sent last (for damping and the change), at 2 start(i) in one array
// laid out for the whole scope (start(i): the cardinalities before i). Each
// rank fills the positions it holds and leaves zeros elsewhere, so partial
// gathers combine by adding, with one allocation per gather.
struct bp_gather {
  message_product product;
  std::vector<double> scope;

  // The message received from position i, and the one sent there last;
  // `start` as message_starts gives it.
  std::span<const double> received(std::span<const std::size_t> start, std::size_t i) const noexcept {
    return {scope.data() + 2 * start[i], start[i + 1] - start[i]};
  }
  std::span<const double> sent(std::span<const std::size_t> start, std::size_t i) const noexcept {
    return {scope.data() + start[i] + start[i + 1], start[i + 1] - start[i]};
  }
  auto incoming(std::span<const std::size_t> start) const {
    return [this, start](std::size_t i) { return received(start, i); };
  }

  bp_gather& operator+=(const bp_gather& o) {
    product += o.product;
    if (scope.empty()) scope = o.scope;
    else
      for (std::size_t k = 0; k < o.scope.size(); ++k) scope[k] += o.scope[k];
    return *this;
  }
  void write_to(wire_writer& w) const {
    product.write_to(w);
    w.put(static_cast<std::uint32_t>(scope.size()));
    w.put_all(std::span<const double>(scope));
  }
  void read_from(wire_reader& r) {
    product.read_from(r);
    scope.resize(r.get<std::uint32_t>());
    r.get_all(std::span<double>(scope));
  }
};

// What a step's applies add up to: the largest change of a message entry
// (combined by maximum) and terms of the Bethe free energy (by sum).
struct step_totals {
  double largest_change = 0;
  double bethe = 0;
  step_totals& operator+=(const step_totals& o) noexcept {
    largest_change = std::max(largest_change, o.largest_change);
    bethe += o.bethe;
    return *this;
  }
};

}  // namespace gasworks::bp
