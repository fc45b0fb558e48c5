#pragma once
// What a user or item vertex carries in a factorization: its latent factors
// (their number, the model's rank, is chosen at run time), an optional bias,
// how many training ratings it has (0 for a vertex that appears only in
// validation ratings: its factors were never fitted), how far its last
// update moved it (the priority of the signals it then sends) and, in
// variational ALS, how uncertain its factors are.
#include <cstdint>
#include <span>

#include <Eigen/Core>

#include "engine/comm/wire.hpp"
#include "engine/core/mix_hash.hpp"
#include "engine/core/types.hpp"

namespace gasworks::cf {

// A vector of factors (or any vector of doubles) on the wire: its length,
// then its values.
inline void write_factors(wire_writer& w, const Eigen::VectorXd& f) {
  w.put(static_cast<std::uint32_t>(f.size()));
  w.put_all(std::span<const double>(f.data(), static_cast<std::size_t>(f.size())));
}
inline void read_factors(wire_reader& r, Eigen::VectorXd& f) {
  f.resize(r.get<std::uint32_t>());
  r.get_all(std::span<double>(f.data(), static_cast<std::size_t>(f.size())));
}

struct latent_vertex {
  Eigen::VectorXd factors;
  double bias = 0;
  std::uint32_t training_ratings = 0;
  double change = 0;  // |new - old| of factors and bias in the last update
  // Variational ALS only: the posterior covariance of the factors, packed
  // (packed_symmetric.hpp), empty until the vertex is first solved.
  Eigen::VectorXd covariance;

  bool fitted() const noexcept { return training_ratings > 0; }

  // Crosses ranks as its rank, its factors, its bias, its rating count, its
  // last change and its packed covariance.
  void write_to(wire_writer& w) const {
    write_factors(w, factors);
    w.put(bias);
    w.put(training_ratings);
    w.put(change);
    write_factors(w, covariance);
  }
  void read_from(wire_reader& r) {
    read_factors(r, factors);
    bias = r.get<double>();
    training_ratings = r.get<std::uint32_t>();
    change = r.get<double>();
    read_factors(r, covariance);
  }
};

// A reproducible pseudo-random number in [0, 1) for (seed, vertex, k):
// initial factors depend on the vertex id only, never on which rank or
// thread initialises them.
inline double unit_random(std::uint64_t seed, vertex_id v, std::uint64_t k) noexcept {
  // splitmix64's finaliser, applied to a combination of the three inputs.
  const std::uint64_t x = seed * golden_gamma ^ (v + 0x632be59bd9b4e019ULL) * 0xbf58476d1ce4e5b9ULL ^ k * 0x94d049bb133111ebULL;
  return static_cast<double>(splitmix_finaliser(x) >> 11) * 0x1.0p-53;
}

// Factors uniform in [0, scale), from (seed, vertex).
inline Eigen::VectorXd initial_factors(std::uint64_t seed, vertex_id v, int rank, double scale) {
  Eigen::VectorXd f(rank);
  for (int k = 0; k < rank; ++k) f[k] = scale * unit_random(seed, v, static_cast<std::uint64_t>(k));
  return f;
}

}  // namespace gasworks::cf
