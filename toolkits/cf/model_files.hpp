#pragma once
// The files a factorization writes: each user's and item's factors, the
// biases, and predictions for requested pairs. Each is written to a
// temporary file and renamed into place (io/atomic_output_file.hpp).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "engine/ingress/gather_at_root.hpp"
#include "toolkits/cf/latent_vertex.hpp"
#include "toolkits/cf/prediction_rule.hpp"
#include "toolkits/cf/ratings_file.hpp"

namespace gasworks::cf {

// Every fitted vertex with its id, as gathered at rank 0.
using fitted_vertex = vertex_value<latent_vertex>;

// 'id f1 .. fD' for every fitted user (users = true) or item.
void write_factors(const std::filesystem::path& path, const std::vector<fitted_vertex>& model, bool users);

// 'mean M', then 'user ID BIAS' and 'item ID BIAS' lines.
void write_biases(const std::filesystem::path& path, const std::vector<fitted_vertex>& model, double mean);

// Pairs to predict, read before training so that a bad file fails fast.
struct prediction_request {
  std::filesystem::path file;
  ratings_read pairs;
};

struct prediction_outcome {
  std::uint64_t written = 0;
  std::uint64_t unknown = 0;  // pairs with a user or item lacking training ratings
  std::optional<std::uint64_t> first_unknown_line;
};

// 'user item prediction' per requested pair, in request order.
prediction_outcome write_predictions(const std::filesystem::path& path, const prediction_request& request,
                                     const std::vector<fitted_vertex>& model, const prediction_rule& rule);

}  // namespace gasworks::cf
