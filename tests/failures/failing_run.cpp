// A run whose vertex program fails at a chosen place, on a chosen rank:
//
//   gasworks-test-failing-run GRAPH PLACE RANK sync|async
//
// PLACE is init, gather, apply, scatter, begin_superstep, end_superstep or
// aggregator (the last three: places of the synchronous engine, and the
// aggregator of the asynchronous one too). The program throws
// "planted failure in PLACE on rank RANK" there, once the run is under way.
// The program handles the failure as the gasworks command does: the rank
// that caught it prints it and, under mpiexec, ends the whole job
// (communicator::abort_job), so that no other rank waits for it forever; the
// exit code is 1. tests/cli/test_failing_runs.cpp runs every place on one
// process and on two ranks and checks that the job ends, with the message.
#include <atomic>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/async_engine.hpp"
#include "engine/comm/mpi_session.hpp"
#include "engine/ingress/distributed_ingress.hpp"
#include "engine/sync/sync_engine.hpp"

namespace {

using namespace gasworks;

struct failure_plan {
  std::string place;
  int rank = 0;
  // The work done before the failure: supersteps (sync) or updates (async).
  std::uint64_t after = 2;

  void fail_if(std::string_view here, int rank_here, std::uint64_t progress) const {
    if (here == place && rank_here == rank && progress >= after)
      throw std::runtime_error("planted failure in " + place + " on rank " + std::to_string(rank));
  }
};

// Spreads a value along out-edges (a diffusion that keeps every vertex busy),
// with a message on every signal so that init runs too.
struct spreading_base : program_types<double> {
  using gather_type = double;
  using message_type = double;
  const failure_plan* plan = nullptr;

  template <class C> void init(const C& ctx, vertex_type& v, const double& m) const {
    plan->fail_if("init", ctx.rank(), ctx.iteration());
    v.data() += 1e-9 * m;
  }
  template <class C> edge_dir gather_edges(const C&, const vertex_type&) const { return edge_dir::in; }
  template <class C> double gather(const C& ctx, const vertex_type&, const edge_type& e) const {
    plan->fail_if("gather", ctx.rank(), ctx.iteration());
    return e.source().data() / (1.0 + e.source().num_out_edges());
  }
  template <class C> void apply(const C& ctx, vertex_type& v, double total) const {
    plan->fail_if("apply", ctx.rank(), ctx.iteration());
    v.data() = 0.15 + 0.85 * total;
  }
  template <class C> edge_dir scatter_edges(const C&, const vertex_type&) const { return edge_dir::out; }
  template <class C> void scatter(const C& ctx, const vertex_type&, edge_type& e) const {
    plan->fail_if("scatter", ctx.rank(), ctx.iteration());
    ctx.signal(e.target(), 1.0);
  }
};

struct sync_spreading : spreading_base {
  template <class View> void begin_superstep(View& view) {
    plan->fail_if("begin_superstep", rank, view.iteration());
  }
  template <class View> void end_superstep(View& view) {
    plan->fail_if("end_superstep", rank, view.iteration());
  }
  int rank = 0;
};

int run(const failure_plan& plan, const std::shared_ptr<communicator>& ranks, const std::string& graph_file, bool asynchronous) {
  auto g = load_graph<double>(ranks, graph_file, io::graph_format::snap, ingress_options{});
  transform_vertices(g, [](auto& v) { v.data() = 1.0; });
  std::atomic<std::uint64_t> aggregations{0};
  const auto counted = [&](const auto&) {
    plan.fail_if("aggregator", ranks->rank(), aggregations.fetch_add(1) / g.num_local_vertices());
    return 0.0;
  };
  if (asynchronous) {
    failure_plan async_plan = plan;
    async_plan.after = 2 * g.num_vertices();  // updates
    spreading_base program;
    program.plan = &async_plan;
    async_options options;
    options.max_updates = 40 * g.num_vertices();
    async_engine<spreading_base> engine(g, program, options);
    engine.add_aggregator("count", aggregation_period{g.num_vertices(), 0}, counted);
    engine.signal_all();
    engine.run();
  } else {
    sync_spreading program;
    program.plan = &plan;
    program.rank = ranks->rank();
    engine_options options;
    options.max_iterations = 20;
    sync_engine<sync_spreading> engine(g, program, options);
    engine.add_aggregator("count", 1, counted);
    engine.signal_all();
    engine.run();
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  mpi_session mpi(argc, argv);
  const auto& ranks = mpi.world();
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s GRAPH PLACE RANK sync|async\n", argv[0]);
    return 2;
  }
  failure_plan plan{argv[2], std::stoi(argv[3])};
  try {
    run(plan, ranks, argv[1], std::string_view(argv[4]) == "async");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error on rank %d: %s\n", ranks->rank(), e.what());
    std::fflush(stderr);
    ranks->abort_job(1);
    return 1;
  }
  std::fprintf(stderr, "the run ended without the planted failure\n");
  return 3;
}
