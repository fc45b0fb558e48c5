#pragma once
// Frees a container's memory now: assigning {} or clear() would keep its
// capacity, and ingress drops edge-sized buffers as soon as it is done with them.
namespace gasworks {

template <class Container>
void release(Container& c) {
  Container().swap(c);
}

}  // namespace gasworks
