#include "engine/graph/ingress_policy.hpp"

namespace gasworks {

std::optional<ingress_policy::self_loops> parse_self_loops(std::string_view name) {
  if (name == "keep") return ingress_policy::self_loops::keep;
  if (name == "drop") return ingress_policy::self_loops::drop;
  return std::nullopt;
}

std::optional<ingress_policy::duplicates> parse_duplicates(std::string_view name) {
  if (name == "drop") return ingress_policy::duplicates::drop;
  if (name == "keep") return ingress_policy::duplicates::keep;
  return std::nullopt;
}

std::optional<ingress_policy::vertex_order> parse_vertex_order(std::string_view name) {
  if (name == "degree") return ingress_policy::vertex_order::by_degree;
  if (name == "id") return ingress_policy::vertex_order::by_id;
  return std::nullopt;
}

}  // namespace gasworks
