#pragma once
// Colour phases (chromatic execution): the vertices are coloured so that no
// two vertices that must not run together share a colour (none for vertex
// consistency, neighbours for edge, vertices within distance two for full),
// and phase c of a round runs the scheduled vertices of colour c. Their
// gathers read only vertices of other colours, which no phase is changing,
// so every replica sees the same newest data. The colouring is the same on
// every rank (vertex_colouring.hpp), so the ranks choose alike without
// communicating. A set scheduler (set_scheduler.hpp).
#include <cstdint>
#include <vector>

#include "engine/core/types.hpp"
#include "engine/gas/async_options.hpp"
#include "engine/gas/frontier.hpp"
#include "engine/graph/topology.hpp"
#include "engine/phased/vertex_colouring.hpp"

namespace gasworks {

class colour_sets {
 public:
  static constexpr bool uses_priorities = false;

  // Collective: every rank builds its colour sets at once.
  colour_sets(const topology& shard, consistency_model model) {
    const local_id n = shard.num_local_vertices();
    const vertex_colouring colouring =
        model == consistency_model::vertex
            ? vertex_colouring{std::vector<std::uint32_t>(n, 0), 1, 0}
            : colour_vertices(shard, model == consistency_model::edge ? colouring_distance::one : colouring_distance::two);
    colours_ = colouring.colours;
    // Members of each colour, in ascending local id.
    colour_begin_.assign(colours_ + 1, 0);
    for (local_id v = 0; v < n; ++v) ++colour_begin_[colouring.colour[v] + 1];
    for (std::size_t c = 1; c < colour_begin_.size(); ++c) colour_begin_[c] += colour_begin_[c - 1];
    members_.resize(n);
    std::vector<std::uint64_t> at(colour_begin_.begin(), colour_begin_.end() - 1);
    for (local_id v = 0; v < n; ++v) members_[at[colouring.colour[v]]++] = v;
  }

  std::uint32_t phases_per_round() const noexcept { return colours_; }

  template <class PriorityOf>
  void choose(std::uint32_t colour, const frontier& scheduled, PriorityOf&&, std::vector<local_id>& chosen) const {
    for (auto i = colour_begin_[colour]; i < colour_begin_[colour + 1]; ++i)
      if (scheduled.contains(members_[i])) chosen.push_back(members_[i]);
  }

 private:
  std::uint32_t colours_ = 0;
  std::vector<std::uint64_t> colour_begin_;  // members of colour c: members_[colour_begin_[c] ..]
  std::vector<local_id> members_;
};

}  // namespace gasworks
