#pragma once
// MPI for the lifetime of a program. MPI is started only when the process
// was launched by mpiexec (its environment says so); a program started
// directly runs as a single rank without initialising MPI, so one binary
// serves both.
#include <memory>

#include "engine/comm/communicator.hpp"

namespace gasworks {

class mpi_session {
 public:
  mpi_session(int& argc, char**& argv);
  ~mpi_session();
  mpi_session(const mpi_session&) = delete;
  mpi_session& operator=(const mpi_session&) = delete;

  // All ranks of the job (one rank when not under mpiexec).
  const std::shared_ptr<communicator>& world() const noexcept { return world_; }

  // True when the environment names an MPI launcher (Open MPI, MPICH, PMIx).
  static bool launched_by_mpiexec() noexcept;

 private:
  struct environment;
  std::unique_ptr<environment> environment_;
  std::shared_ptr<communicator> world_;
};

}  // namespace gasworks
