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

// What a factor gathers from one edge: the message its variable sent, and
// the message it sent that variable last (for damping and the change).
struct scope_message {
  std::uint32_t position = 0;
  std::vector<double> to_factor;
  std::vector<double> old_to_variable;
};

struct bp_gather {
  message_product product;           // variables
  std::vector<scope_message> scope;  // factors, ascending position

  // The messages a factor received, by scope position.
  auto incoming() const {
    return [this](std::size_t position) { return std::span<const double>(scope[position].to_factor); };
  }

  bp_gather& operator+=(const bp_gather& o) {
    product += o.product;
    if (!o.scope.empty()) {
      scope.insert(scope.end(), o.scope.begin(), o.scope.end());
      std::sort(scope.begin(), scope.end(), [](const auto& a, const auto& b) { return a.position < b.position; });
    }
    return *this;
  }
  void write_to(wire_writer& w) const {
    product.write_to(w);
    w.put(static_cast<std::uint32_t>(scope.size()));
    for (const auto& s : scope) {
      w.put(s.position);
      w.put(static_cast<std::uint32_t>(s.to_factor.size()));
      w.put_all(std::span<const double>(s.to_factor));
      w.put_all(std::span<const double>(s.old_to_variable));
    }
  }
  void read_from(wire_reader& r) {
    product.read_from(r);
    scope.resize(r.get<std::uint32_t>());
    for (auto& s : scope) {
      s.position = r.get<std::uint32_t>();
      const auto n = r.get<std::uint32_t>();
      s.to_factor.resize(n);
      s.old_to_variable.resize(n);
      r.get_all(std::span<double>(s.to_factor));
      r.get_all(std::span<double>(s.old_to_variable));
    }
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
