#pragma once
// Serial reference oracles of the factorization programs, written plainly
// from their definitions over a list of ratings, with no graph and no
// engine: ALS half-steps (plain or variational) solved with a pivoted LU
// decomposition (not the programs' Cholesky), and SGD epochs walking each
// user's ratings in item order and each item's in user order, as the
// programs do on one rank.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "toolkits/cf/latent_vertex.hpp"
#include "toolkits/cf/ratings.hpp"

namespace gasworks::cf::reference {

struct side_model {
  std::map<std::uint64_t, Eigen::VectorXd> factors;
  std::map<std::uint64_t, double> bias;  // 0 when absent
  std::map<std::uint64_t, Eigen::MatrixXd> covariance;  // variational ALS; none when absent
};

struct model {
  side_model users;
  side_model items;
};

// The ratings of each user (or item), in the order the programs visit them:
// by the other side's id, then file order.
inline std::map<std::uint64_t, std::vector<std::pair<std::uint64_t, double>>> ratings_by(const std::vector<rating>& ratings,
                                                                                       bool by_user) {
  std::map<std::uint64_t, std::vector<std::pair<std::uint64_t, double>>> by;
  for (const rating& r : ratings) by[by_user ? r.user : r.item].emplace_back(by_user ? r.item : r.user, r.value);
  for (auto& [id, list] : by)
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return by;
}

// Initial factors as the programs set them.
inline model initial_model(const std::vector<rating>& ratings, std::uint64_t seed, int rank, double scale) {
  model m;
  for (const rating& r : ratings) {
    m.users.factors.try_emplace(r.user, initial_factors(seed, user_vertex(r.user), rank, scale));
    m.items.factors.try_emplace(r.item, initial_factors(seed, item_vertex(r.item), rank, scale));
  }
  return m;
}

// The regularised normal equations of one vertex, without biases: A x = b
// with A = sum (v v^T + S_v) + (lambda n + prior) I and b = sum r v over its
// ratings, S_v being v's covariance in variational ALS (none otherwise).
struct normal_system {
  Eigen::MatrixXd a;
  Eigen::VectorXd b;
};

inline normal_system als_system(const std::vector<std::pair<std::uint64_t, double>>& own_ratings,
                                const side_model& other_side, double lambda, double prior = 0) {
  const Eigen::Index d = other_side.factors.begin()->second.size();
  normal_system s{Eigen::MatrixXd::Zero(d, d), Eigen::VectorXd::Zero(d)};
  for (const auto& [other, value] : own_ratings) {
    const Eigen::VectorXd& v = other_side.factors.at(other);
    s.a += v * v.transpose();
    if (const auto it = other_side.covariance.find(other); it != other_side.covariance.end()) s.a += it->second;
    s.b += value * v;
  }
  s.a += (lambda * static_cast<double>(own_ratings.size()) + prior) * Eigen::MatrixXd::Identity(d, d);
  return s;
}

// One ALS half-step: every user (or item) solved against the other side.
// Variational when given the noise variance: each solved vertex then also
// gets the covariance noise_variance * A^-1.
inline void als_half_step(const std::vector<rating>& ratings, model& m, bool users, double lambda, double prior = 0,
                          std::optional<double> noise_variance = std::nullopt) {
  side_model& solved = users ? m.users : m.items;
  const side_model& fixed = users ? m.items : m.users;
  for (const auto& [id, own] : ratings_by(ratings, users)) {
    const normal_system s = als_system(own, fixed, lambda, prior);
    const auto lu = s.a.fullPivLu();
    solved.factors[id] = lu.solve(s.b);
    if (noise_variance) solved.covariance[id] = *noise_variance * lu.inverse();
  }
}

// The mean squared training error of an unbiased model, its predictions
// clamped to the training range.
inline double training_mse(const std::vector<rating>& ratings, const model& m) {
  double low = ratings.front().value, high = low, sum = 0;
  for (const rating& r : ratings) {
    low = std::min(low, r.value);
    high = std::max(high, r.value);
  }
  for (const rating& r : ratings) {
    const double predicted = std::clamp(m.users.factors.at(r.user).dot(m.items.factors.at(r.item)), low, high);
    sum += (predicted - r.value) * (predicted - r.value);
  }
  return sum / static_cast<double>(ratings.size());
}

// One SGD half-step: every user (or item) steps along its ratings in order.
inline void sgd_half_step(const std::vector<rating>& ratings, model& m, bool users, double step, double lambda,
                          bool biased, double mean) {
  side_model& moving = users ? m.users : m.items;
  const side_model& fixed = users ? m.items : m.users;
  auto bias_of = [](const side_model& s, std::uint64_t id) {
    const auto it = s.bias.find(id);
    return it == s.bias.end() ? 0.0 : it->second;
  };
  for (const auto& [id, own] : ratings_by(ratings, users)) {
    Eigen::VectorXd f = moving.factors.at(id);
    double b = bias_of(moving, id);
    for (const auto& [other, value] : own) {
      const Eigen::VectorXd& g = fixed.factors.at(other);
      const double error = value - ((biased ? mean : 0.0) + b + bias_of(fixed, other) + f.dot(g));
      const Eigen::VectorXd next = f + step * (error * g - lambda * f);
      if (biased) b += step * (error - lambda * b);
      f = next;
    }
    moving.factors[id] = f;
    moving.bias[id] = b;
  }
}

}  // namespace gasworks::cf::reference
