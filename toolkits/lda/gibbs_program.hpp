#pragma once
// Collapsed Gibbs sampling for LDA as a vertex program on the synchronous
// engine. Documents and words are the vertices of one bipartite graph; an
// edge holds the topics of the tokens of its word in its document
// (token_topics.hpp); a vertex holds its counts per topic.
//
// A sweep resamples every token once, in S parts (document d in part
// d mod S), one superstep per part. In each superstep
//   gather/apply  the documents of the part sampled in the previous
//                 superstep recount their topics from the tokens (a
//                 document's counts change only when it samples, so those
//                 about to sample are current already); every word adds what changed on
//                 its edges to those documents (each block keeps its topics
//                 from before it was resampled), so its counts stay exact at
//                 the cost of the changed tokens only;
//   scatter       the documents of the part resample their tokens: each
//                 replica works through the tokens it holds with the
//                 document's counts kept current in a dense scratch, the word
//                 counts just recounted, and the topic totals n_k of the last
//                 superstep (AD-LDA's staleness, bounded by a part of a sweep).
// The first superstep recounts every vertex; a superstep after each sweep's
// last part only recounts, so every sweep ends (and a run stops, on its
// sweep count or its timeout) with every count equal to its tokens. Sampling happens in scatter, the only step that writes edges. A
// token's random draws depend on (seed, sweep, document, rank) only, so a
// run is the same on any number of threads.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "engine/comm/wire.hpp"
#include "engine/core/mix_hash.hpp"
#include "engine/gas/vertex_program.hpp"
#include "toolkits/lda/lda_model.hpp"
#include "toolkits/lda/sparse_sampler.hpp"
#include "toolkits/lda/token_random.hpp"
#include "toolkits/lda/topic_histogram.hpp"
#include "toolkits/lda/token_topics.hpp"
#include "toolkits/lda/topic_counts.hpp"

namespace gasworks::lda {

// Per-thread scratch: a sampler for the step's totals, and a histogram.
struct gibbs_scratch {
  std::uint64_t generation = ~std::uint64_t{0};
  std::unique_ptr<sparse_sampler> sampler;
  topic_histogram histogram;
};

class gibbs_program : public program_types<topic_counts, token_block> {
 public:
  using gather_type = topic_counts;

  struct settings {
    std::uint32_t parts = 4;         // S: parts of a sweep, each followed by a recount
    std::uint64_t sweeps = 100;      // the run stops after this many
    std::uint64_t evaluate_every = 1;  // sweeps between log-likelihood reports (and the last sweep)
    std::uint64_t seed = 1;
    // Checked before each superstep samples: one that finds the time up only
    // recounts, so a run stopped early leaves every count equal to its tokens.
    std::optional<double> timeout_seconds;
  };

  gibbs_program(const hyperparameters& h, const settings& s, token_topics& tokens)
      : h_(h), settings_(s), tokens_(&tokens), totals_(h.topics, 0),
        scratch_(std::make_shared<tbb::enumerable_thread_specific<gibbs_scratch>>()) {
    if (settings_.parts == 0) settings_.parts = 1;
    if (settings_.evaluate_every == 0) settings_.evaluate_every = 1;
  }

  // --- the step: which edges, and what each vertex does ---

  // Every word recounts, and the documents sampled in the previous superstep.
  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type& v) const {
    return recounts(v.id()) ? edge_dir::all : edge_dir::none;
  }

  // A document (and, at the start, a word) counts the topics of its tokens
  // held on this rank; a word counts what changed on its edges to the
  // documents sampled in the previous superstep.
  template <class Ctx>
  topic_counts gather_local(const Ctx&, const vertex_type& v, const local_edges<graph_type>& edges) const {
    topic_histogram& histogram = scratch().histogram;
    if (is_document(v.id()) || full_recount_) {
      edges.for_each([&](const edge_type& e) { histogram.add_all(tokens_->of(e.data())); });
    } else if (recount_part_) {
      // Blocks resampled in the previous superstep carry its stamp.
      const auto sampled = static_cast<std::uint32_t>(recount_generation_);
      edges.for_each([&](const edge_type& e) {
        if (e.data().stamp == sampled) histogram.add_moves(tokens_->of(e.data()), tokens_->before(e.data()));
      });
    }
    return histogram.take();
  }

  // A document's (or, at the start, a word's) counts are replaced, a word's
  // changes added; both stay in ascending topic order.
  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, const topic_counts& total) const {
    if (!recounts(v.id())) return;
    if (is_document(v.id()) || full_recount_) v.data() = total;
    else v.data() += total;
  }

  template <class Ctx>
  edge_dir scatter_edges(const Ctx&, const vertex_type& v) const {
    return sampling_part_ && is_document(v.id()) && in_part(v.id(), *sampling_part_) ? edge_dir::out : edge_dir::none;
  }

  // Resamples the document's tokens held on this rank.
  template <class Ctx>
  void scatter_local(const Ctx& ctx, const vertex_type& doc, const local_edges<graph_type>& edges) const {
    sparse_sampler& sampler = this->sampler();
    token_random random(
        mix_hash(settings_.seed ^ mix_hash(sweep_ ^ mix_hash(doc.id() ^ mix_hash(static_cast<std::uint64_t>(ctx.rank()))))));
    sampler.begin_document(doc.data());
    edges.for_each([&](edge_type& e) {
      const topic_counts& word = e.target().data();
      tokens_->remember(e.data());
      e.data().stamp = static_cast<std::uint32_t>(generation_);
      for (topic_id& k : tokens_->of(e.data())) k = sampler.resample(k, word, random.uniform());
    });
    sampler.end_document();
  }

  // --- between steps: the plan, the totals, the measures ---

  // Which part this superstep samples, if any. After a sweep's last part a
  // superstep only recounts, so that every sweep ends with every count
  // equal to its tokens; so does a superstep that finds the time up.
  template <class View>
  void begin_superstep(View& view) {
    std::optional<std::uint32_t> part;
    full_recount_ = view.iteration() == 0;
    recount_part_ = full_recount_ ? std::nullopt : sampling_part_;
    recount_generation_ = generation_;  // the previous superstep's, when it sampled
    if (view.iteration() == 0) {
      started_ = std::chrono::steady_clock::now();
      completes_sweep_ = false;
      if (settings_.sweeps > 0) part = 0;
    } else {
      completes_sweep_ = sampling_part_ == settings_.parts - 1;
      if (!sampling_part_) part = 0;  // the sweep's closing recount is done
      else if (!completes_sweep_) part = *sampling_part_ + 1;
    }
    finishing_ = completes_sweep_ && sweep_ + 1 >= settings_.sweeps;
    if (part && out_of_time(view)) {
      timed_out_ = true;
      part.reset();
    }
    if (!part && !completes_sweep_) finishing_ = true;
    sampling_part_ = part;
    if (part) ++generation_;
  }

  template <class View>
  void end_superstep(View& view) {
    recount_totals(view);
    if (completes_sweep_) {
      ++sweep_;
      view.report("sweep", static_cast<double>(sweep_));
      if (sweep_ % settings_.evaluate_every == 0 || sweep_ == settings_.sweeps)
        view.report("log_likelihood", log_likelihood_now(view));
    }
    if (finishing_) {
      view.stop();
      return;
    }
    // Next: every word, the documents just sampled (to recount), and those
    // of the next part (to recount and sample).
    const std::optional<std::uint32_t> sampled = sampling_part_;
    std::optional<std::uint32_t> next;
    if (!sampled) next = 0;
    else if (*sampled + 1 < settings_.parts) next = *sampled + 1;
    view.signal_where([&](const auto& v) {
      return !is_document(v.id()) || (sampled && in_part(v.id(), *sampled)) || (next && in_part(v.id(), *next));
    });
  }

  // What a checkpoint keeps between supersteps: the plan's position, the
  // totals the next superstep samples with, and every token's topics. The
  // time limit counts from the resume.
  void save_state(wire_writer& w) const {
    w.put(sweep_);
    w.put(generation_);
    w.put(recount_generation_);
    w.put(static_cast<std::uint8_t>(timed_out_));
    w.put(static_cast<std::uint8_t>(sampling_part_.has_value()));
    w.put(sampling_part_.value_or(0));
    w.put(static_cast<std::uint64_t>(totals_.size()));
    w.put_all(std::span<const std::int64_t>(totals_));
    tokens_->write_to(w);
  }
  void restore_state(wire_reader& r) {
    sweep_ = r.get<std::uint64_t>();
    generation_ = r.get<std::uint64_t>();
    recount_generation_ = r.get<std::uint64_t>();
    timed_out_ = r.get<std::uint8_t>() != 0;
    const bool sampled = r.get<std::uint8_t>() != 0;
    const auto part = r.get<std::uint32_t>();
    sampling_part_ = sampled ? std::optional<std::uint32_t>(part) : std::nullopt;
    if (r.get<std::uint64_t>() != totals_.size()) throw std::invalid_argument("saved topic totals of another topic count");
    r.get_all(std::span<std::int64_t>(totals_));
    tokens_->read_from(r);
    started_ = std::chrono::steady_clock::now();
  }

  std::uint64_t sweeps_done() const noexcept { return sweep_; }
  bool timed_out() const noexcept { return timed_out_; }
  std::span<const std::int64_t> topic_totals() const noexcept { return totals_; }
  const hyperparameters& model() const noexcept { return h_; }

 private:
  bool in_part(vertex_id id, std::uint32_t part) const noexcept { return index_of(id) % settings_.parts == part; }

  bool recounts(vertex_id id) const noexcept {
    return full_recount_ || !is_document(id) || (recount_part_ && in_part(id, *recount_part_));
  }

  // Every rank decides alike: on the slowest rank's clock.
  template <class View>
  bool out_of_time(View& view) const {
    if (!settings_.timeout_seconds) return false;
    const double mine = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    return view.all_reduce_max(mine) >= *settings_.timeout_seconds;
  }

  // The collapsed joint log-likelihood of the current counts.
  template <class View>
  double log_likelihood_now(View& view) const {
    const likelihood_terms terms = view.map_reduce_vertices([&](const auto& v) {
      likelihood_terms t;
      if (is_document(v.id())) t.document_terms = document_likelihood_terms(v.data(), h_);
      else t.word_terms = word_likelihood_terms(v.data(), h_);
      return t;
    });
    return log_likelihood(terms, totals_, h_);
  }

  // n_k: the sum of every word's counts, each word counted at its master.
  // Integer sums: exact in any order, so each thread adds into its own
  // vector and the vectors are added at the end.
  template <class View>
  void recount_totals(View& view) {
    const auto& g = view.graph();
    const auto& s = g.structure();
    const std::uint32_t topics = h_.topics;
    tbb::combinable<std::vector<std::int64_t>> partial([topics] { return std::vector<std::int64_t>(topics, 0); });
    tbb::parallel_for(tbb::blocked_range<local_id>(0, s.num_local_vertices(), 1024), [&](const tbb::blocked_range<local_id>& r) {
      std::vector<std::int64_t>& mine = partial.local();
      for (local_id v = r.begin(); v != r.end(); ++v)
        if (s.is_master(v) && !is_document(s.global_id(v)))
          for (const auto& e : g.vertex_data(v).entries()) mine[e.topic] += e.count;
    });
    totals_.assign(topics, 0);
    partial.combine_each([&](const std::vector<std::int64_t>& mine) {
      for (std::uint32_t k = 0; k < topics; ++k) totals_[k] += mine[k];
    });
    view.all_reduce_sum(std::span<std::int64_t>(totals_));
  }

  gibbs_scratch& scratch() const { return scratch_->local(); }

  sparse_sampler& sampler() const {
    gibbs_scratch& s = scratch();
    if (s.generation != generation_) {
      s.sampler = std::make_unique<sparse_sampler>(h_, totals_);
      s.generation = generation_;
    }
    return *s.sampler;
  }

  hyperparameters h_;
  settings settings_;
  token_topics* tokens_;
  std::vector<std::int64_t> totals_;  // n_k at the last recount
  std::shared_ptr<tbb::enumerable_thread_specific<gibbs_scratch>> scratch_;

  std::optional<std::uint32_t> sampling_part_;  // the part this superstep samples
  bool completes_sweep_ = false;                // this superstep recounts a sweep's last part
  bool finishing_ = false;                      // this superstep is the run's last
  bool full_recount_ = false;                   // every vertex counts all its tokens (the first superstep)
  std::optional<std::uint32_t> recount_part_;   // the part sampled in the previous superstep
  std::uint64_t sweep_ = 0;
  std::uint64_t generation_ = 0;  // numbers the sampling supersteps; samplers built for older totals are rebuilt
  std::uint64_t recount_generation_ = 0;  // the stamp of the blocks this superstep's words recount
  std::chrono::steady_clock::time_point started_;
  bool timed_out_ = false;
};

}  // namespace gasworks::lda
