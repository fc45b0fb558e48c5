#pragma once
// An exact recount: every document's and word's counts, and the topic
// totals n_k, set to what the tokens say. It is the synchronous program's
// first superstep alone (a run of no sweeps), so the two programs share one
// definition of a count.
#include <cstdint>
#include <vector>

#include "engine/gas/vertex_reductions.hpp"
#include "engine/sync/sync_engine.hpp"
#include "toolkits/lda/corpus_graph.hpp"
#include "toolkits/lda/gibbs_program.hpp"
#include "toolkits/lda/lda_model.hpp"

namespace gasworks::lda {

// Recounts g from its tokens; returns n_k (the same on every rank).
inline std::vector<std::int64_t> recount(corpus_graph& g, token_topics& tokens, const hyperparameters& h) {
  gibbs_program::settings none;
  none.sweeps = 0;
  sync_engine<gibbs_program> engine(g, gibbs_program(h, none, tokens));
  engine.signal_all();
  engine.run();
  const auto totals = engine.program().topic_totals();
  return {totals.begin(), totals.end()};
}

// The collapsed joint log-likelihood of g's counts and `totals` (all ranks
// take part and get the same value).
inline double log_likelihood_of(corpus_graph& g, const std::vector<std::int64_t>& totals, const hyperparameters& h) {
  likelihood_terms terms = map_reduce_vertices(g, [&](const auto& v) {
    likelihood_terms t;
    if (is_document(v.id())) t.document_terms = document_likelihood_terms(v.data(), h);
    else t.word_terms = word_likelihood_terms(v.data(), h);
    return t;
  });
  if (const auto& ranks = g.structure().ranks(); ranks && g.structure().num_ranks() > 1) terms = ranks->all_reduce_sum(terms);
  return log_likelihood(terms, totals, h);
}

}  // namespace gasworks::lda
