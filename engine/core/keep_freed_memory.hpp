#pragma once
// Keeps freed memory in the process for reuse instead of returning it to the
// system. Ingress allocates and frees several edge-sized buffers in turn, and
// a fresh page costs a fault on first touch (about 10 us per 4 KiB on some
// virtual machines), which made those faults the largest cost of ingress.
// A process-wide setting, so programs (not the library) choose it.
#include <malloc.h>

namespace gasworks {

inline void keep_freed_memory() noexcept {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);  // large blocks from the heap, not from mmap
  mallopt(M_TRIM_THRESHOLD, -1);       // never give the heap's top back
}

}  // namespace gasworks
