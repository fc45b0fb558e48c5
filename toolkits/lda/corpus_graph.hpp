#pragma once
// The documents-words graph of a corpus, on every rank of a run: each rank
// hands the entries it read to multi-rank ingress, which places the edges;
// then each shard lays out the topics of the tokens its edges hold.
#include <memory>
#include <vector>

#include "engine/comm/communicator.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "toolkits/lda/corpus_file.hpp"
#include "toolkits/lda/lda_model.hpp"
#include "toolkits/lda/token_topics.hpp"
#include "toolkits/lda/topic_counts.hpp"

namespace gasworks::lda {

using corpus_graph = graph<topic_counts, token_block>;

// This rank's shard of the graph of the entries all ranks read (`share`:
// this rank's part). `options` chooses placement and vertex order; every
// entry is kept, a repeated (document, word) pair as a second edge.
inline corpus_graph load_corpus_graph(const std::shared_ptr<communicator>& ranks, const corpus& share,
                                      ingress_options options = {}, ingress_report* report = nullptr) {
  step_clock clock;
  std::vector<routed_edge<token_block>> edges;
  edges.reserve(share.entries.size());
  for (const word_count& e : share.entries) edges.push_back({document_vertex(e.doc), word_vertex(e.word), {0, e.count}});
  clock.mark("read");
  const auto order = options.policy.order;
  options.policy = {};
  options.policy.parallel_edges = ingress_policy::duplicates::keep;
  options.policy.order = order;
  return build_shard<topic_counts, token_block>(ranks, std::move(edges), {}, options, report, clock);
}

}  // namespace gasworks::lda
