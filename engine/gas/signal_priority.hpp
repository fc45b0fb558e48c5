#pragma once
// Priorities that signals may carry. The asynchronous engine's priority
// scheduler runs the vertex with the largest combined priority first; other
// schedulers and the synchronous engine accept priorities and ignore them.
//
// Several signals reaching a vertex before it runs combine their messages
// with += and their priorities by the program's rule: the largest (default)
// or the sum, chosen with
//     static constexpr gasworks::priority_rule priority_combine = gasworks::priority_rule::sum;
#include <algorithm>
#include <type_traits>

#include "engine/core/types.hpp"

namespace gasworks {

// A signal's priority: ctx.signal(v, priority{r}) or ctx.signal(v, message, priority{r}).
struct priority {
  double value = 0;
};

enum class priority_rule { max, sum };

template <class P>
constexpr priority_rule priority_rule_of() noexcept {
  if constexpr (requires { P::priority_combine; }) return P::priority_combine;
  else return priority_rule::max;
}

// What a vertex has been sent since it last ran: the combined message and
// the combined priority. Trivially copyable when the message is, so it
// crosses ranks as bytes.
template <class Message, priority_rule Rule>
struct pending_signal {
  [[no_unique_address]] Message message{};
  double priority = 0;

  pending_signal& operator+=(const pending_signal& o) {
    if constexpr (!std::is_same_v<Message, empty>) message += o.message;
    priority = Rule == priority_rule::max ? std::max(priority, o.priority) : priority + o.priority;
    return *this;
  }
};

}  // namespace gasworks
