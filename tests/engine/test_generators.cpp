// Seeded graph generators: reproducible, sized as asked, in range, and with
// the degree distribution each promises, whatever the thread count.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <set>
#include <vector>

#include <tbb/global_control.h>

#include "engine/generators/kronecker.hpp"
#include "engine/generators/uniform_random.hpp"

namespace gasworks::generators {
namespace {

kronecker_params kron(unsigned scale, std::uint64_t seed) {
  kronecker_params p;
  p.scale = scale;
  p.seed = seed;
  return p;
}

uniform_random_params uniform(unsigned scale, std::uint64_t seed) { return uniform_random_params::from_scale(scale, 16, seed); }

// Out-degree plus in-degree of every vertex: the degree once symmetrized.
std::vector<std::uint64_t> degrees(const std::vector<generated_edge>& edges, std::uint64_t n) {
  std::vector<std::uint64_t> d(n, 0);
  for (const auto& e : edges) {
    ++d[e.source];
    ++d[e.target];
  }
  return d;
}

double max_over_mean(const std::vector<std::uint64_t>& d) {
  const double mean = static_cast<double>(std::accumulate(d.begin(), d.end(), std::uint64_t{0})) / static_cast<double>(d.size());
  return static_cast<double>(*std::max_element(d.begin(), d.end())) / mean;
}

template <class Generator>
std::vector<generated_edge> with_threads(int threads, const Generator& g) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  return generate_edges(g);
}

TEST(KroneckerGenerator, SizedByScaleAndEdgeFactor) {
  kronecker_params p = kron(8, 3);
  p.edge_factor = 5;
  const kronecker_generator g(p);
  EXPECT_EQ(g.vertex_count(), 256u);
  EXPECT_EQ(g.edge_count(), 5u * 256);
  const auto edges = generate_edges(g);
  EXPECT_EQ(edges.size(), 5u * 256);
  EXPECT_EQ(generate_edges(kronecker_generator(kron(12, 1))).size(), 16u << 12);
}

TEST(KroneckerGenerator, IdsInRange) {
  for (unsigned scale : {0u, 1u, 2u, 5u, 11u}) {
    const kronecker_generator g(kron(scale, 7));
    for (const auto& e : generate_edges(g)) {
      ASSERT_LT(e.source, g.vertex_count()) << "scale " << scale;
      ASSERT_LT(e.target, g.vertex_count()) << "scale " << scale;
    }
  }
}

TEST(KroneckerGenerator, SameSeedSameEdgesOtherSeedOtherEdges) {
  const auto first = generate_edges(kronecker_generator(kron(10, 42)));
  EXPECT_EQ(first, generate_edges(kronecker_generator(kron(10, 42))));
  const auto other = generate_edges(kronecker_generator(kron(10, 43)));
  ASSERT_EQ(first.size(), other.size());
  EXPECT_NE(first, other);
  // Not just a shuffle of each other: the edge sets differ too.
  auto sorted = [](std::vector<generated_edge> v) {
    std::sort(v.begin(), v.end(), [](auto x, auto y) { return std::pair(x.source, x.target) < std::pair(y.source, y.target); });
    return v;
  };
  EXPECT_NE(sorted(first), sorted(other));
}

TEST(KroneckerGenerator, IndependentOfThreadCount) {
  const kronecker_generator g(kron(12, 5));
  EXPECT_EQ(with_threads(1, g), with_threads(2, g));
}

TEST(KroneckerGenerator, StreamingMatchesBulkGeneration) {
  const kronecker_generator g(kron(9, 11));
  std::vector<generated_edge> streamed;
  // A block size that does not divide the edge count exercises the last, short block.
  for_each_edge(g, [&](std::uint32_t s, std::uint32_t t) { streamed.push_back({s, t}); }, 1000);
  EXPECT_EQ(streamed, generate_edges(g));
  std::vector<generated_edge> via_helper;
  generate_kronecker(kron(9, 11), [&](std::uint32_t s, std::uint32_t t) { via_helper.push_back({s, t}); });
  EXPECT_EQ(via_helper, streamed);
}

TEST(KroneckerGenerator, DegreesAreSkewed) {
  const kronecker_generator g(kron(12, 1));
  const auto d = degrees(generate_edges(g), g.vertex_count());
  EXPECT_GT(max_over_mean(d), 20.0);
}

TEST(KroneckerGenerator, RelabellingMovesHubsAwayFromLowIds) {
  kronecker_params p = kron(12, 1);
  p.relabel = false;
  const kronecker_generator raw(p);
  const auto raw_degrees = degrees(generate_edges(raw), raw.vertex_count());
  // Without relabelling, vertex 0 (all quadrant-a choices) is the biggest hub.
  EXPECT_EQ(std::max_element(raw_degrees.begin(), raw_degrees.end()) - raw_degrees.begin(), 0);

  const kronecker_generator relabelled(kron(12, 1));
  const auto d = degrees(generate_edges(relabelled), relabelled.vertex_count());
  const auto hub = static_cast<std::uint64_t>(std::max_element(d.begin(), d.end()) - d.begin());
  EXPECT_NE(hub, 0u);
  // Same degree multiset: relabelling is a permutation.
  auto a = raw_degrees, b = d;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
}

TEST(IdPermutation, IsABijection) {
  for (unsigned bits : {0u, 1u, 2u, 3u, 7u, 12u}) {
    const id_permutation p(bits, 99);
    std::set<std::uint64_t> images;
    for (std::uint64_t id = 0; id < (std::uint64_t{1} << bits); ++id) {
      const std::uint64_t image = p(id);
      ASSERT_LT(image, std::uint64_t{1} << bits);
      images.insert(image);
    }
    EXPECT_EQ(images.size(), std::uint64_t{1} << bits) << bits << " bits";
  }
}

TEST(KroneckerGenerator, RejectsBadParameters) {
  EXPECT_THROW(kronecker_generator(kron(33, 1)), usage_error);
  kronecker_params p = kron(4, 1);
  p.a = 0.9;
  EXPECT_THROW((kronecker_generator(p)), usage_error);
  p = kron(4, 1);
  p.b = -0.1;
  EXPECT_THROW((kronecker_generator(p)), usage_error);
}

TEST(UniformRandomGenerator, SizedAndInRange) {
  const uniform_random_generator g(uniform(10, 2));
  EXPECT_EQ(g.vertex_count(), 1024u);
  EXPECT_EQ(g.edge_count(), 16u * 1024);
  const auto edges = generate_edges(g);
  ASSERT_EQ(edges.size(), 16u * 1024);
  for (const auto& e : edges) {
    ASSERT_LT(e.source, 1024u);
    ASSERT_LT(e.target, 1024u);
  }
  // Any vertex count, not only powers of two.
  const uniform_random_generator odd({.vertex_count = 3, .edge_count = 300, .seed = 1});
  std::set<std::uint32_t> seen;
  for (const auto& e : generate_edges(odd)) {
    ASSERT_LT(e.source, 3u);
    ASSERT_LT(e.target, 3u);
    seen.insert(e.source);
  }
  EXPECT_EQ(seen.size(), 3u);
}

TEST(UniformRandomGenerator, SameSeedSameEdgesOtherSeedOtherEdges) {
  const auto first = generate_edges(uniform_random_generator(uniform(10, 42)));
  EXPECT_EQ(first, generate_edges(uniform_random_generator(uniform(10, 42))));
  EXPECT_NE(first, generate_edges(uniform_random_generator(uniform(10, 43))));
}

TEST(UniformRandomGenerator, IndependentOfThreadCount) {
  const uniform_random_generator g(uniform(12, 5));
  EXPECT_EQ(with_threads(1, g), with_threads(2, g));
}

TEST(UniformRandomGenerator, DegreesAreNotSkewed) {
  const uniform_random_generator g(uniform(12, 1));
  const auto d = degrees(generate_edges(g), g.vertex_count());
  // Mean 32, binomial spread: the maximum stays within a small factor.
  EXPECT_LT(max_over_mean(d), 3.0);
}

TEST(UniformRandomGenerator, DiffersFromKroneckerWithTheSameSeed) {
  EXPECT_NE(generate_edges(uniform_random_generator(uniform(10, 1))), generate_edges(kronecker_generator(kron(10, 1))));
}

TEST(Generators, RangeBeyondTheGraphIsRejected) {
  const uniform_random_generator g({.vertex_count = 10, .edge_count = 5, .seed = 1});
  std::vector<generated_edge> out(3);
  EXPECT_THROW(generate_edges(g, 4, out), usage_error);
  EXPECT_NO_THROW(generate_edges(g, 2, out));
}

}  // namespace
}  // namespace gasworks::generators
