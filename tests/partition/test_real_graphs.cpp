// On real graphs the methods rank as the literature reports where that
// ranking is robust: the degree-aware and whole-graph methods replicate well
// below random placement, and grid stays within its bound.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "engine/io/read_edge_list.hpp"
#include "partition/edge_stream.hpp"
#include "partition/grid_partitioner.hpp"
#include "partition/simulate.hpp"
#include "tests/support/shared_datasets.hpp"

namespace gasworks::partition {
namespace {

std::vector<edge> read(const std::filesystem::path& file) {
  return edge_stream(io::read_edge_list(file, io::graph_format::snap), ingress_policy{});
}

void expect_literature_ordering(const std::vector<edge>& edges, const std::string& graph) {
  for (part_id parts : {4u, 8u}) {
    const partition_quality random = simulate(method::random, parts, edges);
    const partition_quality grid = simulate(method::grid, parts, edges);
    const partition_quality oblivious = simulate(method::oblivious, parts, edges);
    const partition_quality hdrf = simulate(method::hdrf, parts, edges);
    const partition_quality metis = simulate(method::metis, parts, edges);
    const std::string where = graph + ", " + std::to_string(parts) + " parts";
    EXPECT_LT(hdrf.replication_factor, 0.9 * random.replication_factor) << where;
    EXPECT_LT(metis.replication_factor, 0.9 * random.replication_factor) << where;
    EXPECT_LT(oblivious.replication_factor, random.replication_factor) << where;
    EXPECT_LT(grid.replication_factor, random.replication_factor) << where;
    EXPECT_LE(grid.replication_factor, grid_partitioner(parts).replica_bound()) << where;
    // Hashing spreads edges evenly; grid balances within its constraint.
    EXPECT_LT(random.edge_balance, 1.1) << where;
    EXPECT_LT(grid.edge_balance, 1.1) << where;
  }
}

TEST(RealGraphs, EmailEuCoreFromTheProject) {
  expect_literature_ordering(read(std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt"), "email-Eu-core");
}

TEST(RealGraphs, CaGrQc) {
  GASWORKS_REQUIRE_DATASET(file, "graphs/ca-GrQc.txt");
  expect_literature_ordering(read(file), "ca-GrQc");
}

}  // namespace
}  // namespace gasworks::partition
