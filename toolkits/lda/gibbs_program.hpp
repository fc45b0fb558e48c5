#pragma once
// Collapsed Gibbs sampling for LDA as a vertex program on the synchronous
// engine. Documents and words are the vertices of one bipartite graph; an
// edge holds the topics of the tokens of its word in its document
// (token_topics.hpp); a vertex holds its counts per topic.
//
// A sweep resamples every token once, in S parts: the documents of part j
// (d mod S = j) resample their tokens, then those documents and every word
// recount their topics from the tokens, exactly. So
//   - a token is drawn with its document's current counts (each replica of
//     a document works through the tokens it holds, keeping the counts in
//     a dense scratch), and with word counts and topic totals as they were
//     at the last recount (AD-LDA's staleness, bounded by 1/S of a sweep);
//   - after every recount all counts agree with the tokens: n_dk, n_wk and
//     the totals n_k (summed over the words of every rank) are exact.
// Sampling happens in scatter (the only step that writes edges); recounts
// are gathers. A token's random draws depend on (seed, sweep, document,
// rank) only, so a run is the same on any number of threads.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <tbb/combinable.h>
#include <tbb/enumerable_thread_specific.h>

#include "engine/core/mix_hash.hpp"
#include "engine/gas/vertex_program.hpp"
#include "engine/gas/vertex_reductions.hpp"
#include "toolkits/lda/lda_model.hpp"
#include "toolkits/lda/sparse_sampler.hpp"
#include "toolkits/lda/token_topics.hpp"
#include "toolkits/lda/topic_counts.hpp"

namespace gasworks::lda {

// What a step of the sampler does.
enum class stage : std::uint8_t {
  recount_all,  // every vertex counts its topics (the start)
  sample,       // the documents of one part resample their tokens
  recount,      // those documents and every word count their topics
};

// A small counter-based generator: the draws of one document on one rank.
class token_random {
 public:
  explicit token_random(std::uint64_t key) noexcept : state_(key) {}
  double uniform() noexcept {
    state_ += golden_gamma;
    return static_cast<double>(splitmix_finaliser(state_) >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

// Per-thread scratch: a sampler for the step's totals, and a dense histogram.
struct gibbs_scratch {
  std::uint64_t generation = ~std::uint64_t{0};
  std::unique_ptr<sparse_sampler> sampler;
  std::vector<std::int32_t> histogram;
  std::vector<topic_id> touched;
};

class gibbs_program : public program_types<topic_counts, token_block> {
 public:
  using gather_type = topic_counts;

  struct settings {
    std::uint32_t parts = 4;         // S: parts of a sweep, each followed by a recount
    std::uint64_t sweeps = 100;      // the run stops after this many
    std::uint64_t evaluate_every = 1;  // sweeps between log-likelihood reports (and the last sweep)
    std::uint64_t seed = 1;
    // Checked after each recount, so that a run stopped early leaves every
    // count equal to its tokens.
    std::optional<double> timeout_seconds;
  };

  gibbs_program(const hyperparameters& h, const settings& s, token_topics& tokens)
      : h_(h), settings_(s), tokens_(&tokens), totals_(h.topics, 0),
        scratch_(std::make_shared<tbb::enumerable_thread_specific<gibbs_scratch>>()) {
    if (settings_.parts == 0) settings_.parts = 1;
    if (settings_.evaluate_every == 0) settings_.evaluate_every = 1;
  }

  // --- the step: which edges, and what each vertex does ---

  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type&) const {
    return stage_ == stage::sample ? edge_dir::none : edge_dir::all;
  }

  // Counts the topics of the vertex's tokens held on this rank.
  template <class Ctx>
  topic_counts gather_local(const Ctx&, const vertex_type&, const local_edges<graph_type>& edges) const {
    gibbs_scratch& s = scratch();
    if (s.histogram.size() != h_.topics) s.histogram.assign(h_.topics, 0);
    edges.for_each([&](const edge_type& e) {
      for (topic_id k : tokens_->of(e.data()))
        if (s.histogram[k]++ == 0) s.touched.push_back(k);
    });
    std::vector<topic_count> counts;
    counts.reserve(s.touched.size());
    for (topic_id k : s.touched) {
      counts.push_back({k, s.histogram[k]});
      s.histogram[k] = 0;
    }
    s.touched.clear();
    topic_counts result(std::move(counts));
    result.sort_by_topic();
    return result;
  }

  template <class Ctx>
  void apply(const Ctx&, vertex_type& v, const topic_counts& total) const {
    if (stage_ == stage::sample) return;
    v.data() = total;
    // Words are read by the sampler, which finds most of their mass first.
    if (!is_document(v.id())) v.data().sort_by_count();
  }

  template <class Ctx>
  edge_dir scatter_edges(const Ctx&, const vertex_type& v) const {
    return stage_ == stage::sample && is_document(v.id()) ? edge_dir::out : edge_dir::none;
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
      for (topic_id& k : tokens_->of(e.data())) k = sampler.resample(k, word, random.uniform());
    });
    sampler.end_document();
  }

  // --- between steps: the plan, the totals, the measures ---

  template <class View>
  void begin_superstep(View& view) {
    if (view.iteration() == 0) {
      stage_ = stage::recount_all;
      part_ = 0;
      started_ = std::chrono::steady_clock::now();
    }
  }

  template <class View>
  void end_superstep(View& view) {
    if (stage_ != stage::sample) {
      recount_totals(view);
      if (out_of_time(view)) {
        timed_out_ = true;
        view.stop();
        return;
      }
    }
    switch (stage_) {
      case stage::recount_all:
        begin_part(view, 0);
        break;
      case stage::sample:
        stage_ = stage::recount;
        view.signal_where([&](const auto& v) { return !is_document(v.id()) || in_part(v.id(), part_); });
        break;
      case stage::recount:
        if (part_ + 1 < settings_.parts) {
          begin_part(view, part_ + 1);
          break;
        }
        ++sweep_;
        view.report("sweep", static_cast<double>(sweep_));
        if (sweep_ % settings_.evaluate_every == 0 || sweep_ == settings_.sweeps)
          view.report("log_likelihood", log_likelihood_now(view));
        if (sweep_ >= settings_.sweeps) view.stop();
        else begin_part(view, 0);
        break;
    }
  }

  std::uint64_t sweeps_done() const noexcept { return sweep_; }
  bool timed_out() const noexcept { return timed_out_; }
  std::span<const std::int64_t> topic_totals() const noexcept { return totals_; }
  const hyperparameters& model() const noexcept { return h_; }

 private:
  bool in_part(vertex_id id, std::uint32_t part) const noexcept { return index_of(id) % settings_.parts == part; }

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

  template <class View>
  void begin_part(View& view, std::uint32_t part) {
    stage_ = stage::sample;
    part_ = part;
    ++generation_;
    view.signal_where([&](const auto& v) { return is_document(v.id()) && in_part(v.id(), part); });
  }

  // n_k: the sum of every word's counts, each word counted at its master.
  template <class View>
  void recount_totals(View& view) {
    struct dense {
      std::vector<std::int64_t> n;
      dense& operator+=(const dense& o) {
        if (n.empty()) n = o.n;
        else
          for (std::size_t k = 0; k < o.n.size(); ++k) n[k] += o.n[k];
        return *this;
      }
    };
    const std::uint32_t topics = h_.topics;
    dense local = map_reduce_vertices(view.graph(), [&](const auto& v) {
      dense d;
      if (is_document(v.id())) return d;
      d.n.assign(topics, 0);
      for (const auto& e : v.data().entries()) d.n[e.topic] += e.count;
      return d;
    });
    totals_.assign(topics, 0);
    if (!local.n.empty()) totals_ = local.n;
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

  stage stage_ = stage::recount_all;
  std::uint32_t part_ = 0;
  std::uint64_t sweep_ = 0;
  std::uint64_t generation_ = 0;  // samplers built for older totals are rebuilt
  std::chrono::steady_clock::time_point started_;
  bool timed_out_ = false;
};

}  // namespace gasworks::lda
