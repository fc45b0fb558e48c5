// gasworks: one program, a subcommand per toolkit.
// Exit codes: 0 success, 1 bad input or failed run, 2 usage error.
//
// Under mpiexec every rank runs the same subcommand. Errors that all ranks
// raise together (collective_error: bad flags, a bad input line found by any
// rank during ingress) are printed once, by rank 0, and every rank exits with
// the same code. An error raised on one rank only ends the whole job at once
// (MPI_Abort) after that rank printed it, so no rank waits forever.
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <string_view>

#include "apps/commands/commands.hpp"
#include "engine/comm/collective_error.hpp"
#include "engine/comm/mpi_session.hpp"
#include "engine/core/error.hpp"
#include "engine/core/keep_freed_memory.hpp"

namespace {

using gasworks::commands::command_ranks;

int run_partition(const command_ranks& ranks, int argc, const char* const* argv) {
  // A one-process simulation of N parts: rank 0 alone does it under mpiexec.
  return ranks->rank() == 0 ? gasworks::commands::partition(argc, argv) : 0;
}

int run_lda_infer(const command_ranks& ranks, int argc, const char* const* argv) {
  // Documents are independent: rank 0 alone infers them under mpiexec.
  return ranks->rank() == 0 ? gasworks::commands::lda_infer(argc, argv) : 0;
}

struct subcommand {
  std::string_view name;
  std::string_view summary;
  int (*run)(const command_ranks&, int, const char* const*);
};

constexpr subcommand subcommands[] = {
    {"pagerank", "rank the vertices of a directed graph (networkx PageRank)", gasworks::commands::pagerank},
    {"als", "factorize a ratings matrix by alternating least squares", gasworks::commands::als},
    {"sgd", "factorize a ratings matrix by stochastic gradient descent", gasworks::commands::sgd},
    {"lda", "fit a topic model to a corpus (latent Dirichlet allocation)", gasworks::commands::lda},
    {"lda-infer", "topic mixtures of new documents under a fitted topic model", run_lda_infer},
    {"bp", "marginals or MAP labels of a graphical model by belief propagation", gasworks::commands::bp},
    {"denoise", "denoise a grey-scale image with a grid model and belief propagation", gasworks::commands::denoise},
    {"lasso", "fit a sparse linear regression (the Lasso) by parallel coordinate descent", gasworks::commands::lasso},
    {"partition", "compare vertex-cut partitioners on a graph before a multi-rank run", run_partition},
};

void print_usage(std::ostream& out) {
  out << "Usage: gasworks <command> [options]\n"
         "       mpiexec -n N gasworks <command> [options]\n\n"
         "A graph-parallel engine: vertex programs (gather, apply, scatter) run in parallel\n"
         "on the threads of one process, or on several processes under mpiexec.\n\n"
         "Commands:\n";
  for (const auto& c : subcommands) out << "  " << c.name << std::string(12 - c.name.size(), ' ') << c.summary << '\n';
  out << "\nRun 'gasworks <command> --help' for the options of a command.\n";
}

// What the user sees of an error, and the exit code.
int report_usage_error(std::string_view command, const char* what, bool speaks) {
  if (speaks)
    std::cerr << "gasworks " << command << ": " << what << "\nTry 'gasworks " << command << " --help'.\n";
  return 2;
}
int report_error(std::string_view command, const char* what, bool speaks) {
  if (speaks) std::cerr << "gasworks " << command << ": error: " << what << '\n';
  return 1;
}

int run_command(const subcommand& c, const command_ranks& ranks, int argc, const char* const* argv) {
  const bool speaks = ranks->rank() == 0;
  try {
    return c.run(ranks, argc, argv);
  } catch (const gasworks::collective_error& e) {
    // Every rank holds the same error.
    return e.error_kind() == gasworks::collective_error::kind::usage ? report_usage_error(c.name, e.what(), speaks)
                                                                      : report_error(c.name, e.what(), speaks);
  } catch (const gasworks::usage_error& e) {
    if (ranks->size() == 1) return report_usage_error(c.name, e.what(), true);
    // Raised on this rank alone: end the job, or the others would wait forever.
    std::cerr << "gasworks " << c.name << ": error on rank " << ranks->rank() << ": " << e.what() << std::endl;
    ranks->abort_job(2);
    return 2;
  } catch (const std::exception& e) {
    const char* what = dynamic_cast<const std::bad_alloc*>(&e) ? "out of memory" : e.what();
    if (ranks->size() == 1) return report_error(c.name, what, true);
    std::cerr << "gasworks " << c.name << ": error on rank " << ranks->rank() << ": " << what << std::endl;
    ranks->abort_job(1);
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  gasworks::keep_freed_memory();
  gasworks::mpi_session mpi(argc, argv);
  const auto& ranks = mpi.world();
  const bool speaks = ranks->rank() == 0;
  if (argc < 2) {
    if (speaks) print_usage(std::cerr);
    return 2;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    if (speaks) print_usage(std::cout);
    return 0;
  }
  if (name == "--version") {
    if (speaks) std::cout << "gasworks " GASWORKS_VERSION "\n";
    return 0;
  }
  for (const auto& c : subcommands)
    if (c.name == name) return run_command(c, ranks, argc - 1, argv + 1);
  if (speaks) {
    std::cerr << "gasworks: unknown command '" << name << "'\n\n";
    print_usage(std::cerr);
  }
  return 2;
}
