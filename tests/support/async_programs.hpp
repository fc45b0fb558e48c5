#pragma once
// Vertex programs that test the asynchronous engine's promises, on one rank
// and across ranks.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <thread>
#include <utility>
#include <vector>

#include "engine/comm/wire.hpp"
#include "engine/gas/signal_priority.hpp"
#include "engine/gas/vertex_program.hpp"

namespace gasworks::testing {

// Undirected neighbours by global id (ids dense from 0), self-loops left out.
using neighbour_lists = std::vector<std::vector<vertex_id>>;

inline neighbour_lists undirected_neighbours(const std::vector<std::pair<vertex_id, vertex_id>>& edges) {
  vertex_id largest = 0;
  for (auto [s, t] : edges) largest = std::max({largest, s, t});
  neighbour_lists out(edges.empty() ? 0 : largest + 1);
  for (auto [s, t] : edges) {
    if (s == t) continue;
    out[s].push_back(t);
    out[t].push_back(s);
  }
  for (auto& list : out) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return out;
}

// The other end of an edge seen from v (v itself for a self-loop).
template <class Vertex, class Edge>
auto other_end(const Vertex& v, const Edge& e) {
  return e.source().local() == v.local() ? e.target() : e.source();
}

// On each update a vertex marks itself in flight, checks that no vertex the
// consistency model keeps apart from it is in flight, waits a little, checks
// again and unmarks. Flags live in memory every rank of the job can see
// (one in-flight word per global id), so the check spans ranks. Each vertex
// runs `rounds` times or more: while below, it signals its neighbours.
struct conflict_detector : program_types<std::uint32_t> {
  using gather_type = empty;

  std::uint32_t* in_flight = nullptr;  // by global id, shared by every rank
  const neighbour_lists* neighbours = nullptr;
  int distance = 1;  // 1: neighbours may not run together; 2: neither vertices with a common neighbour
  std::uint32_t rounds = 2;
  std::chrono::microseconds pause{20};
  std::atomic<std::uint64_t>* violations = nullptr;

  std::atomic_ref<std::uint32_t> flag(vertex_id id) const { return std::atomic_ref<std::uint32_t>(in_flight[id]); }

  std::uint64_t conflicts_of(vertex_id id) const {
    std::uint64_t found = 0;
    for (vertex_id u : (*neighbours)[id]) {
      found += flag(u).load() != 0;
      if (distance < 2) continue;
      for (vertex_id w : (*neighbours)[u])
        if (w != id) found += flag(w).load() != 0;
    }
    return found;
  }

  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> empty gather(const C&, const vertex_type&, const edge_type&) const { return {}; }
  template <class C>
  void apply(const C&, vertex_type& v, empty) const {
    const vertex_id id = v.id();
    flag(id).store(1);
    std::uint64_t found = conflicts_of(id);
    std::this_thread::sleep_for(pause);
    found += conflicts_of(id);
    flag(id).store(0);
    if (found) violations->fetch_add(found);
    ++v.data();
  }
  template <class C>
  edge_dir scatter_edges(const C&, const vertex_type& v) const {
    return v.data() < rounds ? edge_dir::all : edge_dir::none;
  }
  template <class C>
  void scatter(const C& ctx, const vertex_type& v, edge_type& e) const {
    ctx.signal(other_end(v, e));
  }
};

// A set of small non-negative integers (colours), combined by union.
class colour_set {
 public:
  void insert(std::uint32_t c) {
    if (c / 64 >= words_.size()) words_.resize(c / 64 + 1, 0);
    words_[c / 64] |= std::uint64_t{1} << (c % 64);
  }
  bool contains(std::uint32_t c) const { return c / 64 < words_.size() && (words_[c / 64] >> (c % 64) & 1); }
  std::uint32_t smallest_absent() const {
    std::uint32_t c = 0;
    while (contains(c)) ++c;
    return c;
  }
  colour_set& operator+=(const colour_set& o) {
    if (o.words_.size() > words_.size()) words_.resize(o.words_.size(), 0);
    for (std::size_t i = 0; i < o.words_.size(); ++i) words_[i] |= o.words_[i];
    return *this;
  }
  void write_to(wire_writer& w) const {
    w.put(static_cast<std::uint64_t>(words_.size()));
    w.put_all(std::span<const std::uint64_t>(words_));
  }
  void read_from(wire_reader& r) {
    words_.resize(r.get<std::uint64_t>());
    r.get_all(std::span<std::uint64_t>(words_));
  }

 private:
  std::vector<std::uint64_t> words_;
};

constexpr std::uint32_t no_colour = std::numeric_limits<std::uint32_t>::max();

// Greedy colouring: a vertex takes the smallest colour none of its
// neighbours has. Under edge consistency no neighbour changes colour while a
// vertex runs, so one pass gives a valid colouring; a vertex that finds a
// neighbour with its own colour signals it (which never happens then).
struct greedy_colouring : program_types<std::uint32_t> {
  using gather_type = colour_set;
  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::all; }
  template <class C>
  void gather_into(const C&, const vertex_type& v, const edge_type& e, colour_set& taken) const {
    const auto u = other_end(v, e);
    if (u.local() != v.local() && u.data() != no_colour) taken.insert(u.data());
  }
  template <class C> void apply(const C&, vertex_type& v, const colour_set& taken) const { v.data() = taken.smallest_absent(); }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type&) const { return edge_dir::all; }
  template <class C>
  void scatter(const C& ctx, const vertex_type& v, edge_type& e) const {
    const auto u = other_end(v, e);
    if (u.local() != v.local() && u.data() == v.data()) ctx.signal(u);
  }
};

// Along a path, each vertex signals its out-neighbour on its first run only:
// signalling the first vertex must run every vertex exactly once.
struct signal_along_chain : program_types<std::uint32_t> {
  using gather_type = empty;
  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::none; }
  template <class C> empty gather(const C&, const vertex_type&, const edge_type&) const { return {}; }
  template <class C> void apply(const C&, vertex_type& v, empty) const { ++v.data(); }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type& v) const {
    return v.data() == 1 ? edge_dir::out : edge_dir::none;
  }
  template <class C> void scatter(const C& ctx, const vertex_type&, edge_type& e) const { ctx.signal(e.target()); }
};

static_assert(vertex_program<conflict_detector>);
static_assert(vertex_program<greedy_colouring>);
static_assert(vertex_program<signal_along_chain>);

}  // namespace gasworks::testing
