#pragma once
// Collapsed Gibbs sampling for LDA as a vertex program on the asynchronous
// engine, with edge consistency: a document and one of its words never run
// at once. One run of the engine is one sweep (async_fit.hpp runs them and
// recounts every count exactly in between).
//
//   a document   resamples its tokens (scatter) against its own counts, kept
//                current in the sampler, the newest counts of its words and
//                the topic totals as this worker last read them;
//   a word       folds in the moves of its tokens (gather over its edges:
//                topic now against topic when it last folded), adds them to
//                its counts and to the totals, and marks its tokens folded
//                (scatter).
// A word's counts and the totals thus always count each token in the topic
// it had when its word last folded (token_topics::before), which the
// sampler is told, so that the token's own contribution leaves exactly
// what counted it. A document signals a word once the word's tokens moved
// since its last fold reach a share of its frequency: frequent words fold
// a few times per sweep, each fold costing their tokens, instead of after
// every document. The signal's priority (2, the documents waiting have 1)
// puts the fold ahead of the documents still to sample in the sweep.
//
// On one rank the totals are exact for what the words folded; on several,
// a rank's totals add only its own folds until the next recount. Draws depend
// on (seed, sweep, document, rank), as in the synchronous program; what a
// draw sees depends on the order in which workers ran, so a run repeats
// exactly on one thread only.
#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <tbb/enumerable_thread_specific.h>

#include "engine/core/mix_hash.hpp"
#include "engine/gas/vertex_program.hpp"
#include "toolkits/lda/lda_model.hpp"
#include "toolkits/lda/sparse_sampler.hpp"
#include "toolkits/lda/token_random.hpp"
#include "toolkits/lda/token_topics.hpp"
#include "toolkits/lda/topic_histogram.hpp"
#include "toolkits/lda/topic_counts.hpp"

namespace gasworks::lda {

class async_gibbs_program : public program_types<topic_counts, token_block> {
 public:
  using gather_type = topic_counts;

  struct settings {
    // A word folds once its tokens moved since its last fold reach this
    // share of its frequency (at least one token).
    double fold_share = 0.1;
    // A worker reads the topic totals afresh after sampling this many tokens.
    std::uint64_t refresh_tokens = 4096;
    std::uint64_t seed = 1;
  };

  async_gibbs_program(const hyperparameters& h, const settings& s, token_topics& tokens)
      : h_(h), settings_(s), tokens_(&tokens), shared_(std::make_shared<shared_state>(h.topics)) {}

  // --- between sweeps (no update runs) ---

  // Starts sweep `sweep` (from 0) from exact counts: g's vertices and
  // `totals` (n_k) equal the tokens, and every token is folded.
  template <class Graph>
  void begin_sweep(const Graph& g, std::uint64_t sweep, std::span<const std::int64_t> totals) {
    shared_state& s = *shared_;
    s.sweep = sweep;
    ++s.generation;
    for (std::uint32_t k = 0; k < h_.topics; ++k) s.totals[k].store(totals[k], std::memory_order_relaxed);
    const local_id n = g.num_local_vertices();
    if (s.unfolded.size() != n) s.unfolded = std::vector<std::atomic<std::uint32_t>>(n);
    s.fold_at.resize(n);
    for (local_id v = 0; v < n; ++v) {
      s.unfolded[v].store(0, std::memory_order_relaxed);
      const double frequency = static_cast<double>(g.vertex_data(v).total());
      s.fold_at[v] = static_cast<std::uint32_t>(std::max(1.0, std::ceil(settings_.fold_share * frequency)));
    }
  }

  // --- the update ---

  // A word gathers what moved on its edges; a document has nothing to
  // gather: its counts are exact at the start of the sweep, and it runs once.
  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type& v) const {
    return is_document(v.id()) ? edge_dir::none : edge_dir::in;
  }

  template <class Ctx>
  topic_counts gather_local(const Ctx&, const vertex_type&, const local_edges<graph_type>& edges) const {
    topic_histogram& histogram = shared_->scratch.local().histogram;
    edges.for_each([&](const edge_type& e) { histogram.add_moves(tokens_->of(e.data()), tokens_->before(e.data())); });
    return histogram.take();
  }

  // A word adds what moved to its counts and to the totals.
  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, const topic_counts& moved) const {
    if (is_document(v.id()) || moved.empty()) return;
    v.data() += moved;
    for (const auto& e : moved.entries()) shared_->totals[e.topic].fetch_add(e.count, std::memory_order_relaxed);
  }

  template <class Ctx>
  edge_dir scatter_edges(const Ctx&, const vertex_type& v) const {
    return is_document(v.id()) ? edge_dir::out : edge_dir::in;
  }

  template <class Ctx>
  void scatter_local(const Ctx& ctx, const vertex_type& v, const local_edges<graph_type>& edges) const {
    if (is_document(v.id())) sample_document(ctx, v, edges);
    else fold_word(v, edges);
  }

 private:
  struct worker_scratch {
    std::uint64_t generation = ~std::uint64_t{0};
    std::uint64_t tokens_since_refresh = 0;
    std::unique_ptr<sparse_sampler> sampler;
    topic_histogram histogram;
    std::vector<std::int64_t> totals;
  };

  struct shared_state {
    explicit shared_state(std::uint32_t topics) : totals(topics) {}
    std::vector<std::atomic<std::int64_t>> totals;        // n_k as the words count it
    std::vector<std::atomic<std::uint32_t>> unfolded;     // per word: tokens moved since its last fold
    std::vector<std::uint32_t> fold_at;                   // per word: its fold threshold
    std::uint64_t sweep = 0;
    std::uint64_t generation = 0;
    tbb::enumerable_thread_specific<worker_scratch> scratch;
  };

  // Resamples the document's tokens held on this rank and signals the words
  // whose unfolded moves reach their threshold.
  template <class Ctx>
  void sample_document(const Ctx& ctx, const vertex_type& doc, const local_edges<graph_type>& edges) const {
    shared_state& shared = *shared_;
    worker_scratch& scratch = refreshed_scratch();
    sparse_sampler& sampler = *scratch.sampler;
    token_random random(mix_hash(settings_.seed ^
                                 mix_hash(shared.sweep ^ mix_hash(doc.id() ^ mix_hash(static_cast<std::uint64_t>(ctx.rank()))))));
    sampler.begin_document(doc.data());
    std::uint64_t sampled = 0;
    edges.for_each([&](edge_type& e) {
      const auto word = e.target();
      const auto now = tokens_->of(e.data());
      const auto counted = tokens_->before(e.data());
      std::uint32_t moved = 0;
      for (std::size_t i = 0; i < now.size(); ++i) {
        const topic_id k = sampler.resample(now[i], counted[i], word.data(), random.uniform());
        moved += k != now[i];
        now[i] = k;
      }
      sampled += now.size();
      if (moved == 0) return;
      const std::uint32_t threshold = shared.fold_at[word.local()];
      const std::uint32_t was = shared.unfolded[word.local()].fetch_add(moved, std::memory_order_relaxed);
      if (was < threshold && was + moved >= threshold) ctx.signal(word, priority{2});
    });
    sampler.end_document();
    scratch.tokens_since_refresh += sampled;
  }

  // Marks the word's tokens on this rank folded.
  void fold_word(const vertex_type& word, const local_edges<graph_type>& edges) const {
    edges.for_each([&](const edge_type& e) { tokens_->remember(e.data()); });
    shared_->unfolded[word.local()].store(0, std::memory_order_relaxed);
  }

  // This worker's scratch, its sampler built on the totals as they stood
  // when it was last refreshed: at the start of a sweep and every
  // refresh_tokens tokens.
  worker_scratch& refreshed_scratch() const {
    worker_scratch& s = shared_->scratch.local();
    if (s.generation != shared_->generation || s.tokens_since_refresh >= settings_.refresh_tokens) {
      s.totals.resize(h_.topics);
      for (std::uint32_t k = 0; k < h_.topics; ++k) s.totals[k] = shared_->totals[k].load(std::memory_order_relaxed);
      s.sampler = std::make_unique<sparse_sampler>(h_, s.totals);
      s.generation = shared_->generation;
      s.tokens_since_refresh = 0;
    }
    return s;
  }

  hyperparameters h_;
  settings settings_;
  token_topics* tokens_;
  std::shared_ptr<shared_state> shared_;
};

}  // namespace gasworks::lda
