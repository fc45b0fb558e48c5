#include "engine/comm/mpi_session.hpp"

#include <cstdlib>

#include <boost/mpi/environment.hpp>

namespace gasworks {

struct mpi_session::environment {
  // Engines call MPI from one thread per rank, between parallel phases.
  environment(int& argc, char**& argv) : mpi(argc, argv, boost::mpi::threading::funneled) {}
  boost::mpi::environment mpi;
};

bool mpi_session::launched_by_mpiexec() noexcept {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(variable)) return true;
  return false;
}

mpi_session::mpi_session(int& argc, char**& argv) {
  if (launched_by_mpiexec()) {
    environment_ = std::make_unique<environment>(argc, argv);
    world_ = communicator::mpi_world();
  } else {
    world_ = std::make_shared<communicator>();
  }
}

mpi_session::~mpi_session() {
  world_.reset();
  environment_.reset();
}

}  // namespace gasworks
