#include "engine/comm/communicator.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>

#include <mpi.h>

#include <boost/mpi/collectives/all_reduce.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/operations.hpp>

namespace gasworks {

struct communicator::mpi_handle {
  MPI_Comm comm;
};

namespace {

// MPI counts are ints: larger buffers travel in pieces of at most this size.
constexpr std::size_t max_piece_bytes = std::size_t{1} << 30;

void check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw std::runtime_error(std::string(what) + " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

int as_count(std::size_t bytes) { return static_cast<int>(bytes); }

}  // namespace

communicator::communicator() noexcept = default;
communicator::~communicator() = default;

std::shared_ptr<communicator> communicator::mpi_world() {
  auto c = std::make_shared<communicator>();
  c->mpi_ = std::make_unique<mpi_handle>(mpi_handle{MPI_COMM_WORLD});
  check(MPI_Comm_rank(MPI_COMM_WORLD, &c->rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &c->size_), "MPI_Comm_size");
  return c;
}

std::vector<std::vector<std::byte>> communicator::all_to_all(const std::vector<std::vector<std::byte>>& send) {
  std::vector<std::vector<std::byte>> received(send.size());
  all_to_all(send, received);
  received[rank_] = send[rank_];
  return received;
}

void communicator::all_to_all(const std::vector<std::vector<std::byte>>& send,
                              std::vector<std::vector<std::byte>>& received) {
  if (send.size() != static_cast<std::size_t>(size_)) throw std::logic_error("all_to_all: one buffer per rank expected");
  received.resize(send.size());
  if (size_ == 1) return;

  // Sizes first, so that every receive buffer can be allocated up front.
  std::vector<std::uint64_t> send_sizes(send.size()), receive_sizes(send.size());
  for (std::size_t p = 0; p < send.size(); ++p) send_sizes[p] = send[p].size();
  check(MPI_Alltoall(send_sizes.data(), 1, MPI_UINT64_T, receive_sizes.data(), 1, MPI_UINT64_T, mpi_->comm),
        "MPI_Alltoall");

  std::vector<MPI_Request> requests;
  for (int p = 0; p < size_; ++p) {
    if (p == rank_) continue;
    received[p].resize(receive_sizes[p]);
    for (std::size_t at = 0, piece = 0; at < receive_sizes[p]; at += max_piece_bytes, ++piece) {
      const std::size_t bytes = std::min(max_piece_bytes, receive_sizes[p] - at);
      requests.emplace_back();
      check(MPI_Irecv(received[p].data() + at, as_count(bytes), MPI_BYTE, p, static_cast<int>(piece), mpi_->comm,
                      &requests.back()),
            "MPI_Irecv");
    }
  }
  for (int p = 0; p < size_; ++p) {
    if (p == rank_) continue;
    for (std::size_t at = 0, piece = 0; at < send[p].size(); at += max_piece_bytes, ++piece) {
      const std::size_t bytes = std::min(max_piece_bytes, send[p].size() - at);
      requests.emplace_back();
      check(MPI_Isend(send[p].data() + at, as_count(bytes), MPI_BYTE, p, static_cast<int>(piece), mpi_->comm,
                      &requests.back()),
            "MPI_Isend");
    }
    bytes_sent_ += send[p].size();
  }
  check(MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE), "MPI_Waitall");
}

std::vector<std::vector<std::byte>> communicator::all_gather(std::span<const std::byte> mine) {
  std::vector<std::vector<std::byte>> all(static_cast<std::size_t>(size_));
  if (size_ == 1) {
    all[0].assign(mine.begin(), mine.end());
    return all;
  }
  const std::uint64_t my_size = mine.size();
  std::vector<std::uint64_t> sizes(all.size());
  check(MPI_Allgather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, mpi_->comm), "MPI_Allgather");
  std::vector<int> counts(all.size()), offsets(all.size());
  std::uint64_t total = 0;
  for (std::size_t r = 0; r < all.size(); ++r) {
    offsets[r] = static_cast<int>(total);
    counts[r] = static_cast<int>(sizes[r]);
    total += sizes[r];
  }
  if (total > max_piece_bytes) throw std::length_error("all_gather: more than 1 GiB in one call");
  std::vector<std::byte> joined(total);
  check(MPI_Allgatherv(mine.data(), as_count(mine.size()), MPI_BYTE, joined.data(), counts.data(), offsets.data(),
                       MPI_BYTE, mpi_->comm),
        "MPI_Allgatherv");
  bytes_sent_ += my_size * (all.size() - 1);
  for (std::size_t r = 0; r < all.size(); ++r)
    all[r].assign(joined.begin() + offsets[r], joined.begin() + offsets[r] + counts[r]);
  return all;
}

template <std::integral T>
void communicator::all_reduce_sum(std::span<T> values) {
  if (size_ == 1 || values.empty()) return;
  if (values.size_bytes() > max_piece_bytes) throw std::length_error("all_reduce_sum: more than 1 GiB in one call");
  const boost::mpi::communicator ranks(mpi_->comm, boost::mpi::comm_attach);
  const std::vector<T> mine(values.begin(), values.end());
  boost::mpi::all_reduce(ranks, mine.data(), static_cast<int>(mine.size()), values.data(), std::plus<T>());
  bytes_sent_ += values.size_bytes();  // what a reduction tree sends per rank, about
}

template void communicator::all_reduce_sum(std::span<std::int32_t>);
template void communicator::all_reduce_sum(std::span<std::uint32_t>);
template void communicator::all_reduce_sum(std::span<std::int64_t>);
template void communicator::all_reduce_sum(std::span<std::uint64_t>);

void communicator::barrier() {
  if (size_ > 1) check(MPI_Barrier(mpi_->comm), "MPI_Barrier");
}

void communicator::abort_job(int code) const noexcept {
  if (mpi_) MPI_Abort(mpi_->comm, code);
}

}  // namespace gasworks
