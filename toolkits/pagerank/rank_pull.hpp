#pragma once
// What both PageRank programs share: the damping and tolerance they are
// given, and the pull. Each vertex publishes rank / out-degree, contiguously,
// so that a gather's random reads touch 8 bytes per in-edge; a gather sums
// those values over the in-edges.
#include "engine/core/error.hpp"
#include "engine/gas/vertex_program.hpp"
#include "toolkits/pagerank/pagerank_state.hpp"

namespace gasworks::pagerank {

class rank_pull : public program_types<vertex_state> {
 public:
  using gather_type = double;
  using published_type = double;
  // Gathers read only the published values, so the synchronous engine may
  // gather and apply in one pass.
  static constexpr bool gathers_published_only = true;

  rank_pull(double damping, double tolerance) : damping_(damping), tolerance_(tolerance) {
    if (!(damping_ >= 0 && damping_ <= 1)) throw usage_error("damping must lie in [0, 1]");
    if (!(tolerance_ >= 0)) throw usage_error("tolerance must be non-negative");
  }

  template <class Ctx>
  edge_dir gather_edges(const Ctx&, const vertex_type&) const {
    return edge_dir::in;
  }
  template <class Ctx>
  double gather(const Ctx& ctx, const vertex_type&, const edge_type& e) const {
    return ctx.published(e.source());
  }
  double publish(const vertex_type& v) const { return v.num_out_edges() ? v.data().rank / v.num_out_edges() : 0.0; }

 protected:
  // Stores v's new rank and how far it moved.
  static void set_rank(vertex_type& v, double rank) {
    auto& d = v.data();
    d.change = rank - d.rank;
    d.rank = rank;
  }

  double damping_;
  double tolerance_;
};

}  // namespace gasworks::pagerank
