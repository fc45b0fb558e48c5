#pragma once
// Belief propagation on a factor model: its graph (variables and factors as
// vertices, an edge per scope position), and a run of the flooding program
// on the synchronous engine to a fixed point, returning every variable's
// belief at rank 0.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "engine/comm/communicator.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "engine/ingress/gather_at_root.hpp"
#include "engine/sync/sync_engine.hpp"
#include "toolkits/bp/bp_program.hpp"
#include "toolkits/bp/factor_model.hpp"
#include "toolkits/bp/message_store.hpp"

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
  run_summary run;
  std::uint64_t iterations = 0;
  double residual = 0;  // the largest change of a message entry in the last iteration
  bool converged = false;
  double log_partition = 0;  // the Bethe estimate of log Z
  marginals beliefs;         // at rank 0, by variable; empty elsewhere
};

inline bp_result run_bp(factor_graph& g, const std::shared_ptr<const factor_model>& m, const evidence& observed,
                        const bp_program::settings& s, std::function<void(const superstep_report&)> observer = {}) {
  message_store messages;
  messages.lay_out(g);
  sync_engine<bp_program> engine(g, bp_program(m, observed, s, messages));
  if (observer) engine.on_superstep(std::move(observer));
  engine.signal_where([](const auto& v) { return is_variable(v.id()); });
  bp_result r;
  r.run = engine.run();
  const bp_program& program = engine.program();
  r.iterations = program.iterations();
  r.residual = program.residual();
  r.converged = program.converged();
  r.log_partition = program.log_partition();
  const auto products = gather_at_root(g, [](const auto& v) { return v.data(); });
  if (g.structure().rank() == 0) {
    r.beliefs.resize(m->variables());
    for (const auto& [id, data] : products)
      if (is_variable(id)) r.beliefs[index_of(id)] = program.belief(index_of(id), data);
  }
  return r;
}

}  // namespace gasworks::bp
