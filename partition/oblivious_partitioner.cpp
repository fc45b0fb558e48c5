#include "partition/oblivious_partitioner.hpp"

#include <algorithm>

#include "partition/least_loaded.hpp"
#include "partition/placement_checks.hpp"

namespace gasworks::partition {

oblivious_partitioner::oblivious_partitioner(part_id parts)
    : replicas_(parts), loads_(parts, 0), candidates_(replicas_.words_per_set(), 0) {}

part_id oblivious_partitioner::place_one(const edge& e) {
  const std::uint32_t u = replicas_.vertex(e.source);
  const std::uint32_t v = replicas_.vertex(e.target);
  const auto a_u = replicas_.words(u), a_v = replicas_.words(v);
  const std::size_t words = candidates_.size();

  bool any = false;
  for (std::size_t w = 0; w < words; ++w) any |= (candidates_[w] = a_u[w] & a_v[w]) != 0;
  if (!any) {
    const bool u_placed = !replicas_.empty(u), v_placed = !replicas_.empty(v);
    if (u_placed || v_placed) {
      for (std::size_t w = 0; w < words; ++w) candidates_[w] = a_u[w] | a_v[w];
    } else {
      std::fill(candidates_.begin(), candidates_.end(), ~std::uint64_t{0});
      if (const part_id tail = parts() % 64; tail != 0) candidates_.back() = (std::uint64_t{1} << tail) - 1;
    }
  }
  const part_id p = least_loaded(loads_, [&](auto&& f) { for_each_part(candidates_, f); }, edge_hash(e));
  ++loads_[p];
  replicas_.add(u, p);
  replicas_.add(v, p);
  return p;
}

void oblivious_partitioner::place(std::span<const edge> batch, std::span<part_id> parts_out) {
  check_batch(batch, parts_out);
  for (std::size_t i = 0; i < batch.size(); ++i) parts_out[i] = place_one(batch[i]);
}

}  // namespace gasworks::partition
