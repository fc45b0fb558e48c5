#include "engine/comm/collective_error.hpp"

#include <cstring>
#include <vector>

namespace gasworks::detail {

void agree_on_failure(communicator& comm, const std::exception_ptr& local_failure) {
  if (comm.size() == 1) {
    if (local_failure) std::rethrow_exception(local_failure);
    return;
  }
  // Each rank sends nothing when it succeeded, or its kind and message.
  std::vector<std::byte> mine;
  if (local_failure) {
    collective_error::kind k = collective_error::kind::other;
    std::string message;
    try {
      std::rethrow_exception(local_failure);
    } catch (const collective_error& e) {
      k = e.error_kind();
      message = e.what();
    } catch (const usage_error& e) {
      k = collective_error::kind::usage;
      message = e.what();
    } catch (const input_error& e) {
      k = collective_error::kind::input;
      message = e.what();
    } catch (const std::bad_alloc&) {
      message = "out of memory";
    } catch (const std::exception& e) {
      message = e.what();
    } catch (...) {
      message = "unknown error";
    }
    mine.resize(1 + message.size());
    mine[0] = static_cast<std::byte>(k);
    std::memcpy(mine.data() + 1, message.data(), message.size());
  }
  const auto all = comm.all_gather(mine);
  for (std::size_t r = 0; r < all.size(); ++r) {
    if (all[r].empty()) continue;
    const auto k = static_cast<collective_error::kind>(all[r][0]);
    std::string message(reinterpret_cast<const char*>(all[r].data() + 1), all[r].size() - 1);
    // A message that already names its rank keeps its words.
    if (message.rfind("rank ", 0) != 0) message = "rank " + std::to_string(r) + ": " + message;
    throw collective_error(k, static_cast<int>(r), message);
  }
}

}  // namespace gasworks::detail
