#pragma once
// A hand-written pull PageRank on plain in-edge arrays: the yardstick the
// engine's PageRank is measured against (GAPBS pr.cc style).
//
// Same definition as toolkits/pagerank (networkx's): ranks start at 1/n and
//   rank'(v) = (1 - d) / n + d * (sum over in-edges u->v of rank(u) / outdeg(u) + D / n)
// with D the total rank of vertices without out-edges. Only the order of
// floating-point additions differs from the engine's.
//
// What makes it fast:
//  - one pass over the vertices per iteration: while pulling v's sum it also
//    writes v's contribution (rank / out-degree) for the next iteration into a
//    second buffer and adds up the dangling mass;
//  - the randomly read array holds only the 8-byte contributions;
//  - four independent partial sums per vertex, so the additions do not wait
//    on each other and many cache misses are in flight at once;
//  - vertex ranges of equal edge counts, so hubs do not unbalance threads;
//  - per-vertex buffers allocated once, 2 MiB-aligned and advised to use
//    transparent huge pages, which spares most TLB misses of the random reads.
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

namespace gasworks::bench {

// A graph as the kernel reads it: the in-edges of v are sources[offsets[v] ..
// offsets[v + 1]), and out_degree[v] counts v's out-edges.
struct in_edge_arrays {
  std::span<const std::uint64_t> offsets;  // n + 1 entries
  std::span<const std::uint32_t> sources;
  std::span<const std::uint32_t> out_degree;  // n entries
};

namespace detail {

// A fixed-size array of doubles on 2 MiB-aligned memory advised to use
// transparent huge pages.
class huge_page_array {
 public:
  static constexpr std::size_t huge_page = std::size_t{2} << 20;

  explicit huge_page_array(std::size_t size)
      : size_(size), bytes_(std::max<std::size_t>((size * sizeof(double) + huge_page - 1) / huge_page, 1) * huge_page) {
    data_.reset(static_cast<double*>(std::aligned_alloc(huge_page, bytes_)));
    if (!data_) throw std::bad_alloc();
    // Only a hint: without transparent huge pages the array simply uses small ones.
    ::madvise(data_.get(), bytes_, MADV_HUGEPAGE);
  }

  double* data() noexcept { return data_.get(); }
  const double* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  std::size_t bytes() const noexcept { return bytes_; }

 private:
  struct release {
    void operator()(double* p) const noexcept { std::free(p); }
  };
  std::size_t size_;
  std::size_t bytes_;
  std::unique_ptr<double, release> data_;
};

}  // namespace detail

class csr_pull_pagerank {
 public:
  explicit csr_pull_pagerank(in_edge_arrays graph, double damping = 0.85)
      : graph_(graph),
        n_(graph.out_degree.size()),
        damping_(damping),
        rank_(n_),
        contribution_{detail::huge_page_array(n_), detail::huge_page_array(n_)} {
    if (graph.offsets.size() != n_ + 1 || graph.offsets.back() != graph.sources.size())
      throw std::invalid_argument("in-edge arrays do not describe one graph");
    if (n_ > std::numeric_limits<std::uint32_t>::max()) throw std::invalid_argument("more vertices than 32-bit ids can name");
    split_into_balanced_ranges();
    reset();  // touches every buffer now, not in the first timed iteration
  }

  // Runs exactly `iterations` steps, starting from rank 1/n.
  void run(std::uint64_t iterations) {
    reset();
    iterate(iterations);
  }

  // Sets every rank back to 1/n (a pass over the vertices, apart so that
  // benchmarks can time the iterations alone).
  void reset() {
    const double start = n_ ? 1.0 / static_cast<double>(n_) : 0.0;
    current_ = 0;
    dangling_mass_ = for_each_range([&](std::uint32_t first, std::uint32_t last) {
      double dangling = 0;
      for (std::uint32_t v = first; v < last; ++v) {
        const std::uint32_t degree = graph_.out_degree[v];
        rank_.data()[v] = start;
        contribution_[0].data()[v] = degree ? start / degree : 0.0;
        contribution_[1].data()[v] = 0.0;
        if (degree == 0) dangling += start;
      }
      return dangling;
    });
  }

  // Runs `iterations` more steps from the current ranks.
  void iterate(std::uint64_t iterations) {
    for (std::uint64_t i = 0; i < iterations; ++i) step();
  }

  std::span<const double> ranks() const noexcept { return {rank_.data(), n_}; }

  // Bytes of the kernel's own buffers (the graph arrays are the caller's).
  std::size_t buffer_bytes() const noexcept {
    return rank_.bytes() + contribution_[0].bytes() + contribution_[1].bytes() + range_begin_.capacity() * sizeof(std::uint32_t);
  }

 private:
  // Vertex ranges of about equal edge counts: enough for work stealing to
  // even out the rest, few enough that each is worth a task.
  void split_into_balanced_ranges() {
    const std::uint64_t m = graph_.sources.size();
    const std::uint64_t ranges = std::clamp<std::uint64_t>(m / 16384, 1, 1024);
    range_begin_.assign(1, 0);
    for (std::size_t r = 1; r < ranges; ++r) {
      const std::uint64_t edge = m / ranges * r;
      const auto first_at_or_after = std::lower_bound(graph_.offsets.begin(), graph_.offsets.end(), edge);
      const auto v = static_cast<std::uint32_t>(first_at_or_after - graph_.offsets.begin());
      if (v > range_begin_.back() && v < n_) range_begin_.push_back(v);
    }
    range_begin_.push_back(static_cast<std::uint32_t>(n_));
  }

  void step() {
    const double n = static_cast<double>(n_);
    const double base = (1 - damping_) / n + damping_ * dangling_mass_ / n;
    const double d = damping_;
    const double* const contribution = contribution_[current_].data();
    double* const next_contribution = contribution_[1 - current_].data();
    double* const rank = rank_.data();
    const std::uint64_t* const offsets = graph_.offsets.data();
    const std::uint32_t* const sources = graph_.sources.data();
    const std::uint32_t* const out_degree = graph_.out_degree.data();

    dangling_mass_ = for_each_range([=](std::uint32_t first, std::uint32_t last) {
      double dangling = 0;
      for (std::uint32_t v = first; v < last; ++v) {
        std::uint64_t p = offsets[v];
        const std::uint64_t end = offsets[v + 1];
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (; p + 4 <= end; p += 4) {
          s0 += contribution[sources[p]];
          s1 += contribution[sources[p + 1]];
          s2 += contribution[sources[p + 2]];
          s3 += contribution[sources[p + 3]];
        }
        for (; p < end; ++p) s0 += contribution[sources[p]];
        const double r = base + d * ((s0 + s1) + (s2 + s3));
        rank[v] = r;
        const std::uint32_t degree = out_degree[v];
        next_contribution[v] = degree ? r / degree : 0.0;
        if (degree == 0) dangling += r;
      }
      return dangling;
    });
    current_ = 1 - current_;
  }

  // Runs body(first, last) over the balanced vertex ranges in parallel and
  // sums what it returns, in an order independent of the thread count.
  template <class Body>
  double for_each_range(Body body) const {
    return tbb::parallel_deterministic_reduce(
        tbb::blocked_range<std::size_t>(0, range_begin_.size() - 1, 1), 0.0,
        [&](const tbb::blocked_range<std::size_t>& r, double sum) {
          for (std::size_t i = r.begin(); i != r.end(); ++i) sum += body(range_begin_[i], range_begin_[i + 1]);
          return sum;
        },
        [](double x, double y) { return x + y; });
  }

  in_edge_arrays graph_;
  std::size_t n_;
  double damping_;
  detail::huge_page_array rank_;
  detail::huge_page_array contribution_[2];
  std::vector<std::uint32_t> range_begin_;
  int current_ = 0;
  double dangling_mass_ = 0;
};

}  // namespace gasworks::bench
