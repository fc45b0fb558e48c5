#pragma once
// Ratings as a bipartite graph: users and items are vertices, a rating is an
// edge user -> item carrying its value.
//
// Users and items have separate id spaces (user 5 and item 5 are different
// vertices), so a user u is vertex 2u and an item i is vertex 2i + 1: the
// side of a vertex is its lowest bit, and every rank can tell it without a
// lookup table.
#include <cstdint>
#include <limits>

#include "engine/core/types.hpp"

namespace gasworks::cf {

// The largest user or item id a file may use.
constexpr std::uint64_t max_id = std::numeric_limits<vertex_id>::max() >> 1;

constexpr vertex_id user_vertex(std::uint64_t user) noexcept { return user << 1; }
constexpr vertex_id item_vertex(std::uint64_t item) noexcept { return item << 1 | 1; }
constexpr bool is_user(vertex_id v) noexcept { return (v & 1) == 0; }
constexpr std::uint64_t id_in_its_side(vertex_id v) noexcept { return v >> 1; }

// Training ratings fit the model; validation ratings only measure it.
enum class rating_role : std::uint8_t { train, validation };

// The data of an edge user -> item.
struct rating_edge {
  double value = 0;
  rating_role role = rating_role::train;

  bool trains() const noexcept { return role == rating_role::train; }
};

// A line of a ratings file.
struct rating {
  std::uint64_t user = 0;
  std::uint64_t item = 0;
  double value = 0;
};

}  // namespace gasworks::cf
