// The edges partitioners see follow the builder's ingress policy, in input order.
#include <gtest/gtest.h>

#include <vector>

#include "engine/graph/ingress_policy.hpp"
#include "engine/io/edge_list.hpp"
#include "partition/edge_stream.hpp"

namespace gasworks::partition {
namespace {

std::vector<std::pair<vertex_id, vertex_id>> pairs(const std::vector<edge>& edges) {
  std::vector<std::pair<vertex_id, vertex_id>> out;
  for (const edge& e : edges) out.emplace_back(e.source, e.target);
  return out;
}

io::edge_list sample() {
  io::edge_list list;
  list.edges = {{3, 1}, {1, 1}, {2, 3}, {3, 1}, {1, 3}, {1, 1}};
  return list;
}

TEST(EdgeStream, DefaultKeepsSelfLoopsAndTheFirstOfRepeatedEdges) {
  EXPECT_EQ(pairs(edge_stream(sample(), {})),
            (std::vector<std::pair<vertex_id, vertex_id>>{{3, 1}, {1, 1}, {2, 3}, {1, 3}}));
}

TEST(EdgeStream, FollowsEveryPolicyFlag) {
  ingress_policy drop_loops;
  drop_loops.loops = ingress_policy::self_loops::drop;
  EXPECT_EQ(pairs(edge_stream(sample(), drop_loops)), (std::vector<std::pair<vertex_id, vertex_id>>{{3, 1}, {2, 3}, {1, 3}}));

  ingress_policy multigraph;
  multigraph.parallel_edges = ingress_policy::duplicates::keep;
  EXPECT_EQ(edge_stream(sample(), multigraph).size(), 6u);

  ingress_policy symmetric;
  symmetric.symmetrize = true;
  EXPECT_EQ(pairs(edge_stream(sample(), symmetric)),
            (std::vector<std::pair<vertex_id, vertex_id>>{{3, 1}, {1, 3}, {1, 1}, {2, 3}, {3, 2}}));
}

}  // namespace
}  // namespace gasworks::partition
