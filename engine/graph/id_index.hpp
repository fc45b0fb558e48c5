#pragma once
// The distinct vertex ids of a whole edge list, numbered at once and on all
// threads in ascending id order: number(id) is the id's rank among them, which
// is the local id a graph numbered by external id gives it.
//
// Ids that fill their range densely enough (the largest below a small multiple
// of the number of edge ends, as in most files: 0..n-1 or 1..n) get a direct
// table, one 32-bit entry per possible id. Sparse ids are sorted and found
// through an open-addressing table built once and then only read, so threads
// look ids up without locks. Either way numbering costs a few passes over the
// edges, where numbering each edge end on arrival (vertex_numbering) is a
// serial hash lookup per end.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include "engine/core/error.hpp"
#include "engine/core/mix_hash.hpp"
#include "engine/core/types.hpp"

namespace gasworks {

class id_index {
 public:
  // The ids of `count` edges (source(i), target(i)) and of the declared vertices.
  template <class Source, class Target>
  static id_index of_edges(std::size_t count, const Source& source, const Target& target,
                           std::span<const vertex_id> declared) {
    using range = tbb::blocked_range<std::size_t>;
    vertex_id largest = 0;
    for (const vertex_id v : declared) largest = std::max(largest, v);
    largest = tbb::parallel_reduce(
        range(0, count, 1 << 14), largest,
        [&](const range& r, vertex_id m) {
          for (std::size_t i = r.begin(); i != r.end(); ++i) m = std::max({m, source(i), target(i)});
          return m;
        },
        [](vertex_id x, vertex_id y) { return std::max(x, y); });

    id_index index;
    const std::uint64_t ends = 2 * std::uint64_t{count} + declared.size();
    if (count + declared.size() == 0) return index;
    if (largest < std::numeric_limits<std::uint32_t>::max() && largest < 4 * ends + 1024) {
      // Direct: mark the ids present, then number them in one ascending scan.
      index.direct_.assign(static_cast<std::size_t>(largest) + 1, 0);
      auto mark = [&](vertex_id v) {
        std::atomic_ref<std::uint32_t> slot(index.direct_[v]);
        if (slot.load(std::memory_order_relaxed) == 0) slot.store(1, std::memory_order_relaxed);
      };
      tbb::parallel_for(range(0, count, 1 << 14), [&](const range& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
          mark(source(i));
          mark(target(i));
        }
      });
      for (const vertex_id v : declared) mark(v);
      std::uint32_t next = 0;
      for (std::size_t v = 0; v < index.direct_.size(); ++v) {
        if (index.direct_[v] == 0) continue;
        index.direct_[v] = next++;
        index.ids_.push_back(v);
      }
      return index;
    }
    // Sparse: sort the ends' ids, keep one of each, and index them.
    std::vector<vertex_id> all(static_cast<std::size_t>(ends));
    tbb::parallel_for(range(0, count, 1 << 14), [&](const range& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        all[2 * i] = source(i);
        all[2 * i + 1] = target(i);
      }
    });
    std::copy(declared.begin(), declared.end(), all.begin() + static_cast<std::ptrdiff_t>(2 * count));
    tbb::parallel_sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    if (all.size() > std::numeric_limits<std::uint32_t>::max() - 2)
      throw usage_error("at most 2^32 - 2 distinct vertices per shard, got " + std::to_string(all.size()));
    index.ids_ = std::move(all);
    std::size_t capacity = 64;
    while (capacity < 2 * index.ids_.size()) capacity *= 2;
    index.mask_ = capacity - 1;
    index.keys_.assign(capacity, 0);
    index.values_.assign(capacity, 0);
    for (std::uint32_t n = 0; n < index.ids_.size(); ++n) {
      std::uint64_t slot = mix_hash(index.ids_[n]) & index.mask_;
      while (index.values_[slot] != 0) slot = (slot + 1) & index.mask_;
      index.keys_[slot] = index.ids_[n];
      index.values_[slot] = n + 1;
    }
    return index;
  }

  // The number of an id that occurs in the edge list or was declared.
  std::uint32_t number(vertex_id id) const noexcept {
    if (!direct_.empty()) return direct_[id];
    for (std::uint64_t slot = mix_hash(id) & mask_;; slot = (slot + 1) & mask_)
      if (keys_[slot] == id && values_[slot] != 0) return values_[slot] - 1;
  }

  // The distinct ids, ascending: take_ids()[number(id)] == id.
  std::vector<vertex_id> take_ids() && { return std::move(ids_); }

 private:
  std::vector<std::uint32_t> direct_;  // number per id (direct mode; empty otherwise)
  std::vector<vertex_id> keys_;        // open addressing (sparse mode)
  std::vector<std::uint32_t> values_;  // number + 1; 0 marks a free slot
  std::uint64_t mask_ = 0;
  std::vector<vertex_id> ids_;
};

}  // namespace gasworks
