#pragma once
// High-Degree (are) Replicated First (Petroni et al., CIKM 2015).
//
// A greedy streaming placement that prefers to replicate the endpoint of
// higher degree: on power-law graphs the few hubs are replicated anyway, and
// keeping the many low-degree vertices whole is what lowers the replication
// factor. Degrees are partial: δ(v) counts the edges of v this instance has
// seen, both endpoints' counts being increased before the edge is scored.
// For an edge (u, v), every part p scores
//   C_REP(p) = g(u, p) + g(v, p),  g(x, p) = 1 + (1 - θ(x)) if p ∈ A(x), else 0,
//   θ(u) = δ(u) / (δ(u) + δ(v)),   θ(v) = 1 - θ(u),
//   C_BAL(p) = λ (maxsize - |p|) / (ε + maxsize - minsize),
// with A(x) the parts holding an edge of x and |p| the edges placed on p by
// this instance; the edge goes to the part of highest C_REP + C_BAL, the
// lowest such part on a tie. λ = 1 and ε = 1, the paper's defaults.
#include <cstdint>
#include <vector>

#include "partition/partitioner.hpp"
#include "partition/replica_sets.hpp"

namespace gasworks::partition {

class hdrf_partitioner final : public partitioner {
 public:
  explicit hdrf_partitioner(part_id parts, double balance_weight = 1.0, double epsilon = 1.0);

  method kind() const noexcept override { return method::hdrf; }
  part_id parts() const noexcept override { return replicas_.parts(); }
  void place(std::span<const edge> batch, std::span<part_id> parts_out) override;

 private:
  part_id place_one(const edge& e);

  double balance_weight_;  // λ
  double epsilon_;         // ε
  replica_sets replicas_;
  std::vector<std::uint64_t> partial_degree_;  // δ, by vertex number
  std::vector<std::uint64_t> loads_;           // |p|
  std::uint64_t max_load_ = 0;
};

}  // namespace gasworks::partition
