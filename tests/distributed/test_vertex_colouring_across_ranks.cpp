// Vertex colouring across ranks: every replica of a vertex gets the same
// colour, the colouring is valid, and it is the one a single process (and
// the serial greedy oracle) computes, whatever the partitioner.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/ingress/distributed_ingress.hpp"
#include "engine/io/read_edge_list.hpp"
#include "engine/phased/vertex_colouring.hpp"
#include "tests/distributed/world.hpp"
#include "tests/support/reference_colouring.hpp"

namespace gasworks {
namespace {

using testing::colouring_conflict;
using testing::reference_colouring;
using testing::this_process_only;
using testing::world;

const std::filesystem::path email = std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt";

struct id_colour {
  vertex_id id;
  std::uint32_t colour;
};

TEST(VertexColouringAcrossRanks, EveryReplicaAgreesAndTheColouringIsTheOneProcessOne) {
  const auto edges = io::read_edge_list(email, io::graph_format::snap).edges;
  const auto one_process = load_graph<char>(this_process_only(), email, io::graph_format::snap);
  for (partition::method m : {partition::method::random, partition::method::hdrf}) {
    for (auto d : {colouring_distance::one, colouring_distance::two}) {
      SCOPED_TRACE(std::string(partition::name(m)) + (d == colouring_distance::one ? ", distance one" : ", distance two"));
      ingress_options options;
      options.method = m;
      const auto g = load_graph<char>(world(), email, io::graph_format::snap, options);
      const topology& s = g.structure();
      const auto c = colour_vertices(s, d);
      ASSERT_EQ(c.colour.size(), s.num_local_vertices());
      const auto alone = colour_vertices(one_process.structure(), d);

      // Every replica's colour, from every rank.
      std::vector<id_colour> mine;
      for (local_id v = 0; v < s.num_local_vertices(); ++v) mine.push_back({s.global_id(v), c.colour[v]});
      std::map<vertex_id, std::uint32_t> colours;
      std::uint64_t replicas = 0;
      for (const auto& bytes : world()->all_gather(std::as_bytes(std::span<const id_colour>(mine)))) {
        for (wire_reader r(bytes); !r.done(); ++replicas) {
          const auto [id, colour] = r.get<id_colour>();
          const auto known = colours.emplace(id, colour).first;
          EXPECT_EQ(known->second, colour) << "replicas of vertex " << id << " disagree";
        }
      }
      if (world()->size() > 1 && m == partition::method::random) {
        EXPECT_GT(replicas, colours.size());  // mirrors were coloured too
      }

      const auto conflict = colouring_conflict(edges, d, colours);
      EXPECT_FALSE(conflict) << *conflict;
      std::map<vertex_id, std::uint32_t> expected;
      const auto& os = one_process.structure();
      for (local_id v = 0; v < os.num_local_vertices(); ++v) expected.emplace(os.global_id(v), alone.colour[v]);
      EXPECT_EQ(colours, expected);
      EXPECT_EQ(colours, reference_colouring(edges, d));
      EXPECT_EQ(c.colours, alone.colours);
      EXPECT_EQ(c.rounds, alone.rounds);
    }
  }
}

}  // namespace
}  // namespace gasworks
