#pragma once
// The ranks of a run and the collective operations the engine needs from
// them: a personalised all-to-all exchange of byte buffers, an all-gather and
// a barrier. With one rank (a process not launched by mpiexec) every
// operation is a local copy and MPI is never touched.
//
// All operations are collective: every rank must call them in the same order.
// They are called from one thread per rank, between parallel phases.
#include <cstddef>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "engine/comm/wire.hpp"

namespace gasworks {

class communicator {
 public:
  // A single-process communicator: rank 0 of 1.
  communicator() noexcept;
  ~communicator();
  communicator(const communicator&) = delete;
  communicator& operator=(const communicator&) = delete;

  // The world of an MPI job; MPI must be initialised (see mpi_session).
  static std::shared_ptr<communicator> mpi_world();

  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }

  // send[p] goes to rank p (send has size() entries); element p of the
  // result is what rank p sent to this rank. Buffers of any size are sent
  // (in pieces below MPI's 2 GiB count limit).
  std::vector<std::vector<std::byte>> all_to_all(const std::vector<std::vector<std::byte>>& send);

  // The same into buffers the caller keeps from one call to the next, so
  // that their memory is reused: fresh pages cost a fault each on first
  // touch, which dominates exchanges that run every superstep. Element
  // rank() of `received` is left alone (nothing is sent to oneself).
  void all_to_all(const std::vector<std::vector<std::byte>>& send, std::vector<std::vector<std::byte>>& received);

  // Every rank's `mine`, in rank order.
  std::vector<std::vector<std::byte>> all_gather(std::span<const std::byte> mine);

  void barrier();

  // Ends every rank of the job at once with `code`, for a failure the other
  // ranks cannot know about, so that none of them waits forever. With one
  // rank it returns, and the caller ends as it sees fit.
  void abort_job(int code) const noexcept;

  // Bytes this rank has sent to other ranks so far.
  std::uint64_t bytes_sent() const noexcept { return bytes_sent_; }

  // The sum over ranks of a trivially copyable value with +=, added in rank
  // order on every rank, so every rank gets the same bits whatever the
  // network's reduction order would have been.
  template <wire_copyable T>
  T all_reduce_sum(const T& local) {
    if (size_ == 1) return local;
    std::vector<std::byte> mine;
    wire_writer(mine).put(local);
    const auto all = all_gather(mine);
    T total = wire_reader(all[0]).get<T>();
    for (std::size_t r = 1; r < all.size(); ++r) total += wire_reader(all[r]).get<T>();
    return total;
  }

  template <class T>
  T all_reduce_max(const T& local) {
    if (size_ == 1) return local;
    std::vector<std::byte> mine;
    wire_writer(mine).put(local);
    T best = local;
    for (const auto& bytes : all_gather(mine)) {
      const T value = wire_reader(bytes).get<T>();
      if (best < value) best = value;
    }
    return best;
  }

  bool any(bool local) { return all_reduce_sum<std::uint32_t>(local ? 1u : 0u) > 0; }

  // Element-wise sums over ranks, in place, of integers whose count every
  // rank agrees on but that is known only at run time (per-topic token
  // counts, say). Integer sums are exact in any order, so Boost.MPI's
  // all_reduce (MPI_SUM, tree or ring as Open MPI chooses) serves: on 2 ranks
  // it takes 0.3 to 0.65 of the time of gathering every rank's vector and
  // adding them in rank order, for 20 to 10^6 counts (gasworks-bench-collectives).
  template <std::integral T>
  void all_reduce_sum(std::span<T> values);

  // Element-wise sums over ranks, in place, of floating-point values: added
  // in rank order on every rank, as the scalar sum above, so that every rank
  // gets the same bits.
  template <std::floating_point T>
  void all_reduce_sum(std::span<T> values) {
    if (size_ == 1) return;
    const auto all = all_gather(std::as_bytes(std::span<const T>(values.data(), values.size())));
    for (std::size_t i = 0; i < values.size(); ++i) {
      T total{};
      for (const auto& bytes : all) {
        T term;
        std::memcpy(&term, bytes.data() + i * sizeof(T), sizeof(T));
        total += term;
      }
      values[i] = total;
    }
  }

 private:
  struct mpi_handle;
  std::unique_ptr<mpi_handle> mpi_;
  int rank_ = 0;
  int size_ = 1;
  std::uint64_t bytes_sent_ = 0;
};

}  // namespace gasworks
