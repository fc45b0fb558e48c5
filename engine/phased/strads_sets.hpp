#pragma once
// Structure-aware set scheduling for model-parallel programs (STRADS: Lee,
// Kim, Zheng, Gibson, Xing, "On Model Parallelization and Scheduling
// Strategies for Distributed Machine Learning", NIPS 2014). A set scheduler
// for the phased engine (set_scheduler.hpp).
//
// The vertices split into candidates — model parameters, the global ids
// [first, first + count), numbered 0..count-1 here — and data vertices.
// Each phase runs
//   - a set of at most P candidates: drawn by the selection rule (in order,
//     uniformly, or by priority), then thinned by the program's dependency
//     rule, which admits a drawn candidate only if it can run beside those
//     admitted before it (coordinates of a regression whose features
//     correlate would overshoot together), and
//   - every scheduled data vertex: those the last set signalled, which absorb
//     what it sent them (residual changes) before the next set reads them.
// Priority draws: a candidate's priority is the one its last run signalled
// it with (the program measures how much it moved; before its first run it
// is `initial_priority`). Each draw is uniform over all candidates with
// probability eta (exploration, so that every candidate is visited) and
// proportional to priority otherwise. STRADS adds a constant eta to every
// priority instead; a fixed share keeps exploration from taking over as the
// priorities shrink near convergence, where a constant would make the draws
// uniform. Candidates are always eligible, scheduled or not: the model is
// never finished by the schedule itself, so a run ends by its round limit
// (phased_engine::run(max_rounds)) or by the program.
//
// Every rank draws with the same seed and learns the same priorities (the
// masters' values, summed over ranks after each set), so every rank keeps
// the same set; the dependency rule must answer alike on every rank.
#include <algorithm>
#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/comm/wire.hpp"
#include "engine/core/error.hpp"
#include "engine/core/types.hpp"
#include "engine/gas/frontier.hpp"
#include "engine/graph/topology.hpp"
#include "engine/phased/sum_tree.hpp"

namespace gasworks {

enum class set_selection {
  cyclic,    // candidates in order, a block per phase
  uniform,   // P drawn uniformly at random (Shotgun)
  priority,  // drawn with probability proportional to priority + exploration (STRADS)
};

// Which candidates may share a phase: begin_set() starts a phase's set,
// admit(c) says whether c may join the candidates admitted since (and, if
// so, counts it in).
template <class R>
concept dependency_rule = requires(R& r, std::uint64_t c) {
  r.begin_set();
  { r.admit(c) } -> std::convertible_to<bool>;
};

// The rule under which any candidates may run together.
struct independent_candidates {
  void begin_set() noexcept {}
  bool admit(std::uint64_t) const noexcept { return true; }
};

struct strads_options {
  set_selection selection = set_selection::priority;
  std::uint32_t set_size = 1;      // P: candidates per phase at most (0: phases only deliver)
  double exploration = 0.1;        // eta: the share of priority draws made uniformly
  double initial_priority = 1;     // a candidate's priority before it first runs
  std::uint32_t oversampling = 2;  // candidates drawn per slot of the set, before thinning
  std::uint64_t seed = 1;
};

struct strads_statistics {
  std::uint64_t sets = 0;      // phases with at least one candidate
  std::uint64_t kept = 0;      // candidates run
  std::uint64_t rejected = 0;  // drawn but dropped by the dependency rule
};

template <dependency_rule Rule = independent_candidates>
class strads_sets {
 public:
  static constexpr bool uses_priorities = true;

  strads_sets(const topology& shard, vertex_id first_candidate, std::uint64_t candidates, Rule rule, strads_options options)
      : shard_(&shard),
        rule_(std::move(rule)),
        options_(options),
        candidates_(candidates),
        local_of_(candidates),
        data_vertices_(shard.num_local_vertices()),
        random_(options.seed) {
    if (!(options.exploration >= 0 && options.exploration <= 1)) throw usage_error("exploration must lie in [0, 1]");
    if (!(options.initial_priority >= 0)) throw usage_error("priorities must be non-negative");
    if (options.oversampling < 1) throw usage_error("oversampling must be at least 1");
    for (local_id v = 0; v < shard.num_local_vertices(); ++v) {
      const vertex_id id = shard.global_id(v);
      if (id >= first_candidate && id - first_candidate < candidates) local_of_[id - first_candidate] = v;
      else data_vertices_.insert(v);
    }
    weights_.assign(candidates, options.initial_priority);
    drawn_mark_.assign(candidates, false);
  }

  std::uint32_t phases_per_round() const noexcept { return 1; }

  // The next phase's set: learns the last set's priorities, draws and thins
  // this one, and adds the scheduled data vertices.
  template <class PriorityOf>
  void choose(std::uint32_t, const frontier& scheduled, PriorityOf&& priority_of, std::vector<local_id>& chosen) {
    learn_priorities(priority_of);
    kept_.clear();
    if (options_.set_size > 0 && candidates_ > 0) {
      draw_and_thin();
      if (!kept_.empty()) ++statistics_.sets;
      statistics_.kept += kept_.size();
      if (observer_) observer_(std::span<const std::uint64_t>(kept_));
    }
    kept_here_.clear();
    for (const std::uint64_t c : kept_)
      if (local_of_[c]) kept_here_.push_back(*local_of_[c]);
    std::sort(kept_here_.begin(), kept_here_.end());
    // The data vertices come in ascending order: the few candidates are
    // merged in as they pass, and the set is in order.
    auto next = kept_here_.begin();
    scheduled.for_each_common(data_vertices_, [&](local_id v) {
      while (next != kept_here_.end() && *next < v) chosen.push_back(*next++);
      chosen.push_back(v);
    });
    chosen.insert(chosen.end(), next, kept_here_.end());
  }

  // Every candidate's priority at once (a program that measured them all);
  // replaces what the last set signalled.
  void set_priorities(std::span<const double> priorities) {
    if (priorities.size() != candidates_) throw usage_error("set_priorities needs one priority per candidate");
    weights_.assign(priorities);
    kept_.clear();
  }

  // P for the following phases; 0 runs only the data vertices' deliveries.
  void set_size(std::uint32_t p) noexcept { options_.set_size = p; }
  std::uint32_t set_size() const noexcept { return options_.set_size; }
  const strads_options& options() const noexcept { return options_; }
  const strads_statistics& statistics() const noexcept { return statistics_; }
  Rule& rule() noexcept { return rule_; }
  // Called with each phase's kept candidates, in the order they were kept.
  void on_set(std::function<void(std::span<const std::uint64_t>)> observer) { observer_ = std::move(observer); }

  // What the draws to come depend on, as a checkpoint keeps it: the random
  // engine's state, every priority, the last set (whose priorities the next
  // phase learns), the cyclic position, P and the counts.
  void write_to(wire_writer& w) const {
    std::ostringstream random_state;
    random_state << random_;
    const std::string text = random_state.str();
    w.put(static_cast<std::uint64_t>(text.size()));
    w.put_all(std::span<const char>(text));
    w.put(candidates_);
    for (std::uint64_t c = 0; c < candidates_; ++c) w.put(weights_.weight(c));
    w.put(static_cast<std::uint64_t>(kept_.size()));
    w.put_all(std::span<const std::uint64_t>(kept_));
    w.put(next_);
    w.put(options_.set_size);
    w.put(statistics_);
  }
  void read_from(wire_reader& r) {
    const auto text_size = r.get<std::uint64_t>();
    if (text_size > (1u << 16)) throw std::invalid_argument("saved random state of an impossible size");
    std::string text(text_size, '\0');
    r.get_all(std::span<char>(text));
    std::istringstream random_state(text);
    random_state >> random_;
    if (!random_state) throw std::invalid_argument("saved random state unreadable");
    if (r.get<std::uint64_t>() != candidates_) throw std::invalid_argument("saved priorities of another candidate count");
    std::vector<double> weights(candidates_);
    r.get_all(std::span<double>(weights));
    weights_.assign(weights);
    const auto kept = r.get<std::uint64_t>();
    if (kept > candidates_) throw std::invalid_argument("saved set larger than the candidates");
    kept_.resize(kept);
    r.get_all(std::span<std::uint64_t>(kept_));
    for (const std::uint64_t c : kept_)
      if (c >= candidates_) throw std::invalid_argument("saved set names no candidate");
    next_ = r.get<std::uint64_t>();
    if (next_ >= std::max<std::uint64_t>(candidates_, 1)) throw std::invalid_argument("saved cyclic position past the candidates");
    options_.set_size = r.get<std::uint32_t>();
    statistics_ = r.get<strads_statistics>();
  }

 private:
  // The last set's candidates signalled their new priorities to their
  // masters; one sum over ranks tells every rank.
  template <class PriorityOf>
  void learn_priorities(PriorityOf& priority_of) {
    if (kept_.empty() || options_.selection != set_selection::priority) return;
    learned_.assign(kept_.size(), 0.0);
    for (std::size_t k = 0; k < kept_.size(); ++k) {
      const auto local = local_of_[kept_[k]];
      if (local && shard_->is_master(*local)) learned_[k] = priority_of(*local);
    }
    if (shard_->num_ranks() > 1) shard_->ranks()->all_reduce_sum(std::span<double>(learned_));
    for (std::size_t k = 0; k < kept_.size(); ++k) weights_.set(kept_[k], learned_[k]);
  }

  // Keeps `c` if the rule admits it beside the candidates kept before it.
  bool keep_if_admitted(std::uint64_t c) {
    if (!rule_.admit(c)) {
      ++statistics_.rejected;
      return false;
    }
    kept_.push_back(c);
    return true;
  }

  void draw_and_thin() {
    const std::uint64_t p = std::min<std::uint64_t>(options_.set_size, candidates_);
    const std::uint64_t draws = std::min<std::uint64_t>(p * options_.oversampling, candidates_);
    rule_.begin_set();
    switch (options_.selection) {
      case set_selection::cyclic:
        // In order; a candidate that interferes begins the next set, so each
        // runs once per cycle.
        for (std::uint64_t taken = 0; taken < p; ++taken) {
          if (!keep_if_admitted(next_)) break;
          next_ = next_ + 1 == candidates_ ? 0 : next_ + 1;
        }
        break;
      case set_selection::uniform:
        draw_distinct(draws, p, [&] { return uniform_candidate(); });
        break;
      case set_selection::priority:
        // Without replacement: a drawn candidate's weight is lifted out of
        // the tree until the set is complete.
        draw_distinct(draws, p, [&] {
          const bool explore = std::uniform_real_distribution<double>(0.0, 1.0)(random_) < options_.exploration;
          if (explore || !(weights_.total() > 0)) return uniform_candidate();
          return weights_.find(std::uniform_real_distribution<double>(0.0, weights_.total())(random_));
        });
        break;
    }
  }

  std::uint64_t uniform_candidate() { return std::uniform_int_distribution<std::uint64_t>(0, candidates_ - 1)(random_); }

  // Draws until `draws` distinct candidates were drawn, p kept, or the rule
  // refused `patience` in a row (the set is then as full as the rule lets
  // it be: on correlated data its budget, not P, bounds it); a drawn
  // candidate leaves the priority tree until the set is complete.
  static constexpr std::uint64_t patience = 8;
  template <class Draw>
  void draw_distinct(std::uint64_t draws, std::uint64_t p, Draw&& draw) {
    drawn_.clear();
    std::uint64_t refused = 0;
    for (std::uint64_t d = 0; d < draws && kept_.size() < p && refused < patience; ++d) {
      std::uint64_t c = draw();
      while (drawn_mark_[c]) c = uniform_candidate();  // draws <= candidates, so a fresh one exists
      drawn_mark_[c] = true;
      drawn_.emplace_back(c, weights_.weight(c));
      weights_.set(c, 0.0);
      refused = keep_if_admitted(c) ? 0 : refused + 1;
    }
    for (const auto& [c, w] : drawn_) {
      drawn_mark_[c] = false;
      weights_.set(c, w);
    }
  }

  const topology* shard_;
  Rule rule_;
  strads_options options_;
  std::uint64_t candidates_;
  std::vector<std::optional<local_id>> local_of_;  // per candidate, its local id when held here
  frontier data_vertices_;                          // the vertices that are not candidates
  std::mt19937_64 random_;
  sum_tree weights_;                                // per candidate, priority + exploration
  std::vector<std::uint64_t> kept_;                 // this phase's candidates, in the order kept
  std::vector<local_id> kept_here_;                 // their local ids on this rank, ascending
  std::vector<double> learned_;
  std::vector<std::pair<std::uint64_t, double>> drawn_;
  std::vector<bool> drawn_mark_;
  std::uint64_t next_ = 0;  // cyclic: the next candidate
  strads_statistics statistics_;
  std::function<void(std::span<const std::uint64_t>)> observer_;
};

}  // namespace gasworks
