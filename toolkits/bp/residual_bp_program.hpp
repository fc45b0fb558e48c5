#pragma once
// Belief propagation for the asynchronous engine: any vertex may run at any
// time, and a run recomputes every message the vertex sends from the
// newest messages it receives.
//   variable  multiplies its factors' messages (gather) and sends each
//             factor its prior times the others (scatter);
//   factor    collects its scope's messages (gather), computes every
//             outgoing message at its master, damped (apply), and sends
//             each (scatter).
// A sent message whose change since its receiver last read it exceeds the
// tolerance signals the receiver with that change as priority; several
// signals keep the largest. With the priority scheduler this is residual belief propagation
// (Elidan, McGraw and Koller 2006), by vertex as in Gonzalez, Low and
// Guestrin's Residual Splash (2009): the vertex whose pending messages
// changed most runs first, and vertices whose inputs have settled never run
// again. With the sweep scheduler, round-robin passes run the signalled
// vertices. Edge consistency keeps a vertex's two ends from running at once,
// so a message is never read while it is written.
//
// A checkpoint of an asynchronous run holds every message with its change
// not yet read, and the driver's count of the rounds before this one
// (async_rounds, belief_propagation.hpp).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/gas/signal_priority.hpp"
#include "engine/gas/vertex_program.hpp"
#include "toolkits/bp/bp_settings.hpp"
#include "toolkits/bp/bp_vertex.hpp"
#include "toolkits/bp/factor_messages.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/bp/message_store.hpp"
#include "toolkits/bp/vertex_messages.hpp"

namespace gasworks::bp {

// What the rounds of an asynchronous schedule before the one under way did
// (run_bp runs the schedule again while the flooding check finds a message
// still moving): saved with every checkpoint, so that a resumed run knows
// its round.
struct async_rounds {
  std::uint64_t round = 1;       // the round under way, from 1
  std::uint64_t updates = 0;     // updates of the rounds before it
  std::uint64_t supersteps = 0;  // rounds of colour phases before it
  std::uint64_t reports = 0;     // progress reports before it
};

class residual_bp_program : public program_types<bp_vertex, message_slot> {
 public:
  using gather_type = bp_gather;

  residual_bp_program(std::shared_ptr<const factor_model> model, const evidence& observed, const bp_settings& s,
                      message_store& messages, async_rounds& rounds)
      : model_(std::move(model)),
        settings_(s),
        messages_(&messages),
        rounds_(&rounds),
        priors_(clamped_priors(*model_, observed)) {}

  void save_state(wire_writer& w) const {
    w.put(*rounds_);
    messages_->write_to(w);
  }
  void restore_state(wire_reader& r) {
    *rounds_ = r.get<async_rounds>();
    messages_->read_from(r);
  }

  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type&) const {
    return edge_dir::all;
  }

  // Reading its messages, the vertex has seen every change they made.
  template <class Ctx>
  bp_gather gather_local(const Ctx&, const vertex_type& v, const local_edges<graph_type>& edges) const {
    const bool variable = is_variable(v.id());
    edges.for_each([&](const edge_type& e) {
      (variable ? messages_->unseen_by_variable(e.data()) : messages_->unseen_by_factor(e.data())) = 0;
    });
    return gather_incoming(*model_, v.id(), edges, *messages_, settings_.log_domain);
  }

  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, const bp_gather& total) const {
    bp_vertex& data = v.data();
    ++data.updates;
    if (is_variable(v.id())) {
      data.product = total.product;
      return;
    }
    const factor& fac = model_->factors[index_of(v.id())];
    thread_local std::vector<std::size_t> start;
    message_starts(*model_, fac, start);
    compute_factor_messages(*model_, fac, start, total.incoming(start), settings_.task, settings_.log_domain, data.outgoing);
    if (settings_.damping > 0)
      for (std::size_t i = 0; i < fac.scope.size(); ++i)
        damp(std::span<double>(data.outgoing.data() + start[i], start[i + 1] - start[i]), total.sent(start, i), settings_.damping);
  }

  template <class Ctx>
  edge_dir scatter_edges(const Ctx&, const vertex_type&) const {
    return edge_dir::all;
  }

  template <class Ctx>
  void scatter_local(const Ctx& ctx, const vertex_type& v, const local_edges<graph_type>& edges) const {
    // Edges run from a factor to a variable: a variable signals the source,
    // a factor the target.
    if (is_variable(v.id())) {
      send_variable_messages(v.data(), priors_[index_of(v.id())], edges, *messages_, [&](const auto& e, double change) {
        const double unseen = messages_->unseen_by_factor(e.data()) += change;
        if (unseen > settings_.tolerance) ctx.signal(e.source(), priority{unseen});
      });
    } else {
      double largest = 0;
      send_factor_messages(*model_, model_->factors[index_of(v.id())], v.data(), edges, *messages_,
                           [&](const auto& e, double change) {
                             largest = std::max(largest, change);
                             const double unseen = messages_->unseen_by_variable(e.data()) += change;
                             if (unseen > settings_.tolerance) ctx.signal(e.target(), priority{unseen});
                           });
      // A damped message moved only part of the way to its new value: the
      // factor runs again until its own steps fall below the tolerance.
      if (settings_.damping > 0 && largest > settings_.tolerance) ctx.signal(v, priority{largest});
    }
  }

 private:
  std::shared_ptr<const factor_model> model_;
  bp_settings settings_;
  message_store* messages_;
  async_rounds* rounds_;
  std::vector<std::vector<double>> priors_;
};

}  // namespace gasworks::bp
