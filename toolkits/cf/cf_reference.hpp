#pragma once
// Serial reference oracles of the factorization programs, written plainly
// from their definitions over a list of ratings, with no graph and no
// engine: ALS half-steps solved with a pivoted LU decomposition (not the
// programs' Cholesky), and SGD epochs walking each user's ratings in item
// order and each item's in user order, as the programs do on one rank.
#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "toolkits/cf/latent_vertex.hpp"
#include "toolkits/cf/ratings.hpp"

namespace gasworks::cf::reference {

struct side_model {
  std::map<std::uint64_t, Eigen::VectorXd> factors;
  std::map<std::uint64_t, double> bias;  // 0 when absent
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

// The weighted-lambda normal equations of one vertex: A x = b with
// A = sum v v^T + lambda n I and b = sum r v over its ratings.
struct normal_system {
  Eigen::MatrixXd a;
  Eigen::VectorXd b;
};

inline normal_system als_system(const std::vector<std::pair<std::uint64_t, double>>& own_ratings,
                                const std::map<std::uint64_t, Eigen::VectorXd>& other_side, double lambda) {
  const Eigen::Index d = other_side.begin()->second.size();
  normal_system s{Eigen::MatrixXd::Zero(d, d), Eigen::VectorXd::Zero(d)};
  for (const auto& [other, value] : own_ratings) {
    const Eigen::VectorXd& v = other_side.at(other);
    s.a += v * v.transpose();
    s.b += value * v;
  }
  s.a += lambda * static_cast<double>(own_ratings.size()) * Eigen::MatrixXd::Identity(d, d);
  return s;
}

// One ALS half-step: every user (or item) solved against the other side.
inline void als_half_step(const std::vector<rating>& ratings, model& m, bool users, double lambda) {
  side_model& solved = users ? m.users : m.items;
  const side_model& fixed = users ? m.items : m.users;
  for (const auto& [id, own] : ratings_by(ratings, users)) {
    const normal_system s = als_system(own, fixed.factors, lambda);
    solved.factors[id] = s.a.fullPivLu().solve(s.b);
  }
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
