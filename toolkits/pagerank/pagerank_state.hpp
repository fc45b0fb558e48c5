#pragma once
// What each vertex holds while PageRank runs.

namespace gasworks::pagerank {

struct vertex_state {
  double rank = 0;
  double change = 0;  // rank minus the rank before the last update
};

}  // namespace gasworks::pagerank
