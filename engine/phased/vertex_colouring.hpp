#pragma once
// A colouring of a shard's vertices for colour-phased ("chromatic")
// execution: vertices of one colour can run at once without two of them
// being adjacent (distance one, edge consistency) or within two edges of
// each other (distance two, full consistency).
//
// Jones–Plassmann: every vertex has a fixed priority; in each round every
// uncoloured vertex whose priority is the largest among the uncoloured
// vertices within the distance takes the smallest colour absent within the
// distance. The rounds depend only on the whole graph, so the colouring is
// the same for any number of ranks and any partition; it equals the greedy
// colouring in descending priority order.
//
// The graph is taken as undirected: a vertex's neighbours are its in- and
// out-neighbours; self-loops are ignored and parallel edges are harmless.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "engine/comm/wire.hpp"
#include "engine/core/mix_hash.hpp"
#include "engine/core/types.hpp"
#include "engine/gas/frontier.hpp"
#include "engine/gas/replica_exchange.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

enum class colouring_distance { one = 1, two = 2 };

struct vertex_colouring {
  std::vector<std::uint32_t> colour;  // per local vertex of the shard; the same on every replica of a vertex
  std::uint32_t colours = 0;          // number of colours used, over all ranks (max colour + 1)
  std::uint32_t rounds = 0;           // Jones–Plassmann rounds taken, the same on every rank
};

// The priority of a vertex: the splitmix64 finaliser of its id, a bijection,
// so no two vertices tie, and well mixed, so that long chains of decreasing
// priority (which would mean many rounds) are unlikely.
constexpr std::uint64_t colouring_priority(vertex_id id) noexcept {
  return splitmix_finaliser(id);
}

namespace detail {

// What a set of vertices tells a vertex deciding its round: the largest
// priority among its uncoloured members, and the colours its coloured members
// hold. Summaries of overlapping sets combine with +=, which is idempotent,
// so a vertex counted by several replicas or edges counts once.
struct colouring_summary {
  // 0 also stands for "no uncoloured member": only one vertex has priority 0,
  // and a deciding vertex always counts itself, so it still wins exactly
  // when no other uncoloured vertex is within the distance.
  std::uint64_t top_priority = 0;
  std::vector<std::uint64_t> colour_bits;  // bit c of the words: colour c present

  void add(std::uint64_t priority, std::uint32_t colour, std::uint32_t uncoloured) {
    if (colour == uncoloured) {
      top_priority = std::max(top_priority, priority);
      return;
    }
    const std::size_t word = colour / 64;
    if (word >= colour_bits.size()) colour_bits.resize(word + 1, 0);
    colour_bits[word] |= std::uint64_t{1} << (colour % 64);
  }
  colouring_summary& operator+=(const colouring_summary& other) {
    top_priority = std::max(top_priority, other.top_priority);
    if (other.colour_bits.size() > colour_bits.size()) colour_bits.resize(other.colour_bits.size(), 0);
    for (std::size_t i = 0; i < other.colour_bits.size(); ++i) colour_bits[i] |= other.colour_bits[i];
    return *this;
  }
  // Empty again, keeping the memory of the words.
  void clear() noexcept {
    top_priority = 0;
    std::fill(colour_bits.begin(), colour_bits.end(), 0);
  }
  std::uint32_t smallest_absent_colour() const noexcept {
    for (std::size_t i = 0; i < colour_bits.size(); ++i)
      if (~colour_bits[i]) return static_cast<std::uint32_t>(i * 64 + static_cast<std::size_t>(std::countr_one(colour_bits[i])));
    return static_cast<std::uint32_t>(colour_bits.size() * 64);
  }

  void write_to(wire_writer& w) const {
    // Trailing zero words (left by clear()) are not sent.
    std::size_t used = colour_bits.size();
    while (used > 0 && colour_bits[used - 1] == 0) --used;
    w.put(top_priority);
    w.put(static_cast<std::uint32_t>(used));
    w.put_all(std::span<const std::uint64_t>(colour_bits.data(), used));
  }
  void read_from(wire_reader& r) {
    top_priority = r.get<std::uint64_t>();
    colour_bits.resize(r.get<std::uint32_t>());
    r.get_all(std::span<std::uint64_t>(colour_bits));
  }
};

// Calls f(u) for every neighbour u of v in the shard, in either direction,
// self-loops left out.
template <class F>
void for_each_local_neighbour(const topology& shard, local_id v, F&& f) {
  for (edge_index e = shard.out_begin(v); e < shard.out_end(v); ++e)
    if (const local_id u = shard.out_target(e); u != v) f(u);
  for (edge_index e = shard.in_begin(v); e < shard.in_end(v); ++e)
    if (const local_id u = shard.in_source(e); u != v) f(u);
}

}  // namespace detail

// No two vertices joined by an edge (distance one), or within two edges of
// each other (distance two), share a colour. Collective: every rank of the
// shard's job calls it.
//
// Why at most one vertex of a close pair wins a round: each vertex v has a
// summary of a set S(v) ({v} at distance one, v and its neighbours at
// distance two), and v decides on the union of the summaries of v and its
// neighbours. Two vertices within the distance both lie in some S(u) that
// both decide on, and only the larger priority of the two can be the largest
// there. A winner avoids every colour present within the distance, so the
// colouring stays valid.
inline vertex_colouring colour_vertices(const topology& shard, colouring_distance distance) {
  constexpr std::uint32_t uncoloured = std::numeric_limits<std::uint32_t>::max();
  using summary = detail::colouring_summary;
  const local_id n = shard.num_local_vertices();
  replica_exchange replicas(shard);

  std::vector<std::uint64_t> priority(n);
  tbb::parallel_for(local_id{0}, n, [&](local_id v) { priority[v] = colouring_priority(shard.global_id(v)); });

  vertex_colouring result;
  result.colour.assign(n, uncoloured);
  auto& colour = result.colour;
  frontier everyone(n), waiting(n);  // waiting: uncoloured vertices, the same on every replica
  everyone.insert_all();
  waiting.insert_all();

  // Distance two only: the summary of every vertex's closed neighbourhood.
  std::vector<summary> neighbourhood(distance == colouring_distance::two ? n : 0);
  auto add_summary_of = [&](summary& into, local_id u) {
    if (distance == colouring_distance::one) into.add(priority[u], colour[u], uncoloured);
    else into += neighbourhood[u];
  };
  std::vector<summary> gathered(n);  // what each waiting vertex decides on

  // Vertices are counted at their masters, once each.
  auto count_waiting = [&] {
    std::uint64_t here = 0;
    for (local_id v = 0; v < n; ++v) here += colour[v] == uncoloured && shard.is_master(v);
    return replicas.all_reduce_sum(here);
  };
  std::uint64_t waiting_count = count_waiting();

  while (waiting_count > 0) {
    ++result.rounds;
    if (distance == colouring_distance::two) {
      // Each replica sums the neighbours its edges reach; the master adds
      // the vertex itself and hands the whole to its mirrors.
      tbb::parallel_for(local_id{0}, n, [&](local_id v) {
        summary& s = neighbourhood[v];
        s.clear();
        detail::for_each_local_neighbour(shard, v, [&](local_id u) { s.add(priority[u], colour[u], uncoloured); });
      });
      replicas.combine_partials_at_masters(everyone, std::span<summary>(neighbourhood));
      tbb::parallel_for(local_id{0}, n, [&](local_id v) {
        if (shard.is_master(v)) neighbourhood[v].add(priority[v], colour[v], uncoloured);
      });
      replicas.broadcast_all_to_mirrors(std::span<summary>(neighbourhood));
    }

    const std::uint64_t count = waiting.count();
    waiting.parallel_for_each(count, [&](local_id v) {
      summary& s = gathered[v];
      s.clear();
      detail::for_each_local_neighbour(shard, v, [&](local_id u) { add_summary_of(s, u); });
    });
    replicas.combine_partials_at_masters(waiting, std::span<summary>(gathered));
    // Decisions read only `gathered` and v's own state, so colouring
    // winners here cannot affect another vertex's decision in this round.
    waiting.parallel_for_each(count, [&](local_id v) {
      if (!shard.is_master(v)) return;
      summary& s = gathered[v];
      add_summary_of(s, v);
      if (s.top_priority == priority[v]) colour[v] = s.smallest_absent_colour();
    });
    replicas.broadcast_to_mirrors(waiting, std::span<std::uint32_t>(colour));

    waiting.clear();
    for (local_id v = 0; v < n; ++v)
      if (colour[v] == uncoloured) waiting.insert(v);
    waiting_count = count_waiting();
  }

  std::uint32_t colours = 0;
  for (std::uint32_t c : colour) colours = std::max(colours, c + 1);
  result.colours = shard.num_ranks() > 1 ? shard.ranks()->all_reduce_max(colours) : colours;
  return result;
}

}  // namespace gasworks
