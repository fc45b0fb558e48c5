#pragma once
// What the phased engine asks of a set scheduler: before each phase, the
// set of scheduled vertices that run in it together. The scheduler's rule
// decides which vertices may share a phase: colour_sets.hpp keeps a
// consistency model by colour classes; a toolkit may bring a rule of its
// own (features whose correlation stays below a bound, say).
//
//   S::uses_priorities             true if choose reads priorities: the engine
//                                  then keeps each vertex's combined priority
//   phases_per_round()             phases before the choice starts over (a
//                                  round is what the run summary counts)
//   choose(phase, scheduled, priority_of, chosen)
//                                  appends to `chosen` the vertices of this
//                                  shard that run in phase `phase` of the
//                                  round, in ascending local id: scheduled
//                                  ones, or any the scheduler keeps eligible
//                                  (a model's parameters, strads_sets.hpp);
//                                  priority_of(v) is v's combined priority
// Every rank must choose alike: a vertex chosen on one rank is chosen on
// every rank that holds a replica of it. choose is called by one thread per
// rank, and may communicate (collectively) to agree.
#include <concepts>
#include <cstdint>
#include <vector>

#include "engine/core/types.hpp"
#include "engine/gas/frontier.hpp"

namespace gasworks {

template <class S>
concept set_scheduler = requires(S& s, std::uint32_t phase, const frontier& scheduled, double (*priority_of)(local_id),
                                 std::vector<local_id>& chosen) {
  { S::uses_priorities } -> std::convertible_to<bool>;
  { s.phases_per_round() } -> std::convertible_to<std::uint32_t>;
  s.choose(phase, scheduled, priority_of, chosen);
};

}  // namespace gasworks
