#pragma once
// Fitting LDA by collapsed Gibbs sampling on the synchronous engine
// (gibbs_program.hpp) or the asynchronous one (async_fit.hpp).
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "engine/gas/run_report.hpp"
#include "engine/sync/sync_engine.hpp"
#include "toolkits/lda/async_fit.hpp"
#include "toolkits/lda/corpus_graph.hpp"
#include "toolkits/lda/fit_report.hpp"
#include "toolkits/lda/gibbs_program.hpp"
#include "toolkits/lda/lda_model.hpp"

namespace gasworks::lda {

// Samples g's tokens (laid out in `tokens`) for opts.sampling.sweeps sweeps.
// observer(superstep_report) after every step; its metrics hold "sweep" and
// "log_likelihood" (per token) after measured sweeps.
inline fit_result fit_synchronously(corpus_graph& g, token_topics& tokens, const fit_options& opts,
                                    std::function<void(superstep_report&)> observer = {}) {
  opts.model.check();
  fit_result result;
  gibbs_program::settings sampling = opts.sampling;
  sampling.timeout_seconds = opts.timeout_seconds;
  const gibbs_program program(opts.model, sampling, tokens);
  engine_options limits;
  limits.checkpoints = opts.checkpoints;
  sync_engine<gibbs_program> engine(g, program, limits);
  // Every vertex counts its topics first; the program then plans the steps.
  engine.signal_all();
  double sampling_seconds = 0;
  engine.on_superstep([&](const superstep_report& step) {
    superstep_report r = step;
    sampling_seconds += r.times[phase::scatter];
    std::optional<double> sweep, likelihood;
    for (const auto& [name, value] : r.metrics) {
      if (name == "sweep") sweep = value;
      if (name == "log_likelihood") likelihood = value;
    }
    if (sweep) {
      sweep_report s;
      s.sweep = static_cast<std::uint64_t>(*sweep);
      s.seconds = r.elapsed;
      s.tokens_per_second = sampling_seconds > 0 ? static_cast<double>(result.tokens) / sampling_seconds : 0;
      sampling_seconds = 0;
      if (likelihood) {
        s.log_likelihood_per_token = *likelihood / static_cast<double>(result.tokens);
        for (auto& [name, value] : r.metrics)
          if (name == "log_likelihood") value = s.log_likelihood_per_token;
        r.metrics.emplace_back("tokens_per_second", s.tokens_per_second);
      }
      result.history.push_back(s);
    }
    if (observer) observer(r);
  });
  result.tokens = g.structure().num_ranks() > 1 ? engine.graph().structure().ranks()->all_reduce_sum<std::uint64_t>(tokens.size())
                                                : tokens.size();
  result.run = engine.run();
  if (engine.program().timed_out()) result.run.reason = termination::timeout;
  const auto totals = engine.program().topic_totals();
  result.topic_totals.assign(totals.begin(), totals.end());
  return result;
}

// The same on the engine that opts.engine names.
inline fit_result fit(corpus_graph& g, token_topics& tokens, const fit_options& opts,
                      std::function<void(superstep_report&)> observer = {}) {
  if (opts.engine == engine_kind::asynchronous) return fit_asynchronously(g, tokens, opts, observer);
  return fit_synchronously(g, tokens, opts, std::move(observer));
}

}  // namespace gasworks::lda
