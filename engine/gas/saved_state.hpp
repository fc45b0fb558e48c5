#pragma once
// How an engine writes what a checkpoint must hold beside its own counters:
// the vertex and edge data of a shard, and the program's own state.
//
// Data types are saved as the wire saves them (wire.hpp): trivially copyable
// types as their bytes, others through write_to / read_from. A program with
// state of its own beyond its settings (a running sum that the next superstep
// reads, a history of fits) gives it two members
//     void save_state(wire_writer&) const;
//     void restore_state(wire_reader&);
// A trivially copyable program is saved as its bytes (one that holds a
// pointer must give save_state / restore_state instead). Any other program
// cannot be checkpointed: the engine says so when a checkpoint is asked for.
#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <type_traits>

#include "engine/checkpoint/checkpoint_error.hpp"
#include "engine/checkpoint/checksum.hpp"
#include "engine/comm/collective_error.hpp"
#include "engine/comm/wire.hpp"

namespace gasworks {

template <class Program>
concept has_saved_state = requires(const Program& p, Program& q, wire_writer& w, wire_reader& r) {
  p.save_state(w);
  q.restore_state(r);
};

template <class Program>
concept checkpointable_program = has_saved_state<Program> || std::is_trivially_copyable_v<Program>;

template <class Graph>
concept checkpointable_graph =
    wire_encodable<typename Graph::vertex_data_type> && wire_encodable<typename Graph::edge_data_type>;

template <class Program>
void save_program_state(wire_writer& w, const Program& p) {
  if constexpr (has_saved_state<Program>) p.save_state(w);
  else if constexpr (std::is_trivially_copyable_v<Program>) w.put(p);
}

template <class Program>
void restore_program_state(wire_reader& r, Program& p) {
  if constexpr (has_saved_state<Program>) p.restore_state(r);
  else if constexpr (std::is_trivially_copyable_v<Program>) r.get_all(std::span<Program>(&p, 1));
}

namespace detail {

template <class T>
void save_values(wire_writer& w, std::span<const T> values) {
  if constexpr (wire_copyable<T>) w.put_all(values);
  else
    for (const T& v : values) v.write_to(w);
}

template <class T>
void restore_values(wire_reader& r, std::span<T> values) {
  if constexpr (wire_copyable<T>) r.get_all(values);
  else
    for (T& v : values) v.read_from(r);
}

// What identifies a shard's layout: its counts and its vertices' ids in
// local order. State saved from one layout means nothing in another.
template <class Graph>
struct shard_layout {
  std::uint64_t vertices = 0;
  std::uint64_t edges = 0;
  std::uint64_t ids_checksum = 0;

  static shard_layout of(const Graph& g) {
    return {g.num_local_vertices(), g.structure().num_local_edges(),
            checkpoint::checksum(std::as_bytes(g.structure().global_ids()))};
  }
};

}  // namespace detail

// The shard's layout, first in every saved state, so that state from
// another layout is refused before any of it is read.
template <class Graph>
void save_shard_layout(wire_writer& w, const Graph& g) {
  w.put(detail::shard_layout<Graph>::of(g));
}

// Throws checkpoint_error when the saved shard was laid out differently
// (another input, partition or vertex order).
template <class Graph>
void check_shard_layout(wire_reader& r, const Graph& g) {
  const auto saved = r.get<detail::shard_layout<Graph>>();
  const auto here = detail::shard_layout<Graph>::of(g);
  if (saved.vertices != here.vertices || saved.edges != here.edges || saved.ids_checksum != here.ids_checksum)
    throw checkpoint::checkpoint_error(
        "the checkpoint's graph is laid out differently (" + std::to_string(saved.vertices) + " vertices and " +
        std::to_string(saved.edges) + " edges on this rank then, " + std::to_string(here.vertices) + " and " +
        std::to_string(here.edges) + " now): was it made with another input, partition or vertex order?");
}

// Vertex data of every local vertex (masters and mirrors) and edge data of
// every local edge.
template <class Graph>
void save_graph_data(wire_writer& w, const Graph& g) {
  detail::save_values(w, g.vertex_data());
  if constexpr (Graph::has_edge_data) detail::save_values(w, g.edge_data());
}

template <class Graph>
void restore_graph_data(wire_reader& r, Graph& g) {
  detail::restore_values(r, g.vertex_data());
  if constexpr (Graph::has_edge_data) detail::restore_values(r, g.edge_data());
}

// Runs `restore` on every rank of g's job (every rank reads its own state)
// so that a failure anywhere stops every rank alike, as a checkpoint_error
// that names where the state came from.
template <class Graph, class Restore>
void restore_collectively(const Graph& g, const std::string& source, Restore&& restore) {
  const auto named = [&] {
    try {
      restore();
    } catch (const std::exception& e) {
      throw checkpoint::checkpoint_error("cannot resume from " + source + ": " + e.what());
    }
  };
  if (const auto& ranks = g.structure().ranks()) run_collectively(*ranks, named);
  else named();
}

}  // namespace gasworks
