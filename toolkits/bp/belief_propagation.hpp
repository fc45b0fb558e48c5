#pragma once
// Belief propagation on a factor model: its graph (variables and factors as
// vertices, an edge per scope position), and a run to a fixed point with
// the chosen schedule (flooding on the synchronous engine, residual or sweep
// on the asynchronous one), returning every variable's belief at rank 0.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "engine/async_engine.hpp"
#include "engine/async/priority_scheduler.hpp"
#include "engine/async/sweep_scheduler.hpp"
#include "engine/comm/communicator.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "engine/ingress/gather_at_root.hpp"
#include "engine/sync/sync_engine.hpp"
#include "toolkits/bp/bp_program.hpp"
#include "toolkits/bp/bp_settings.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/bp/message_store.hpp"
#include "toolkits/bp/residual_bp_program.hpp"

namespace gasworks::bp {

using factor_graph = graph<bp_vertex, message_slot>;

// This rank's shard of the model's graph: every rank holds the whole model
// and hands ingress the edges of its share of the factors (f mod ranks).
inline factor_graph load_factor_graph(const std::shared_ptr<communicator>& ranks, const factor_model& m,
                                      ingress_options options = {}, ingress_report* report = nullptr) {
  std::vector<routed_edge<message_slot>> edges;
  for (std::size_t f = static_cast<std::size_t>(ranks->rank()); f < m.factors.size(); f += static_cast<std::size_t>(ranks->size()))
    for (std::uint32_t i = 0; i < m.factors[f].scope.size(); ++i) {
      const variable_id v = m.factors[f].scope[i];
      edges.push_back({factor_vertex(f), variable_vertex(v), {0, i, m.cardinality[v]}});
    }
  // Every variable is a vertex, those in no factor too (they keep their prior).
  std::vector<vertex_id> declared;
  if (ranks->rank() == 0)
    for (std::size_t v = 0; v < m.variables(); ++v) declared.push_back(variable_vertex(v));
  const auto order = options.policy.order;
  options.policy = {};
  options.policy.parallel_edges = ingress_policy::duplicates::keep;
  options.policy.order = order;
  return build_shard<bp_vertex, message_slot>(ranks, std::move(edges), std::move(declared), options, report);
}

struct bp_result {
  run_summary run;  // asynchronous schedules: updates, rounds of colour phases and the reason summed over the rounds
  std::uint64_t iterations = 0;  // sync: flooding iterations
  std::uint64_t message_updates = 0;  // messages computed, both directions
  double residual = 0;  // the largest change of a message entry in the last flooding iteration
  bool converged = false;
  double log_partition = 0;  // the Bethe estimate of log Z
  marginals beliefs;         // at rank 0, by variable; empty elsewhere
  std::vector<std::uint32_t> labels;  // map task, at rank 0: each variable's most probable value
};

namespace detail {

// The messages of one flooding iteration: two per edge.
inline std::uint64_t messages_per_iteration(const factor_model& m) {
  std::uint64_t edges = 0;
  for (const auto& f : m.factors) edges += f.scope.size();
  return 2 * edges;
}

// The messages the asynchronous updates computed, at rank 0: each update of
// a vertex recomputes one message per edge.
inline std::uint64_t messages_computed(factor_graph& g, const factor_model& m) {
  std::vector<std::uint64_t> factors_of(m.variables(), 0);
  for (const auto& f : m.factors)
    for (variable_id v : f.scope) ++factors_of[v];
  std::uint64_t computed = 0;
  for (const auto& [id, count] : gather_at_root(g, [](const auto& v) { return v.data().updates; }))
    computed += count * (is_variable(id) ? factors_of[index_of(id)] : m.factors[index_of(id)].scope.size());
  return computed;
}

// One run of an asynchronous schedule from every vertex, until no message
// changed by more than the tolerance since its receiver read it, or a limit.
template <class Scheduler>
run_summary run_asynchronously(factor_graph& g, const std::shared_ptr<const factor_model>& m, const evidence& observed,
                               const bp_settings& s, const async_options& options, message_store& messages,
                               async_rounds& rounds, const std::function<void(const superstep_report&)>& observer) {
  async_engine<residual_bp_program, Scheduler> engine(g, residual_bp_program(m, observed, s, messages, rounds), options, {});
  if (observer) engine.on_progress(observer);
  // Every factor and observed variable once, ahead of any change a message
  // can make (at most 1). The others would send what they sent last: with
  // their factors' messages unchanged, their messages are too. (A run that
  // resumes a checkpoint starts from the signals it saved instead.)
  for (std::size_t f = 0; f < m->factors.size(); ++f) engine.signal(factor_vertex(f), priority{2.0});
  for (const auto& [v, value] : observed) engine.signal(variable_vertex(v), priority{2.0});
  const run_summary ran = engine.run();
  rounds.reports = engine.progress_reports();  // read by the next round
  return ran;
}

// A flooding run from the messages as they stand, made in `engine`.
inline sync_engine<bp_program>& start_flooding(std::optional<sync_engine<bp_program>>& engine, factor_graph& g,
                                               const std::shared_ptr<const factor_model>& m, const evidence& observed,
                                               const bp_settings& s, message_store& messages) {
  engine_options limits;
  limits.checkpoints = s.checkpoints;
  engine.emplace(g, bp_program(m, observed, s, messages), limits);
  engine->signal_where([](const auto& v) { return is_variable(v.id()); });
  return *engine;
}

}  // namespace detail

// A run of belief propagation with the settings' schedule. The
// asynchronous schedules end with one flooding iteration from the messages
// they reached: it measures the residual every message still has, an
// honest convergence test whatever the order of updates, and gives beliefs
// and log Z. Should a message still move by the tolerance, the schedule
// runs again from every vertex (a few rounds at most). Checkpoints of the
// asynchronous schedules are taken after progress reports, numbered on
// across rounds; the flooding check takes none.
inline bp_result run_bp(factor_graph& g, const std::shared_ptr<const factor_model>& m, const evidence& observed,
                        const bp_settings& s, std::function<void(const superstep_report&)> observer = {}) {
  message_store messages;
  messages.lay_out(g, s.schedule != bp_schedule::sync);
  bp_result r;
  std::optional<sync_engine<bp_program>> flooding;
  if (s.schedule == bp_schedule::sync) {
    detail::start_flooding(flooding, g, m, observed, s, messages);
    if (observer) flooding->on_superstep(std::move(observer));
    r.run = flooding->run();
    r.iterations = flooding->program().iterations();
    r.converged = flooding->program().converged();
  } else {
    constexpr std::uint64_t max_rounds = 8;
    async_options options;
    options.consistency = consistency_model::edge;
    options.checkpoints = s.checkpoints;
    const std::uint64_t budget = s.max_updates.value_or(s.max_iterations * (m->variables() + m->factors.size()));
    // The check damps as the schedule did, so that its residual means what
    // a flooding run's does.
    bp_settings check = s;
    check.max_iterations = 1;
    check.checkpoints = nullptr;
    const stopwatch clock;
    async_rounds rounds;  // a resumed run learns its round from the checkpoint
    for (;;) {
      options.max_updates = budget - std::min(budget, rounds.updates);
      options.earlier_reports = rounds.reports;
      if (s.timeout_seconds) options.timeout_seconds = std::max(0.0, *s.timeout_seconds - clock.seconds());
      const run_summary ran =
          s.schedule == bp_schedule::residual
              ? detail::run_asynchronously<priority_scheduler>(g, m, observed, s, options, messages, rounds, observer)
              : detail::run_asynchronously<sweep_scheduler>(g, m, observed, s, options, messages, rounds, observer);
      r.run.updates = rounds.updates + ran.updates;
      r.run.supersteps = rounds.supersteps + ran.supersteps;
      r.run.reason = ran.reason;
      detail::start_flooding(flooding, g, m, observed, check, messages);
      flooding->run();
      r.converged = ran.reason == termination::converged && flooding->program().residual() < s.tolerance;
      if (r.converged || ran.reason != termination::converged || rounds.round == max_rounds) break;
      rounds.updates = r.run.updates;
      rounds.supersteps = r.run.supersteps;
      ++rounds.round;
    }
    r.message_updates += rounds.round * detail::messages_per_iteration(*m);
    r.run.seconds = clock.seconds();
    r.message_updates += detail::messages_computed(g, *m);
  }
  const bp_program& program = flooding->program();
  if (s.schedule == bp_schedule::sync) r.message_updates = program.iterations() * detail::messages_per_iteration(*m);
  r.residual = program.residual();
  r.log_partition = program.log_partition();
  const auto products = gather_at_root(g, [](const auto& v) { return v.data(); });
  if (g.structure().rank() == 0) {
    r.beliefs.resize(m->variables());
    for (const auto& [id, data] : products)
      if (is_variable(id)) r.beliefs[index_of(id)] = program.belief(index_of(id), data);
    if (s.task == bp_task::map)
      for (const auto& b : r.beliefs)
        r.labels.push_back(static_cast<std::uint32_t>(std::max_element(b.begin(), b.end()) - b.begin()));
  }
  return r;
}

}  // namespace gasworks::bp
