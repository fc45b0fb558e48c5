#pragma once
// What ingress reports about the partition it built: how many replicas the
// vertex-cut made and how evenly edges and vertices spread over the ranks.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "partition/partitioner.hpp"

namespace gasworks {

struct ingress_report {
  partition::method method = partition::default_method;
  int ranks = 1;
  std::uint64_t vertices = 0;  // in the whole graph
  std::uint64_t edges = 0;
  std::uint64_t replicas = 0;     // vertex copies over all ranks (masters + mirrors)
  double replication_factor = 1;  // replicas / vertices
  double edge_balance = 1;        // max / mean edges per rank
  double vertex_balance = 1;      // max / mean replicas per rank
  double seconds = 0;             // reading, placement, exchange and building, slowest rank
  // The steps of a multi-rank ingress ("read", "deduplicate", "place",
  // "exchange", "build", "directory"), each the slowest rank's seconds.
  std::vector<std::pair<std::string, double>> steps;

  // "3 ranks, hdrf: replication 1.42, edge balance 1.01, vertex balance 1.10, ingress 0.35 s"
  std::string describe() const;
  // "read 0.10 s, deduplicate 0.05 s, ..." (empty with one rank)
  std::string describe_steps() const;
};

}  // namespace gasworks
