#include "partition/hdrf_partitioner.hpp"

#include <algorithm>
#include <cmath>

#include "engine/core/error.hpp"
#include "partition/placement_checks.hpp"

namespace gasworks::partition {

hdrf_partitioner::hdrf_partitioner(part_id parts, double balance_weight, double epsilon)
    : balance_weight_(balance_weight), epsilon_(epsilon), replicas_(parts), loads_(parts, 0) {
  if (!(balance_weight >= 0) || !std::isfinite(balance_weight)) throw usage_error("hdrf: the balance weight (lambda) must be a finite number >= 0");
  if (!(epsilon > 0) || !std::isfinite(epsilon)) throw usage_error("hdrf: epsilon must be a finite number > 0");
}

part_id hdrf_partitioner::place_one(const edge& e) {
  const std::uint32_t u = replicas_.vertex(e.source);
  const std::uint32_t v = replicas_.vertex(e.target);
  if (partial_degree_.size() < replicas_.vertices()) partial_degree_.resize(replicas_.vertices(), 0);
  ++partial_degree_[u];
  ++partial_degree_[v];
  const double degree_u = static_cast<double>(partial_degree_[u]);
  const double degree_v = static_cast<double>(partial_degree_[v]);
  const double theta_u = degree_u / (degree_u + degree_v);
  const double theta_v = 1 - theta_u;
  // g(x, p) for p in A(x): the lower x's degree, the more keeping it whole is worth.
  const double keep_u = 1 + (1 - theta_u), keep_v = 1 + (1 - theta_v);

  const std::uint64_t min_load = *std::min_element(loads_.begin(), loads_.end());
  const double balance_scale = balance_weight_ / (epsilon_ + static_cast<double>(max_load_ - min_load));

  part_id best = 0;
  double best_score = -1;
  for (part_id p = 0; p < parts(); ++p) {
    double score = balance_scale * static_cast<double>(max_load_ - loads_[p]);
    if (replicas_.holds(u, p)) score += keep_u;
    if (replicas_.holds(v, p)) score += keep_v;
    if (score > best_score) {
      best_score = score;
      best = p;
    }
  }
  max_load_ = std::max(max_load_, ++loads_[best]);
  replicas_.add(u, best);
  replicas_.add(v, best);
  return best;
}

void hdrf_partitioner::place(std::span<const edge> batch, std::span<part_id> parts_out) {
  check_batch(batch, parts_out);
  for (std::size_t i = 0; i < batch.size(); ++i) parts_out[i] = place_one(batch[i]);
}

}  // namespace gasworks::partition
