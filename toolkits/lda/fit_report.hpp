#pragma once
// What a fit of LDA is asked (priors, sampling, engine) and what it reports:
// the log-likelihood per token and the sampling speed after every measured
// sweep.
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "engine/checkpoint/checkpointing.hpp"
#include "engine/gas/run_report.hpp"
#include "toolkits/lda/gibbs_program.hpp"
#include "toolkits/lda/lda_model.hpp"

namespace gasworks::lda {

// Which engine samples: the synchronous one (parts of a sweep between exact
// recounts) or the asynchronous one (words fold in moves as they come).
enum class engine_kind { synchronous, asynchronous };

struct fit_options {
  hyperparameters model;
  engine_kind engine = engine_kind::synchronous;
  gibbs_program::settings sampling;
  std::optional<double> timeout_seconds;
  // Checkpoints to save and resume from (not owned).
  checkpoint::checkpointing* checkpoints = nullptr;
};

struct sweep_report {
  std::uint64_t sweep = 0;  // 1-based
  double log_likelihood_per_token = std::numeric_limits<double>::quiet_NaN();  // NaN when not measured
  double seconds = 0;                                                        // since the run started
  double tokens_per_second = 0;                                              // of the sweep's sampling steps
};

struct fit_result {
  run_summary run;
  std::vector<sweep_report> history;
  std::vector<std::int64_t> topic_totals;  // n_k at the end
  std::uint64_t tokens = 0;
};

}  // namespace gasworks::lda
