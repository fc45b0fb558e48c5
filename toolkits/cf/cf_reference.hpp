#pragma once
// Serial reference oracles of the factorization programs, written plainly
// from their definitions over a list of ratings, with no graph and no
// engine: ALS half-steps (plain or variational, with or without biases) solved with a pivoted LU
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

inline double bias_of(const side_model& s, std::uint64_t id) {
  const auto it = s.bias.find(id);
  return it == s.bias.end() ? 0.0 : it->second;
}

// The biased model's normal equations of one vertex: the unknowns are
// (b, f), each rating contributing (1, v) (1, v)^T and (r - mean - b_v) (1, v),
// v's covariance added to the factor block; the bias is regularised by
// bias_lambda, the factors by lambda n + prior.
inline normal_system biased_als_system(const std::vector<std::pair<std::uint64_t, double>>& own_ratings,
                                       const side_model& other_side, double lambda, double prior, double bias_lambda,
                                       double mean) {
  const Eigen::Index d = other_side.factors.begin()->second.size();
  normal_system s{Eigen::MatrixXd::Zero(d + 1, d + 1), Eigen::VectorXd::Zero(d + 1)};
  for (const auto& [other, value] : own_ratings) {
    Eigen::VectorXd v(d + 1);
    v << 1.0, other_side.factors.at(other);
    s.a += v * v.transpose();
    if (const auto it = other_side.covariance.find(other); it != other_side.covariance.end())
      s.a.bottomRightCorner(d, d) += it->second;
    s.b += (value - mean - bias_of(other_side, other)) * v;
  }
  s.a(0, 0) += bias_lambda;
  s.a.diagonal().tail(d).array() += lambda * static_cast<double>(own_ratings.size()) + prior;
  return s;
}

// What a biased ALS half-step needs beside lambda and the prior.
struct bias_terms {
  double bias_lambda = 0;
  double mean = 0;  // of the training ratings
};

// One ALS half-step: every user (or item) solved against the other side,
// with biases when given their terms. Variational when given the noise
// variance: each solved vertex then also gets the covariance of its factors,
// noise_variance times the factor block of A^-1.
inline void als_half_step(const std::vector<rating>& ratings, model& m, bool users, double lambda, double prior = 0,
                          std::optional<double> noise_variance = std::nullopt,
                          std::optional<bias_terms> biases = std::nullopt) {
  side_model& solved = users ? m.users : m.items;
  const side_model& fixed = users ? m.items : m.users;
  for (const auto& [id, own] : ratings_by(ratings, users)) {
    const normal_system s = biases ? biased_als_system(own, fixed, lambda, prior, biases->bias_lambda, biases->mean)
                                   : als_system(own, fixed, lambda, prior);
    const auto lu = s.a.fullPivLu();
    const Eigen::VectorXd x = lu.solve(s.b);
    const Eigen::Index d = x.size() - (biases ? 1 : 0);
    solved.factors[id] = x.tail(d);
    if (biases) solved.bias[id] = x[0];
    if (noise_variance) solved.covariance[id] = *noise_variance * lu.inverse().bottomRightCorner(d, d);
  }
}

// The mean squared training error, predictions offset + b_u + b_i + f_u . f_i
// (offset the mean for a biased model, biases 0 where absent) clamped to the
// training range.
inline double training_mse(const std::vector<rating>& ratings, const model& m, double offset = 0) {
  double low = ratings.front().value, high = low, sum = 0;
  for (const rating& r : ratings) {
    low = std::min(low, r.value);
    high = std::max(high, r.value);
  }
  for (const rating& r : ratings) {
    const double raw = offset + bias_of(m.users, r.user) + bias_of(m.items, r.item) +
                       m.users.factors.at(r.user).dot(m.items.factors.at(r.item));
    const double predicted = std::clamp(raw, low, high);
    sum += (predicted - r.value) * (predicted - r.value);
  }
  return sum / static_cast<double>(ratings.size());
}

// One SGD half-step: every user (or item) steps along its ratings in order.
inline void sgd_half_step(const std::vector<rating>& ratings, model& m, bool users, double step, double lambda,
                          bool biased, double mean) {
  side_model& moving = users ? m.users : m.items;
  const side_model& fixed = users ? m.items : m.users;
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
