#pragma once
// The edges a partitioner is given, in input order, after the ingress
// policy the graph builder applies: self-loops dropped if asked, the
// reverse of every edge added right after it when symmetrizing, and repeated
// edges dropped (keeping the first occurrence) unless kept.
#include <vector>

#include "engine/graph/ingress_policy.hpp"
#include "engine/io/edge_list.hpp"
#include "partition/partitioner.hpp"

namespace gasworks::partition {

std::vector<edge> apply_ingress_policy(std::vector<edge> edges, const ingress_policy& policy);

// The edges of a reader's list under `policy`.
std::vector<edge> edge_stream(const io::edge_list& input, const ingress_policy& policy);

}  // namespace gasworks::partition
