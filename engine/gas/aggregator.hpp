#pragma once
// Aggregators: global reductions over vertices or edges that an engine runs
// periodically (every k supersteps) while a program runs, e.g. a training
// error or a convergence measure. Each result is reported as a metric of the
// superstep (when it converts to a number) and handed to an optional callback.
#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "engine/gas/replica_exchange.hpp"
#include "engine/gas/run_report.hpp"
#include "engine/gas/vertex_reductions.hpp"

namespace gasworks {

template <class Graph>
class aggregator {
 public:
  aggregator(std::string name, std::uint64_t every) : name_(std::move(name)), every_(every ? every : 1) {}
  virtual ~aggregator() = default;

  const std::string& name() const noexcept { return name_; }
  bool due(std::uint64_t superstep) const noexcept { return (superstep + 1) % every_ == 0; }
  virtual void run(Graph& g, replica_exchange& exchange, metric_list& metrics) = 0;

 private:
  std::string name_;
  std::uint64_t every_;
};

// What an aggregator maps: every vertex (at its master) or every edge (each
// lives on one rank), so each is counted once across ranks.
enum class aggregated { vertices, edges };

template <class Graph, aggregated Over, class Map, class Finalize>
class map_reduce_aggregator final : public aggregator<Graph> {
 public:
  map_reduce_aggregator(std::string name, std::uint64_t every, Map map, Finalize finalize)
      : aggregator<Graph>(std::move(name), every), map_(std::move(map)), finalize_(std::move(finalize)) {}

  void run(Graph& g, replica_exchange& exchange, metric_list& metrics) override {
    auto total = exchange.all_reduce_sum(local_total(g));
    if constexpr (std::convertible_to<decltype(total), double>)
      metrics.emplace_back(this->name(), static_cast<double>(total));
    finalize_(total);
  }

 private:
  auto local_total(Graph& g) {
    if constexpr (Over == aggregated::vertices) return map_reduce_vertices(g, map_);
    else return map_reduce_edges(g, map_);
  }

  Map map_;
  Finalize finalize_;
};

struct ignore_result {
  template <class T>
  void operator()(const T&) const noexcept {}
};

template <class Graph, class Map, class Finalize = ignore_result>
std::unique_ptr<aggregator<Graph>> make_vertex_aggregator(std::string name, std::uint64_t every, Map map,
                                                          Finalize finalize = {}) {
  return std::make_unique<map_reduce_aggregator<Graph, aggregated::vertices, Map, Finalize>>(
      std::move(name), every, std::move(map), std::move(finalize));
}

template <class Graph, class Map, class Finalize = ignore_result>
std::unique_ptr<aggregator<Graph>> make_edge_aggregator(std::string name, std::uint64_t every, Map map,
                                                        Finalize finalize = {}) {
  return std::make_unique<map_reduce_aggregator<Graph, aggregated::edges, Map, Finalize>>(
      std::move(name), every, std::move(map), std::move(finalize));
}

}  // namespace gasworks
