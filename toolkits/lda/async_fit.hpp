#pragma once
// Fitting LDA on the asynchronous engine (async_gibbs_program.hpp): each
// sweep is one run of the engine, in which every document samples once and
// words fold in what moved as it accumulates; an exact recount
// (recount.hpp) follows every sweep, so each sweep, and a run stopped by
// its time limit, ends with every count equal to its tokens.
//
// Checkpoints (fit_options::checkpoints) go between sweeps, where the counts
// follow from the tokens: one holds the sweeps done, their reports and every
// token's topic, and a resumed run recounts. Draws depend on (seed, sweep,
// document, rank), so on one thread a resumed run repeats the uninterrupted
// one exactly.
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/async/priority_scheduler.hpp"
#include "engine/async_engine.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/gas/saved_state.hpp"
#include "toolkits/lda/async_gibbs_program.hpp"
#include "toolkits/lda/corpus_graph.hpp"
#include "toolkits/lda/fit_report.hpp"
#include "toolkits/lda/recount.hpp"

namespace gasworks::lda {

// As fit() (lda.hpp), on the asynchronous engine with edge consistency.
inline fit_result fit_asynchronously(corpus_graph& g, token_topics& tokens, const fit_options& opts,
                                     const std::function<void(superstep_report&)>& observer = {}) {
  opts.model.check();
  const stopwatch clock;
  const auto& structure = g.structure();
  const auto& ranks = structure.ranks();
  const bool several = ranks && structure.num_ranks() > 1;
  fit_result result;
  result.tokens = several ? ranks->all_reduce_sum<std::uint64_t>(tokens.size()) : tokens.size();

  std::uint64_t first_sweep = 0;
  if (opts.checkpoints)
    if (auto saved = opts.checkpoints->take_resumed_state())
      restore_collectively(g, opts.checkpoints->resumed_folder(), [&] {
        wire_reader r(*saved);
        check_shard_layout(r, g);
        first_sweep = r.get<std::uint64_t>();
        result.history.resize(r.get<std::uint64_t>());
        r.get_all(std::span<sweep_report>(result.history));
        tokens.read_from(r);
        if (!r.done()) throw checkpoint::checkpoint_error("the checkpoint holds more state than this program reads");
      });
  std::vector<std::int64_t> totals = recount(g, tokens, opts.model);
  tokens.remember_all();
  async_gibbs_program::settings settings;
  settings.seed = opts.sampling.seed;
  async_options options;
  options.consistency = consistency_model::edge;
  // Documents wait at priority 1; a word signalled to fold jumps ahead of them.
  async_engine<async_gibbs_program, priority_scheduler> engine(g, async_gibbs_program(opts.model, settings, tokens), options);

  const std::uint64_t every = opts.sampling.evaluate_every ? opts.sampling.evaluate_every : 1;
  for (std::uint64_t sweep = first_sweep; sweep < opts.sampling.sweeps; ++sweep) {
    if (opts.timeout_seconds) {
      // Every rank decides alike, on the slowest rank's clock.
      const double used = several ? ranks->all_reduce_max(clock.seconds()) : clock.seconds();
      if (used >= *opts.timeout_seconds) {
        result.run.reason = termination::timeout;
        break;
      }
      engine.options().timeout_seconds = *opts.timeout_seconds - used;
    }
    engine.program().begin_sweep(g, sweep, totals);
    for (local_id v = 0; v < structure.num_local_vertices(); ++v)
      if (structure.is_master(v) && is_document(structure.global_id(v))) engine.signal(structure.global_id(v), priority{1});
    const run_summary ran = engine.run();
    totals = recount(g, tokens, opts.model);
    tokens.remember_all();
    result.run.updates += ran.updates;
    result.run.times += ran.times;

    const bool timed_out = ran.reason == termination::timeout;
    sweep_report s;
    s.sweep = sweep + 1;
    s.seconds = clock.seconds();
    s.tokens_per_second = ran.seconds > 0 ? static_cast<double>(result.tokens) / ran.seconds : 0;
    superstep_report r;
    r.superstep = sweep;
    r.active = ran.updates;
    r.times = ran.times;
    if (!timed_out) r.metrics.emplace_back("sweep", static_cast<double>(s.sweep));  // a sweep cut short is not a sweep
    if (s.sweep % every == 0 || s.sweep == opts.sampling.sweeps || timed_out) {
      s.log_likelihood_per_token = log_likelihood_of(g, totals, opts.model) / static_cast<double>(result.tokens);
      r.metrics.emplace_back("log_likelihood", s.log_likelihood_per_token);
      r.metrics.emplace_back("tokens_per_second", s.tokens_per_second);
    }
    r.elapsed = clock.seconds();
    if (!timed_out) result.history.push_back(s);
    if (observer) observer(r);
    if (timed_out) {
      result.run.reason = termination::timeout;
      break;
    }
    if (opts.checkpoints && s.sweep < opts.sampling.sweeps && opts.checkpoints->due(sweep, s.sweep)) {
      std::vector<std::byte> state;
      wire_writer w(state);
      save_shard_layout(w, g);
      w.put(s.sweep);
      w.put(static_cast<std::uint64_t>(result.history.size()));
      w.put_all(std::span<const sweep_report>(result.history));
      tokens.write_to(w);
      opts.checkpoints->save(s.sweep, state);
    }
  }
  result.run.supersteps = result.history.size();
  result.run.seconds = clock.seconds();
  result.topic_totals = std::move(totals);
  return result;
}

}  // namespace gasworks::lda
