#include "engine/core/mix_hash.hpp"
#include "engine/ingress/distributed_ingress.hpp"

#include <cstdio>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <tuple>

#include "engine/io/file_share.hpp"
#include "engine/io/line_reader.hpp"
#include "engine/io/read_edge_list.hpp"

namespace gasworks {

std::string ingress_report::describe() const {
  char text[256];
  std::snprintf(text, sizeof text,
                "%d rank%s, %s partition: replication %.3f, edge balance %.3f, vertex balance %.3f, ingress %.2f s", ranks,
                ranks == 1 ? "" : "s", std::string(partition::name(method)).c_str(), replication_factor, edge_balance,
                vertex_balance, seconds);
  return text;
}

std::string ingress_report::describe_steps() const {
  std::string text;
  char part[96];
  for (const auto& [name, step_seconds] : steps) {
    std::snprintf(part, sizeof part, "%s%s %.2f s", text.empty() ? "" : ", ", name.c_str(), step_seconds);
    text += part;
  }
  return text;
}

namespace detail {

io::edge_list read_rank_part(communicator& ranks, const std::filesystem::path& file, io::graph_format format) {
  const auto share = rank_share_of_file(ranks, file);
  if (!share) {
    io::edge_list nothing;
    nothing.source = file;
    return nothing;
  }
  return share->is_whole_file() ? io::read_edge_list(file, format) : io::read_edge_list(file, format, *share);
}

namespace {

// The rank that keeps the directory entry of a vertex.
int directory_rank(vertex_id v, int ranks) {
  return static_cast<int>(mix_hash(v) % static_cast<std::uint64_t>(ranks));
}

std::uint32_t checked_degree(std::uint64_t degree, vertex_id v) {
  if (degree > std::numeric_limits<std::uint32_t>::max())
    throw usage_error("vertex " + std::to_string(v) + " has more than 2^32 edges");
  return static_cast<std::uint32_t>(degree);
}

struct claim {
  vertex_id id;
  std::uint32_t rank;
  std::uint32_t out;
  std::uint32_t in;
};

}  // namespace

vertex_directory consult_directory(communicator& ranks, std::span<const vertex_id> edge_vertices,
                                   std::span<const std::uint32_t> local_out, std::span<const std::uint32_t> local_in,
                                   std::span<const vertex_id> declared) {
  const int n = ranks.size();
  const auto me = static_cast<std::uint32_t>(ranks.rank());

  // To each directory rank: the vertices it keeps that this rank holds (with
  // this rank's edge counts), then the declared vertices it keeps.
  std::vector<std::vector<std::size_t>> sent(static_cast<std::size_t>(n));
  std::vector<std::vector<vertex_id>> declared_to(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < edge_vertices.size(); ++i) sent[directory_rank(edge_vertices[i], n)].push_back(i);
  for (vertex_id v : declared) declared_to[directory_rank(v, n)].push_back(v);
  std::vector<std::vector<std::byte>> out(static_cast<std::size_t>(n));
  for (int d = 0; d < n; ++d) {
    wire_writer w(out[d]);
    w.put<std::uint64_t>(sent[d].size());
    for (std::size_t i : sent[d]) {
      w.put(edge_vertices[i]);
      w.put(local_out[i]);
      w.put(local_in[i]);
    }
    w.put<std::uint64_t>(declared_to[d].size());
    w.put_all(std::span<const vertex_id>(declared_to[d]));
  }
  auto in = ranks.all_to_all(out);

  // As a directory rank: group the claims on each vertex, choose masters.
  std::vector<claim> claims;
  std::vector<vertex_id> declared_here;
  for (int r = 0; r < n; ++r) {
    wire_reader reader(in[r]);
    for (auto count = reader.get<std::uint64_t>(); count > 0; --count) {
      const auto id = reader.get<vertex_id>();
      const auto o = reader.get<std::uint32_t>();
      const auto i = reader.get<std::uint32_t>();
      claims.push_back({id, static_cast<std::uint32_t>(r), o, i});
    }
    for (auto count = reader.get<std::uint64_t>(); count > 0; --count) declared_here.push_back(reader.get<vertex_id>());
  }
  std::sort(claims.begin(), claims.end(), [](const claim& x, const claim& y) { return std::tie(x.id, x.rank) < std::tie(y.id, y.rank); });
  std::vector<std::vector<std::byte>> replies(static_cast<std::size_t>(n));
  std::vector<partition::part_id> holders;
  for (std::size_t first = 0; first < claims.size();) {
    std::size_t last = first;
    std::uint64_t out_degree = 0, in_degree = 0;
    holders.clear();
    for (; last < claims.size() && claims[last].id == claims[first].id; ++last) {
      holders.push_back(claims[last].rank);
      out_degree += claims[last].out;
      in_degree += claims[last].in;
    }
    const vertex_id v = claims[first].id;
    const std::uint32_t master = partition::choose_master(v, holders);
    for (std::size_t c = first; c < last; ++c) {
      wire_writer w(replies[claims[c].rank]);
      w.put(checked_degree(out_degree, v));
      w.put(checked_degree(in_degree, v));
      w.put(master);
      if (claims[c].rank != master) continue;
      w.put<std::uint32_t>(static_cast<std::uint32_t>(holders.size() - 1));
      for (auto h : holders)
        if (h != master) w.put<std::uint32_t>(h);
    }
    first = last;
  }
  // A declared vertex that no rank holds an edge of lives here.
  std::sort(declared_here.begin(), declared_here.end());
  declared_here.erase(std::unique(declared_here.begin(), declared_here.end()), declared_here.end());
  std::vector<vertex_id> hosted;
  for (vertex_id v : declared_here) {
    auto it = std::lower_bound(claims.begin(), claims.end(), v, [](const claim& c, vertex_id id) { return c.id < id; });
    if (it == claims.end() || it->id != v) hosted.push_back(v);
  }
  release(claims);
  in = ranks.all_to_all(replies);

  // As a replica: read the answers in the order of the questions.
  const std::size_t held = edge_vertices.size();
  std::vector<std::uint32_t> out_degree(held), in_degree(held), master(held);
  std::vector<std::vector<std::uint32_t>> mirrors(held);
  for (int d = 0; d < n; ++d) {
    wire_reader reader(in[d]);
    for (std::size_t i : sent[d]) {
      out_degree[i] = reader.get<std::uint32_t>();
      in_degree[i] = reader.get<std::uint32_t>();
      master[i] = reader.get<std::uint32_t>();
      if (master[i] != me) continue;
      mirrors[i].resize(reader.get<std::uint32_t>());
      for (auto& m : mirrors[i]) m = reader.get<std::uint32_t>();
    }
  }

  // Merge the held and the hosted vertices in ascending id.
  vertex_directory result;
  const std::size_t total = held + hosted.size();
  result.ids.reserve(total);
  result.out_degree.reserve(total);
  result.in_degree.reserve(total);
  result.master.reserve(total);
  result.mirrors.reserve(total);
  std::size_t i = 0, h = 0;
  while (i < held || h < hosted.size()) {
    if (h == hosted.size() || (i < held && edge_vertices[i] < hosted[h])) {
      result.ids.push_back(edge_vertices[i]);
      result.out_degree.push_back(out_degree[i]);
      result.in_degree.push_back(in_degree[i]);
      result.master.push_back(master[i]);
      result.mirrors.push_back(std::move(mirrors[i]));
      ++i;
    } else {
      result.ids.push_back(hosted[h++]);
      result.out_degree.push_back(0);
      result.in_degree.push_back(0);
      result.master.push_back(me);
      result.mirrors.emplace_back();
    }
  }
  return result;
}

void attach_replicas(topology::arrays& a, const vertex_directory& directory, const std::shared_ptr<communicator>& ranks) {
  if (a.global_ids != directory.ids) throw std::logic_error("ingress: the shard's vertices differ from the directory's");
  const int n = ranks->size();
  const auto me = static_cast<std::uint32_t>(ranks->rank());
  const std::size_t local = a.global_ids.size();
  a.out_degree.assign(directory.out_degree.begin(), directory.out_degree.end());
  a.in_degree.assign(directory.in_degree.begin(), directory.in_degree.end());
  a.master_rank = directory.master;
  a.masters_mirrored_on.assign(static_cast<std::size_t>(n), {});
  a.mirrors_mastered_on.assign(static_cast<std::size_t>(n), {});
  std::uint64_t masters = 0;
  for (std::size_t v = 0; v < local; ++v) {
    const auto id = static_cast<local_id>(v);
    if (a.master_rank[v] == me) {
      ++masters;
      for (auto p : directory.mirrors[v]) a.masters_mirrored_on[p].push_back(id);
    } else {
      a.mirrors_mastered_on[a.master_rank[v]].push_back(id);
    }
  }
  a.rank = ranks->rank();
  a.num_ranks = n;
  a.ranks = ranks;
  a.global_vertices = ranks->all_reduce_sum(masters);
  a.global_edges = ranks->all_reduce_sum<std::uint64_t>(a.out_targets.size());
}

ingress_report summarise(communicator& ranks, const topology& shard, partition::method m, double seconds,
                         const step_times& steps) {
  ingress_report r;
  r.method = m;
  r.ranks = ranks.size();
  r.vertices = shard.num_vertices();
  r.edges = shard.num_edges();
  const std::uint64_t local_vertices = shard.num_local_vertices(), local_edges = shard.num_local_edges();
  r.replicas = ranks.all_reduce_sum(local_vertices);
  const auto n = static_cast<double>(r.ranks);
  r.replication_factor = r.vertices ? static_cast<double>(r.replicas) / static_cast<double>(r.vertices) : 1.0;
  r.edge_balance = r.edges ? static_cast<double>(ranks.all_reduce_max(local_edges)) / (static_cast<double>(r.edges) / n) : 1.0;
  r.vertex_balance =
      r.replicas ? static_cast<double>(ranks.all_reduce_max(local_vertices)) / (static_cast<double>(r.replicas) / n) : 1.0;
  r.seconds = ranks.all_reduce_max(seconds);
  for (const auto& [name, step_seconds] : steps) r.steps.emplace_back(name, ranks.all_reduce_max(step_seconds));
  return r;
}

}  // namespace detail
}  // namespace gasworks
