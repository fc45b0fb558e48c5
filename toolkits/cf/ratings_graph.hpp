#pragma once
// Builds the users-items graph of a ratings file, on every rank of a run:
// each rank reads its share of the training (and validation) ratings, and
// multi-rank ingress places the edges. A user rating an item twice gives two
// edges (both count), and a validation rating of a pair also rated in
// training is a separate edge. `options` chooses the placement; its policy
// is set here (every rating is kept).
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "engine/comm/collective_error.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "toolkits/cf/ratings_file.hpp"

namespace gasworks::cf {

template <class VertexData>
graph<VertexData, rating_edge> load_ratings_graph(const std::shared_ptr<communicator>& ranks,
                                                  const std::filesystem::path& training,
                                                  const std::optional<std::filesystem::path>& validation,
                                                  ingress_options options = {}, ingress_report* report = nullptr) {
  step_clock clock;
  std::vector<routed_edge<rating_edge>> edges;
  std::uint64_t training_count = 0;
  auto append = [&](const ratings_read& part, rating_role role) {
    for (const rating& r : part.ratings) edges.push_back({user_vertex(r.user), item_vertex(r.item), {r.value, role}});
  };
  run_collectively(*ranks, [&] {
    append(read_rank_ratings(*ranks, training, rating_columns::with_value), rating_role::train);
    training_count = edges.size();
    if (validation) append(read_rank_ratings(*ranks, *validation, rating_columns::with_value), rating_role::validation);
  });
  if (ranks->all_reduce_sum(training_count) == 0) {
    // Every rank knows the total, so every rank raises the same error.
    run_collectively(*ranks, [&] {
      if (ranks->rank() == 0) throw input_error(training, 0, "no ratings found: expected lines 'user item rating'");
    });
  }
  clock.mark("read");
  options.policy = {};
  options.policy.parallel_edges = ingress_policy::duplicates::keep;
  return build_shard<VertexData, rating_edge>(ranks, std::move(edges), {}, options, report, clock);
}

}  // namespace gasworks::cf
