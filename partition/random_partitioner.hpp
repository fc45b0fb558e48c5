#pragma once
// Random placement: an edge goes to the part its hash names. Stateless, so
// every rank places its edges on its own without any coordination; the
// baseline every other method must beat (PowerGraph's "random" ingress).
#include "partition/partitioner.hpp"

namespace gasworks::partition {

class random_partitioner final : public partitioner {
 public:
  explicit random_partitioner(part_id parts);

  method kind() const noexcept override { return method::random; }
  part_id parts() const noexcept override { return parts_; }
  void place(std::span<const edge> batch, std::span<part_id> parts_out) override;

 private:
  part_id parts_;
};

}  // namespace gasworks::partition
