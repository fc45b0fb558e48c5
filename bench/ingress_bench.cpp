// Text ingress: the engine's reading and building of a graph file beside a
// hand-written loader that does the same the plain fast way, on the same file
// in the same run:
//   parse byte ranges of the file in parallel, count degrees, prefix-sum them
//   into row offsets, fill the rows, sort and de-duplicate each row (CSR),
//   then the same by target (CSC).
// Both must hold the same edges: the bench compares every vertex's out- and
// in-neighbours (by external id) and exits 1 if they differ.
//
//   gasworks-bench-ingress --graph FILE [--symmetrize] [--trials T] [--threads N]
//   gasworks-bench-ingress --write-kron FILE [--scale S] [--edge-factor K] [--seed N]
// The second writes a Graph500 Kronecker graph as a text edge list ("s t" per
// line), symmetrised, without self-loops or duplicates: the bench's input.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include "bench/bench_support.hpp"
#include "bench/memory_usage.hpp"
#include "engine/cli/command_line.hpp"
#include "engine/core/error.hpp"
#include "engine/core/phase_timer.hpp"
#include "engine/generators/kronecker.hpp"
#include "engine/generators/uniform_random.hpp"  // for_each_edge
#include "engine/graph/build_from_edge_list.hpp"
#include "engine/io/atomic_output_file.hpp"
#include "engine/io/read_edge_list.hpp"

namespace gasworks {
namespace {

using bench::median;

// ---------------------------------------------------------------- baseline

// A read-only view of a whole file.
class mapped_file {
 public:
  explicit mapped_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw std::runtime_error("cannot open " + path.string());
    struct stat st{};
    if (::fstat(fd, &st) != 0) {
      ::close(fd);
      throw std::runtime_error("cannot stat " + path.string());
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* at = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (at == MAP_FAILED) {
        ::close(fd);
        throw std::runtime_error("cannot map " + path.string());
      }
      ::madvise(at, size_, MADV_SEQUENTIAL);
      data_ = static_cast<const char*>(at);
    }
    ::close(fd);
  }
  ~mapped_file() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;

  std::string_view text() const noexcept { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

struct compressed_rows {
  std::vector<std::uint64_t> offsets;  // n + 1
  std::vector<std::uint32_t> columns;
};

struct baseline_graph {
  std::uint32_t vertex_ids = 0;  // ids 0 .. vertex_ids-1 (rows exist for all of them)
  compressed_rows out, in;
};

// Edges of the lines starting in [begin, end) of `text`: two unsigned ids per
// line, anything after them ignored, '#' and '%' lines skipped.
std::vector<std::uint64_t> parse_range(std::string_view text, std::size_t begin, std::size_t end) {
  if (begin > 0) {  // a line belongs to the range holding its first byte
    const std::size_t newline = text.find('\n', begin - 1);
    begin = newline == std::string_view::npos ? text.size() : newline + 1;
  }
  std::vector<std::uint64_t> edges;  // source << 32 | target
  edges.reserve((end - std::min(begin, end)) / 12);
  const char* p = text.data() + begin;
  const char* const stop = text.data() + end;
  const char* const last = text.data() + text.size();
  auto skip_line = [&] {
    while (p < last && *p != '\n') ++p;
    ++p;
  };
  auto id = [&]() -> std::uint64_t {
    while (p < last && (*p == ' ' || *p == '\t')) ++p;
    if (p == last || *p < '0' || *p > '9') throw std::runtime_error("baseline: a line without two ids");
    std::uint64_t value = 0;
    while (p < last && *p >= '0' && *p <= '9') value = value * 10 + static_cast<std::uint64_t>(*p++ - '0');
    if (value > std::numeric_limits<std::uint32_t>::max()) throw std::runtime_error("baseline: an id beyond 32 bits");
    return value;
  };
  while (p < stop) {
    if (*p == '#' || *p == '%' || *p == '\n' || *p == '\r') {
      skip_line();
      continue;
    }
    const std::uint64_t s = id();
    const std::uint64_t t = id();
    edges.push_back(s << 32 | t);
    skip_line();
  }
  return edges;
}

// Rows from per-chunk edge lists: count, prefix sum, fill, sort and
// de-duplicate each row, compact.
compressed_rows rows_of(const std::vector<std::vector<std::uint64_t>>& chunks, std::uint32_t n, bool by_target,
                        bool symmetrize) {
  auto row = [&](std::uint64_t e) { return static_cast<std::uint32_t>(by_target ? e & 0xffffffffu : e >> 32); };
  auto column = [&](std::uint64_t e) { return static_cast<std::uint32_t>(by_target ? e >> 32 : e & 0xffffffffu); };
  std::vector<std::uint64_t> count(std::size_t{n} + 1, 0);
  tbb::parallel_for(std::size_t{0}, chunks.size(), [&](std::size_t c) {
    for (const std::uint64_t e : chunks[c]) {
      std::atomic_ref(count[row(e) + std::size_t{1}]).fetch_add(1, std::memory_order_relaxed);
      if (symmetrize) std::atomic_ref(count[column(e) + std::size_t{1}]).fetch_add(1, std::memory_order_relaxed);
    }
  });
  for (std::size_t v = 1; v <= n; ++v) count[v] += count[v - 1];
  std::vector<std::uint32_t> filled(count[n]);
  std::vector<std::uint64_t> cursor(count.begin(), count.end() - 1);
  tbb::parallel_for(std::size_t{0}, chunks.size(), [&](std::size_t c) {
    for (const std::uint64_t e : chunks[c]) {
      filled[std::atomic_ref(cursor[row(e)]).fetch_add(1, std::memory_order_relaxed)] = column(e);
      if (symmetrize) filled[std::atomic_ref(cursor[column(e)]).fetch_add(1, std::memory_order_relaxed)] = row(e);
    }
  });
  std::vector<std::uint64_t> kept(std::size_t{n} + 1, 0);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 1024), [&](const tbb::blocked_range<std::uint32_t>& r) {
    for (std::uint32_t v = r.begin(); v != r.end(); ++v) {
      const auto first = filled.begin() + static_cast<std::ptrdiff_t>(count[v]);
      const auto last = filled.begin() + static_cast<std::ptrdiff_t>(count[v + 1]);
      std::sort(first, last);
      kept[v + 1] = static_cast<std::uint64_t>(std::unique(first, last) - first);
    }
  });
  for (std::size_t v = 1; v <= n; ++v) kept[v] += kept[v - 1];
  compressed_rows rows;
  rows.columns.resize(kept[n]);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 1024), [&](const tbb::blocked_range<std::uint32_t>& r) {
    for (std::uint32_t v = r.begin(); v != r.end(); ++v)
      std::copy_n(filled.begin() + static_cast<std::ptrdiff_t>(count[v]), kept[v + 1] - kept[v],
                  rows.columns.begin() + static_cast<std::ptrdiff_t>(kept[v]));
  });
  rows.offsets = std::move(kept);
  return rows;
}

baseline_graph load_baseline(const std::filesystem::path& file, bool symmetrize, double& read_seconds) {
  const stopwatch watch;
  const mapped_file mapped(file);
  const std::string_view text = mapped.text();
  const std::size_t chunk_count = std::max<std::size_t>(1, std::min<std::size_t>(256, text.size() >> 20));
  std::vector<std::vector<std::uint64_t>> chunks(chunk_count);
  tbb::parallel_for(std::size_t{0}, chunk_count, [&](std::size_t c) {
    chunks[c] = parse_range(text, text.size() * c / chunk_count, text.size() * (c + 1) / chunk_count);
  });
  read_seconds = watch.seconds();
  std::uint64_t largest = 0;
  for (const auto& chunk : chunks)
    for (const std::uint64_t e : chunk) largest = std::max({largest, e >> 32, e & 0xffffffffu});
  baseline_graph g;
  g.vertex_ids = static_cast<std::uint32_t>(largest + 1);
  g.out = rows_of(chunks, g.vertex_ids, false, symmetrize);
  g.in = rows_of(chunks, g.vertex_ids, true, symmetrize);
  return g;
}

// ---------------------------------------------------------------- engine

using engine_graph = graph<empty, empty>;

// As the commands load a graph on one process (load_graph), the file read
// timed on its own.
engine_graph load_engine(const std::filesystem::path& file, bool symmetrize, double& read_seconds) {
  const stopwatch watch;
  const io::edge_list edges = io::read_edge_list(file, io::guess_graph_format(file));
  read_seconds = watch.seconds();
  return build_graph<empty>(edges, ingress_policy{.symmetrize = symmetrize, .order = ingress_policy::vertex_order::by_degree});
}

// Every vertex's neighbours by external id, in both directions; empty when
// the two agree, else the first difference.
std::string first_difference(const engine_graph& g, const baseline_graph& b) {
  const topology& s = g.structure();
  std::uint64_t with_edges = 0;
  for (std::uint32_t x = 0; x < b.vertex_ids; ++x)
    with_edges += b.out.offsets[x + 1] > b.out.offsets[x] || b.in.offsets[x + 1] > b.in.offsets[x];
  if (with_edges != s.num_local_vertices())
    return "vertices with edges: engine " + std::to_string(s.num_local_vertices()) + ", baseline " + std::to_string(with_edges);
  std::vector<std::uint64_t> mine;
  for (local_id v = 0; v < s.num_local_vertices(); ++v) {
    const vertex_id x = s.global_id(v);
    if (x >= b.vertex_ids) return "vertex " + std::to_string(x) + " is not in the baseline";
    for (const bool out : {true, false}) {
      mine.clear();
      if (out) {
        for (edge_index e = s.out_begin(v); e != s.out_end(v); ++e) mine.push_back(s.global_id(s.out_target(e)));
      } else {
        for (edge_index p = s.in_begin(v); p != s.in_end(v); ++p) mine.push_back(s.global_id(s.in_source(p)));
      }
      std::sort(mine.begin(), mine.end());
      const compressed_rows& rows = out ? b.out : b.in;
      const std::span<const std::uint32_t> theirs(rows.columns.data() + rows.offsets[x], rows.offsets[x + 1] - rows.offsets[x]);
      if (!std::equal(mine.begin(), mine.end(), theirs.begin(), theirs.end()))
        return std::string(out ? "out" : "in") + "-neighbours of vertex " + std::to_string(x) + " differ";
    }
  }
  return {};
}

// ---------------------------------------------------------------- the kron file

void write_kron(const std::filesystem::path& file, unsigned scale, std::uint64_t edge_factor, std::uint64_t seed) {
  generators::kronecker_params p;
  p.scale = scale;
  p.edge_factor = edge_factor;
  p.seed = seed;
  const generators::kronecker_generator generator(p);
  std::vector<std::uint64_t> keys;
  keys.reserve(2 * generator.edge_count());
  generators::for_each_edge(generator, [&](std::uint32_t s, std::uint32_t t) {
    if (s == t) return;
    keys.push_back(std::uint64_t{s} << 32 | t);
    keys.push_back(std::uint64_t{t} << 32 | s);
  });
  tbb::parallel_sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  io::atomic_output_file out(file);
  std::string buffer;
  auto append = [&](std::uint64_t id) {
    char digits[20];
    buffer.append(digits, std::to_chars(digits, digits + sizeof digits, id).ptr);
  };
  for (const std::uint64_t k : keys) {
    append(k >> 32);
    buffer += ' ';
    append(k & 0xffffffffu);
    buffer += '\n';
    if (buffer.size() >= (1u << 20)) {
      out.stream() << buffer;
      buffer.clear();
    }
  }
  out.stream() << buffer;
  out.commit();
  std::printf("wrote %s: %llu edges (scale %u, edge factor %llu, seed %llu, symmetrised, no loops or duplicates)\n",
              file.c_str(), static_cast<unsigned long long>(keys.size()), scale, static_cast<unsigned long long>(edge_factor),
              static_cast<unsigned long long>(seed));
}

// ---------------------------------------------------------------- the harness

struct bench_options {
  std::string graph;
  std::string write_kron;
  bool symmetrize = false;
  unsigned scale = 0;
  std::uint64_t edge_factor = 0;
  std::uint64_t seed = 0;
  unsigned trials = 0;
  std::optional<unsigned> threads;
};

void declare_flags(cli::command_line& cmd) {
  namespace po = boost::program_options;
  cmd.add()
      ("graph", po::value<std::string>()->value_name("FILE"), "edge list to load (format from its extension, as the commands guess it)")
      ("symmetrize", "add the reverse of every edge, in both loaders")
      ("write-kron", po::value<std::string>()->value_name("FILE"), "write a Kronecker graph's text edge list instead")
      ("scale", po::value<std::string>()->value_name("S")->default_value("20"), "2^S vertices for --write-kron, 1..31")
      ("edge-factor", po::value<std::string>()->value_name("K")->default_value("16"), "K * 2^S generated edges, 1..1000")
      ("seed", po::value<std::string>()->value_name("N")->default_value("1"), "generator seed")
      ("trials", po::value<std::string>()->value_name("T")->default_value("3"), "trials, 1..100 (loaders alternate)")
      ("threads", po::value<std::string>()->value_name("N"), "worker threads, 1..1024 (default: all cores)");
}

bench_options read_flags(const cli::command_line& cmd) {
  bench_options o;
  if (cmd.has("graph")) o.graph = cmd.text("graph");
  if (cmd.has("write-kron")) o.write_kron = cmd.text("write-kron");
  if (o.graph.empty() == o.write_kron.empty()) throw usage_error("give either --graph FILE or --write-kron FILE");
  o.symmetrize = cmd.has("symmetrize");
  o.scale = *cmd.number<unsigned>("scale", 1, 31);
  o.edge_factor = *cmd.number<std::uint64_t>("edge-factor", 1, 1000);
  o.seed = *cmd.number<std::uint64_t>("seed", 0, std::numeric_limits<std::uint64_t>::max());
  o.trials = *cmd.number<unsigned>("trials", 1, 100);
  o.threads = cmd.number<unsigned>("threads", 1, 1024);
  return o;
}

int run_bench(const bench_options& o) {
  std::optional<tbb::global_control> thread_limit;
  if (o.threads) thread_limit.emplace(tbb::global_control::max_allowed_parallelism, *o.threads);
  if (!o.write_kron.empty()) {
    write_kron(o.write_kron, o.scale, o.edge_factor, o.seed);
    return 0;
  }
  const auto threads = static_cast<unsigned>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  std::printf("graph %s (%s), threads %u\n", o.graph.c_str(), o.symmetrize ? "symmetrised" : "as read", threads);
  std::vector<double> engine_s, engine_read_s, baseline_s, baseline_read_s, ratios;
  std::uint64_t engine_peak = 0, baseline_peak = 0, edges = 0;
  for (unsigned trial = 1; trial <= o.trials; ++trial) {
    double read = 0;
    bench::reset_peak_resident();
    stopwatch watch;
    const baseline_graph b = load_baseline(o.graph, o.symmetrize, read);
    baseline_s.push_back(watch.seconds());
    baseline_read_s.push_back(read);
    baseline_peak = std::max(baseline_peak, bench::peak_resident_bytes().value_or(0));
    {
      bench::reset_peak_resident();
      watch = stopwatch();
      const engine_graph g = load_engine(o.graph, o.symmetrize, read);
      engine_s.push_back(watch.seconds());
      engine_read_s.push_back(read);
      // The baseline's graph is still resident: the engine's own peak is above it.
      engine_peak = std::max(engine_peak, bench::peak_resident_bytes().value_or(0) - bench::resident_bytes().value_or(0) +
                                              g.memory_bytes());
      edges = g.num_edges();
      if (trial == 1) {
        const std::string difference = first_difference(g, b);
        if (!difference.empty()) {
          std::fprintf(stderr, "error: the loaders disagree: %s\n", difference.c_str());
          return 1;
        }
      }
    }
    ratios.push_back(engine_s.back() / baseline_s.back());
    std::printf("trial %u  engine %.2f s (read %.2f)  baseline %.2f s (parse %.2f)  ratio %.2f\n", trial, engine_s.back(),
                engine_read_s.back(), baseline_s.back(), baseline_read_s.back(), ratios.back());
  }
  const auto per_edge = [&](std::uint64_t bytes) { return edges ? static_cast<double>(bytes) / static_cast<double>(edges) : 0.0; };
  std::printf("edges %llu (same CSR and CSC in both loaders)\n", static_cast<unsigned long long>(edges));
  std::printf("median  engine %.2f s (read %.2f)  baseline %.2f s (parse %.2f)  engine/baseline %.2f (median of per-trial ratios)\n",
              median(engine_s), median(engine_read_s), median(baseline_s), median(baseline_read_s), median(ratios));
  std::printf("peak memory during ingress  engine %.1f bytes/edge  baseline %.1f bytes/edge\n", per_edge(engine_peak),
              per_edge(baseline_peak));
  return 0;
}

}  // namespace
}  // namespace gasworks

int main(int argc, char** argv) {
  gasworks::cli::command_line cmd("gasworks-bench-ingress", "[flags]",
                                  "Text ingress: the engine against a hand-written parallel CSR loader on the same file.");
  gasworks::declare_flags(cmd);
  return gasworks::bench::main_in_process(argc, argv, cmd, gasworks::read_flags, gasworks::run_bench);
}
