#pragma once
// The communication steps of a superstep between the replicas of vertices
// that span ranks: partial gathers to masters, master data to mirrors,
// signals to masters, and global reductions.
//
// Every step is an explicit call at the point of the superstep where it
// belongs, and moves one batch per pair of ranks (never a message per edge
// or vertex). Both ranks of a pair list their shared vertices in the same
// order (ascending global id), so a batch holds values only; steps that
// concern active vertices only skip the inactive ones on both sides, since
// every replica of a vertex agrees on whether it is active.
//
// With one rank each vertex is its own master and has no mirror, so every
// step is a no-op and costs nothing.
#include <algorithm>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "engine/comm/collective_error.hpp"
#include "engine/comm/communicator.hpp"
#include "engine/comm/wire.hpp"
#include "engine/gas/frontier.hpp"
#include "engine/graph/topology.hpp"

namespace gasworks {

class replica_exchange {
 public:
  explicit replica_exchange(const topology& structure)
      : structure_(&structure), ranks_(structure.num_ranks() > 1 ? structure.ranks().get() : nullptr) {}

  int rank() const noexcept { return structure_->rank(); }
  int num_ranks() const noexcept { return structure_->num_ranks(); }
  // Bytes this rank has sent so far (0 with one rank).
  std::uint64_t bytes_sent() const noexcept { return ranks_ ? ranks_->bytes_sent() : 0; }

  // Mirrors' partial gathers of the active vertices are added into their
  // masters', in rank order.
  template <class Gather>
  void combine_partials_at_masters(const frontier& active, std::span<Gather> partials) {
    if (!ranks_) return;
    send_values(
        &topology::mirrors_mastered_on, &topology::masters_mirrored_on, [&](local_id v) { return active.contains(v); },
        [&](local_id v) -> const Gather& { return partials[v]; }, [&](local_id v, const Gather& x) { partials[v] += x; });
  }

  // Masters' values of the active vertices overwrite their mirrors'.
  template <class Value>
  void broadcast_to_mirrors(const frontier& active, std::span<Value> values) {
    if (!ranks_) return;
    send_values(
        &topology::masters_mirrored_on, &topology::mirrors_mastered_on, [&](local_id v) { return active.contains(v); },
        [&](local_id v) -> const Value& { return values[v]; }, [&](local_id v, const Value& x) { values[v] = x; });
  }

  // The same, calling then(v) on each mirror as soon as its value arrived
  // (to derive what a mirror can compute instead of receiving it).
  template <class Value, class Then>
  void broadcast_to_mirrors(const frontier& active, std::span<Value> values, Then&& then) {
    if (!ranks_) return;
    send_values(
        &topology::masters_mirrored_on, &topology::mirrors_mastered_on, [&](local_id v) { return active.contains(v); },
        [&](local_id v) -> const Value& { return values[v]; },
        [&](local_id v, const Value& x) {
          values[v] = x;
          then(v);
        });
  }

  // Masters' values of every vertex overwrite their mirrors'.
  template <class Value>
  void broadcast_all_to_mirrors(std::span<Value> values) {
    if (!ranks_) return;
    send_values(
        &topology::masters_mirrored_on, &topology::mirrors_mastered_on, [](local_id) { return true; },
        [&](local_id v) -> const Value& { return values[v]; }, [&](local_id v, const Value& x) { values[v] = x; });
  }

  // Signals raised at mirrors reach their masters, with their messages
  // (added into the master's with +=; a mirror's own message is then reset);
  // then every mirror of a signalled master is signalled too, so that all
  // replicas agree on the next frontier. `messages` is empty for programs
  // without messages.
  template <class Message>
  void route_signals(frontier& next, std::span<Message> messages);

  // The sum of a value over all ranks, the same bits on every rank.
  template <class T>
  T all_reduce_sum(const T& local) {
    return ranks_ ? ranks_->all_reduce_sum(local) : local;
  }

  // The largest of a value over all ranks.
  template <class T>
  T all_reduce_max(const T& local) {
    return ranks_ ? ranks_->all_reduce_max(local) : local;
  }

  // Element-wise sums over ranks, in place, of integers whose count is known
  // only at run time (per-topic counts).
  template <std::integral T>
  void all_reduce_sum(std::span<T> values) {
    if (ranks_) ranks_->all_reduce_sum(values);
  }

  // Of the ids some rank asks about (`asked_here` on this rank), the
  // smallest that no rank's shard holds; every rank gets the same answer.
  std::optional<vertex_id> first_held_nowhere(std::span<const vertex_id> asked_here, const topology& shard) {
    std::vector<vertex_id> asked(asked_here.begin(), asked_here.end());
    if (ranks_) {
      asked.clear();
      for (const auto& theirs : ranks_->all_gather(std::as_bytes(asked_here)))
        for (wire_reader r(theirs); !r.done();) asked.push_back(r.get<vertex_id>());
      if (asked.empty()) return std::nullopt;
    }
    std::sort(asked.begin(), asked.end());
    asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
    std::vector<std::uint8_t> held(asked.size());
    for (std::size_t i = 0; i < asked.size(); ++i) held[i] = shard.find(asked[i]).has_value();
    if (ranks_) {
      for (const auto& theirs : ranks_->all_gather(std::as_bytes(std::span<const std::uint8_t>(held))))
        for (std::size_t i = 0; i < held.size(); ++i) held[i] |= static_cast<std::uint8_t>(theirs[i]);
    }
    for (std::size_t i = 0; i < asked.size(); ++i)
      if (!held[i]) return asked[i];
    return std::nullopt;
  }

 private:
  using shared_list = std::span<const local_id> (topology::*)(int) const noexcept;

  // For every peer p: the values of the vertices in (structure.*from)(p)
  // that pass `keep` go to p, where they are handed, in order, to `take`
  // with the vertices of p's (structure.*to)(this rank) that pass `keep`.
  template <class Keep, class Value, class Take>
  void send_values(shared_list from, shared_list to, Keep&& keep, Value&& value, Take&& take) {
    using value_type = std::decay_t<decltype(value(local_id{}))>;
    if constexpr (wire_copyable<value_type>) {
      send_values_as_bytes<value_type>(from, to, keep, value, take);
    } else if constexpr (wire_serializable<value_type>) {
      send_values_encoded<value_type>(from, to, keep, value, take);
    } else {
      // Every rank reaches this point alike, so every rank raises it.
      throw collective_error(collective_error::kind::usage, 0,
                             "values that cross ranks must be trivially copyable or provide write_to/read_from; "
                             "this program's types run on one rank only");
    }
  }
  template <class value_type, class Keep, class Value, class Take>
  void send_values_as_bytes(shared_list from, shared_list to, Keep& keep, Value& value, Take& take) {
    const int n = num_ranks();
    auto& out = outgoing_;  // not cleared: a buffer resized to its old size is not filled again
    out.resize(static_cast<std::size_t>(n));
    for (int p = 0; p < n; ++p) {
      if (p == rank()) continue;
      // Sized once for every shared vertex, trimmed to those kept.
      const auto shared = (structure_->*from)(p);
      auto& buffer = out[p];
      buffer.resize(shared.size() * sizeof(value_type));
      std::byte* at = buffer.data();
      for (local_id v : shared) {
        if (!keep(v)) continue;
        const value_type& x = value(v);  // a reference, or a temporary kept alive
        std::memcpy(at, &x, sizeof(value_type));
        at += sizeof(value_type);
      }
      buffer.resize(static_cast<std::size_t>(at - buffer.data()));
    }
    auto& in = incoming_;
    ranks_->all_to_all(out, in);
    for (int p = 0; p < n; ++p) {
      if (p == rank()) continue;
      wire_reader r(in[p]);
      for (local_id v : (structure_->*to)(p))
        if (keep(v)) take(v, r.get<value_type>());
    }
  }
  // The same for values with their own encoding; one value is decoded into
  // at a time, so its memory is reused from one vertex to the next.
  template <class value_type, class Keep, class Value, class Take>
  void send_values_encoded(shared_list from, shared_list to, Keep& keep, Value& value, Take& take) {
    auto& out = clear_outgoing();
    for (int p = 0; p < num_ranks(); ++p) {
      if (p == rank()) continue;
      wire_writer w(out[p]);
      for (local_id v : (structure_->*from)(p))
        if (keep(v)) encode(w, value(v));
    }
    auto& in = incoming_;
    ranks_->all_to_all(out, in);
    value_type x{};
    for (int p = 0; p < num_ranks(); ++p) {
      if (p == rank()) continue;
      wire_reader r(in[p]);
      for (local_id v : (structure_->*to)(p)) {
        if (!keep(v)) continue;
        decode(r, x);
        take(v, std::as_const(x));
      }
    }
  }

  template <class Message>
  void route_signals_as_bytes(frontier& next, std::span<Message> messages);

  // Calls f(i) for every set bit among the first `count` bits that
  // pack_bits wrote.
  template <class F>
  static void for_each_packed_bit(wire_reader& bits, std::size_t count, F&& f) {
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (i % 64 == 0) word = bits.get<std::uint64_t>();
      if (word >> (i % 64) & 1) f(i);
    }
  }

  // One bit per shared vertex of (structure.*list)(p), set when `next` holds it.
  static void pack_bits(const frontier& next, std::span<const local_id> list, wire_writer& w);

  // Empties the outgoing buffers, keeping their memory.
  std::vector<std::vector<std::byte>>& clear_outgoing() {
    outgoing_.resize(static_cast<std::size_t>(num_ranks()));
    for (auto& buffer : outgoing_) buffer.clear();
    return outgoing_;
  }

  const topology* structure_;
  communicator* ranks_;
  // Kept from one exchange to the next (see communicator::all_to_all).
  std::vector<std::vector<std::byte>> outgoing_;
  std::vector<std::vector<std::byte>> incoming_;
};

inline void replica_exchange::pack_bits(const frontier& next, std::span<const local_id> list, wire_writer& w) {
  std::uint64_t word = 0;
  std::size_t i = 0;
  for (local_id v : list) {
    if (next.contains(v)) word |= std::uint64_t{1} << (i % 64);
    if (++i % 64 == 0) {
      w.put(word);
      word = 0;
    }
  }
  if (i % 64) w.put(word);
}

template <class Message>
void replica_exchange::route_signals(frontier& next, std::span<Message> messages) {
  if (!ranks_) return;
  if constexpr (!wire_copyable<Message>) {
    throw collective_error(collective_error::kind::usage, 0,
                           "messages that cross ranks must be trivially copyable; this program runs on one rank only");
  } else {
    route_signals_as_bytes(next, messages);
  }
}

template <class Message>
void replica_exchange::route_signals_as_bytes(frontier& next, std::span<Message> messages) {
  const int n = num_ranks();
  const bool with_messages = !messages.empty();

  // Mirrors -> masters: which mirrors were signalled, then their messages.
  auto& out = clear_outgoing();
  auto& in = incoming_;
  for (int p = 0; p < n; ++p) {
    if (p == rank()) continue;
    wire_writer w(out[p]);
    const auto mirrors = structure_->mirrors_mastered_on(p);
    pack_bits(next, mirrors, w);
    if (with_messages) {
      for (local_id v : mirrors) {
        if (!next.contains(v)) continue;
        w.put(messages[v]);
        messages[v] = Message{};
      }
    }
  }
  ranks_->all_to_all(out, in);
  for (int p = 0; p < n; ++p) {
    if (p == rank()) continue;
    const auto masters = structure_->masters_mirrored_on(p);
    // The messages follow the bit words, one per set bit, in order.
    const std::span<const std::byte> batch(in[p]);
    wire_reader bits(batch);
    wire_reader messages_in(batch.subspan(std::min(batch.size(), (masters.size() + 63) / 64 * sizeof(std::uint64_t))));
    for_each_packed_bit(bits, masters.size(), [&](std::size_t i) {
      next.insert(masters[i]);
      if constexpr (requires(Message& a, const Message& b) { a += b; })
        if (with_messages) messages[masters[i]] += messages_in.get<Message>();
    });
  }

  // Masters -> mirrors: the agreed membership of every shared vertex.
  clear_outgoing();
  for (int p = 0; p < n; ++p) {
    if (p == rank()) continue;
    wire_writer w(out[p]);
    pack_bits(next, structure_->masters_mirrored_on(p), w);
  }
  ranks_->all_to_all(out, in);
  for (int p = 0; p < n; ++p) {
    if (p == rank()) continue;
    wire_reader bits(in[p]);
    const auto mirrors = structure_->mirrors_mastered_on(p);
    for_each_packed_bit(bits, mirrors.size(), [&](std::size_t i) { next.insert(mirrors[i]); });
  }
}

}  // namespace gasworks
