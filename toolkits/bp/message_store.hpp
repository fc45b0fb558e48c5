#pragma once
// The messages of a factor graph's edges. Variables and factors are the
// vertices of one bipartite graph (variable v is vertex 2v, factor f vertex
// 2f + 1; an edge goes from a factor to a variable of its scope). An edge's
// data says where its two messages start in this shard's arrays and which
// position of the factor's scope it stands for; the messages themselves, of
// the variable's cardinality each, are laid out once the graph is built.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "engine/comm/wire.hpp"
#include "engine/core/types.hpp"
#include "toolkits/bp/factor_model.hpp"

namespace gasworks::bp {

constexpr vertex_id variable_vertex(std::uint64_t v) noexcept { return 2 * v; }
constexpr vertex_id factor_vertex(std::uint64_t f) noexcept { return 2 * f + 1; }
constexpr bool is_variable(vertex_id id) noexcept { return id % 2 == 0; }
constexpr std::uint64_t index_of(vertex_id id) noexcept { return id / 2; }

// The edge data.
struct message_slot {
  std::uint64_t offset = 0;    // of the edge's messages in the store
  std::uint32_t position = 0;  // of the variable in the factor's scope
  std::uint32_t size = 0;      // the variable's cardinality
};

class message_store {
 public:
  // Lays out every edge's messages, uniform to start with; `residuals`:
  // also the changes unseen by receivers, which only the asynchronous
  // schedules keep.
  template <class Graph>
  void lay_out(Graph& g, bool residuals) {
    std::uint64_t next = 0;
    for (edge_index e = 0; e < g.structure().num_local_edges(); ++e) {
      g.edge_data(e).offset = next;
      next += g.edge_data(e).size;
    }
    to_variable_.assign(next, 0.0);
    to_factor_.assign(next, 0.0);
    if (residuals) {
      unseen_by_variable_.assign(next, 0.0);
      unseen_by_factor_.assign(next, 0.0);
    }
    for (edge_index e = 0; e < g.structure().num_local_edges(); ++e) {
      const message_slot& s = g.edge_data(e);
      for (std::uint32_t x = 0; x < s.size; ++x) to_variable_[s.offset + x] = to_factor_[s.offset + x] = 1.0 / s.size;
    }
  }

  std::span<double> to_variable(const message_slot& s) noexcept { return {to_variable_.data() + s.offset, s.size}; }
  std::span<const double> to_variable(const message_slot& s) const noexcept { return {to_variable_.data() + s.offset, s.size}; }
  std::span<double> to_factor(const message_slot& s) noexcept { return {to_factor_.data() + s.offset, s.size}; }
  std::span<const double> to_factor(const message_slot& s) const noexcept { return {to_factor_.data() + s.offset, s.size}; }

  // How much a message changed since its receiver last read it, summed over
  // its updates (an upper bound of the change, so that many small changes
  // cannot add up unseen): the asynchronous schedules' residuals. Kept at
  // the message's first entry.
  double& unseen_by_variable(const message_slot& s) noexcept { return unseen_by_variable_[s.offset]; }
  double& unseen_by_factor(const message_slot& s) noexcept { return unseen_by_factor_[s.offset]; }

  // Every message (and residual), as a checkpoint keeps them.
  void write_to(wire_writer& w) const {
    for (const auto* v : {&to_variable_, &to_factor_, &unseen_by_variable_, &unseen_by_factor_}) {
      w.put(static_cast<std::uint64_t>(v->size()));
      w.put_all(std::span<const double>(*v));
    }
  }
  void read_from(wire_reader& r) {
    for (auto* v : {&to_variable_, &to_factor_, &unseen_by_variable_, &unseen_by_factor_}) {
      if (r.get<std::uint64_t>() != v->size()) throw std::invalid_argument("saved messages of another factor graph layout");
      r.get_all(std::span<double>(*v));
    }
  }

 private:
  std::vector<double> to_variable_;  // factor-to-variable messages
  std::vector<double> to_factor_;    // variable-to-factor messages
  std::vector<double> unseen_by_variable_, unseen_by_factor_;
};

}  // namespace gasworks::bp
