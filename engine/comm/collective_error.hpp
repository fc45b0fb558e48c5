#pragma once
// Errors that every rank raises together. A step that may fail on some ranks
// only (reading a rank's part of a file, say) runs through run_collectively:
// afterwards either every rank goes on or every rank throws, carrying the
// message of the lowest failing rank, so no rank is left waiting for the
// others in the next collective operation.
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

#include "engine/comm/communicator.hpp"
#include "engine/core/error.hpp"

namespace gasworks {

class collective_error : public std::runtime_error {
 public:
  enum class kind : std::uint8_t { usage, input, other };

  collective_error(kind k, int failing_rank, const std::string& message)
      : std::runtime_error(message), kind_(k), failing_rank_(failing_rank) {}

  kind error_kind() const noexcept { return kind_; }
  int failing_rank() const noexcept { return failing_rank_; }

 private:
  kind kind_;
  int failing_rank_;
};

namespace detail {
// Every rank learns whether some rank failed; throws if one did.
void agree_on_failure(communicator& comm, const std::exception_ptr& local_failure);
}  // namespace detail

// Runs step() on every rank. If it throws anywhere, every rank throws: with
// one rank the original exception, otherwise a collective_error with the
// message of the lowest failing rank (prefixed "rank R: ").
template <class Step>
auto run_collectively(communicator& comm, Step&& step) -> decltype(step()) {
  using result_type = decltype(step());
  std::exception_ptr failure;
  if constexpr (std::is_void_v<result_type>) {
    try {
      step();
    } catch (...) {
      failure = std::current_exception();
    }
    detail::agree_on_failure(comm, failure);
  } else {
    result_type result{};
    try {
      result = step();
    } catch (...) {
      failure = std::current_exception();
    }
    detail::agree_on_failure(comm, failure);
    return result;
  }
}

}  // namespace gasworks
