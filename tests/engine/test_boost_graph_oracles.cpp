// Engine results against Boost.Graph, an oracle that shares no code with the
// engine: hop distances of the example BFS program against
// boost::breadth_first_search, and connected components by label
// propagation, on the synchronous and the asynchronous engine, against
// boost::connected_components. Every comparison is exact and by global id,
// with the engine's vertices numbered by id and by degree.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "apps/examples/hop_distance.hpp"
#include "engine/async_engine.hpp"
#include "engine/generators/kronecker.hpp"
#include "engine/graph/build_from_edge_list.hpp"
#include "engine/io/read_edge_list.hpp"
#include "engine/sync/sync_engine.hpp"
#include "tests/support/boost_graph_oracles.hpp"
#include "tests/support/min_label_program.hpp"
#include "tests/support/shared_datasets.hpp"

namespace gasworks {
namespace {

using testing::component_label;
using testing::min_label_program;
using vertex_order = ingress_policy::vertex_order;

constexpr vertex_order both_orders[] = {vertex_order::by_id, vertex_order::by_degree};

const char* name_of(vertex_order order) { return order == vertex_order::by_id ? "numbered by id" : "numbered by degree"; }

io::edge_list email_graph() {
  return io::read_edge_list(std::filesystem::path(GASWORKS_PROJECT_DATASETS) / "email-Eu-core.txt", io::graph_format::snap);
}

template <class VertexData>
graph<VertexData> build_numbered(const io::edge_list& input, vertex_order order) {
  ingress_policy policy;
  policy.order = order;
  return build_graph<VertexData>(input, policy);
}

// Maps of a few thousand entries print truncated; this names what differs.
template <class Value>
std::string differences(const std::map<vertex_id, Value>& expected, const std::map<vertex_id, Value>& actual) {
  std::string out;
  std::size_t count = 0;
  for (const auto& [id, value] : expected) {
    const auto found = actual.find(id);
    if (found != actual.end() && found->second == value) continue;
    if (++count <= 5) {
      out += "vertex " + std::to_string(id) + ": expected " + std::to_string(value) + ", got " +
             (found == actual.end() ? std::string("nothing") : std::to_string(found->second)) + "\n";
    }
  }
  for (const auto& [id, value] : actual)
    if (!expected.contains(id) && ++count <= 5) out += "vertex " + std::to_string(id) + " not expected\n";
  return count == 0 ? out : "vertices that differ: " + std::to_string(count) + ", first:\n" + out;
}

// --- Hop distances -------------------------------------------------------

static_assert(hops::unreached == testing::boost_unreached, "both sides mark unreached vertices alike");

// The example program's hops from `source`, by global id.
std::map<vertex_id, std::uint32_t> engine_hops(const io::edge_list& input, vertex_id source, vertex_order order) {
  auto g = build_numbered<hops::vertex_state>(input, order);
  const topology& s = g.structure();
  const local_id start = *s.find(source);
  g.vertex_data(start).hops = 0;
  sync_engine<hops::program> engine(g, {});
  // The program pulls along in-edges, so the search starts at the source's out-neighbours.
  for (edge_index e = s.out_begin(start); e < s.out_end(start); ++e) engine.signal(s.global_id(s.out_target(e)));
  EXPECT_EQ(engine.run().reason, termination::converged);
  std::map<vertex_id, std::uint32_t> result;
  for (local_id v = 0; v < s.num_local_vertices(); ++v) result.emplace(s.global_id(v), g.vertex_data(v).hops);
  return result;
}

// Directed hops, as the program gathers in-edges and signals out-neighbours.
// Each source must leave some vertices unreached, so that both kinds are compared.
void expect_boost_hops(const io::edge_list& input, const std::vector<vertex_id>& sources) {
  for (vertex_id source : sources) {
    SCOPED_TRACE("source " + std::to_string(source));
    const auto expected = testing::boost_hop_distances(input.edges, input.declared_vertices(), source);
    ASSERT_EQ(expected.at(source), 0u);
    std::size_t unreached = 0;
    for (const auto& [id, h] : expected) unreached += h == hops::unreached;
    ASSERT_GT(unreached, 0u);
    ::testing::Test::RecordProperty("reached_from_" + std::to_string(source), static_cast<int>(expected.size() - unreached));
    for (auto order : both_orders) {
      SCOPED_TRACE(name_of(order));
      const auto actual = engine_hops(input, source, order);
      EXPECT_EQ(actual, expected) << differences(expected, actual);
    }
  }
}

// Directed, with self-loops and sinks: 0 and 500 reach 965 vertices (up to 4
// and 5 hops), 846 one other, 1 none.
TEST(BoostGraphOracle, HopDistancesEqualBreadthFirstSearchOnEmailGraph) {
  expect_boost_hops(email_graph(), {0, 500, 846, 1});
}

// Stored in both directions, 355 components: 3466 and 5052 reach the largest
// (4158 vertices, up to 11 and 9 hops), 10134 a component of three.
TEST(BoostGraphOracle, HopDistancesEqualBreadthFirstSearchOnCollaborationGraph) {
  GASWORKS_REQUIRE_DATASET(path, "graphs/ca-GrQc.txt");
  expect_boost_hops(io::read_edge_list(path, io::graph_format::snap), {3466, 5052, 10134});
}

// --- Connected components ------------------------------------------------

std::map<vertex_id, vertex_id> labels_by_id(const graph<component_label>& g) {
  const topology& s = g.structure();
  std::map<vertex_id, vertex_id> result;
  for (local_id v = 0; v < s.num_local_vertices(); ++v) result.emplace(s.global_id(v), g.vertex_data(v).label);
  return result;
}

std::map<vertex_id, vertex_id> sync_components(const io::edge_list& input, vertex_order order) {
  auto g = build_numbered<component_label>(input, order);
  sync_engine<min_label_program> engine(g, {});
  engine.signal_all();
  EXPECT_EQ(engine.run().reason, termination::converged);
  return labels_by_id(g);
}

std::map<vertex_id, vertex_id> async_components(const io::edge_list& input, vertex_order order) {
  auto g = build_numbered<component_label>(input, order);
  async_engine<min_label_program> engine(g, {});  // fifo scheduler, edge consistency
  engine.signal_all();
  EXPECT_EQ(engine.run().reason, termination::converged);
  return labels_by_id(g);
}

// Returns the number of components, so that a test can make sure there are
// several: with one, a label spreading too far could not show.
std::size_t expect_boost_components(const io::edge_list& input) {
  const auto expected = testing::boost_component_minima(input.edges, input.declared_vertices());
  std::set<vertex_id> components;
  for (const auto& [id, label] : expected) components.insert(label);
  for (auto order : both_orders) {
    SCOPED_TRACE(name_of(order));
    const auto sync = sync_components(input, order);
    EXPECT_EQ(sync, expected) << "synchronous engine: " << differences(expected, sync);
    const auto async = async_components(input, order);
    EXPECT_EQ(async, expected) << "asynchronous engine: " << differences(expected, async);
  }
  return components.size();
}

// 20 weakly connected components, 986 vertices in the largest.
TEST(BoostGraphOracle, LabelPropagationFindsBoostComponentsOfEmailGraph) {
  EXPECT_EQ(expect_boost_components(email_graph()), 20u);
}

io::edge_list kronecker_graph(std::uint64_t edge_factor, std::uint64_t seed) {
  generators::kronecker_params params;
  params.scale = 10;
  params.edge_factor = edge_factor;
  params.seed = seed;
  io::edge_list list;
  generators::generate_kronecker(params, [&](vertex_id s, vertex_id t) { list.edges.emplace_back(s, t); });
  return list;
}

// Graph500's edge factor joins every vertex with an edge into one
// component; an edge factor of 1 leaves small ones beside the largest.
TEST(BoostGraphOracle, LabelPropagationFindsBoostComponentsOfKroneckerGraphs) {
  {
    SCOPED_TRACE("edge factor 16");
    const std::size_t components = expect_boost_components(kronecker_graph(16, 5));
    ::testing::Test::RecordProperty("components_edge_factor_16", static_cast<int>(components));
  }
  {
    SCOPED_TRACE("edge factor 1");
    const std::size_t components = expect_boost_components(kronecker_graph(1, 5));
    ::testing::Test::RecordProperty("components_edge_factor_1", static_cast<int>(components));
    EXPECT_GT(components, 1u);
  }
}

}  // namespace
}  // namespace gasworks
