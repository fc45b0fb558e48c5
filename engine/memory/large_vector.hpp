#pragma once
// Storage for the big per-vertex and per-edge arrays.
//
// Arrays of 2 MiB or more are aligned to 2 MiB and marked for transparent
// huge pages: a random read into a multi-gigabyte array otherwise pays a TLB
// miss as well as a cache miss, and a gather reads one neighbour per edge
// at random. Smaller arrays use the ordinary heap.
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace gasworks {

template <class T>
class huge_page_allocator {
 public:
  using value_type = T;
  static constexpr std::size_t huge_page = std::size_t{2} << 20;

  huge_page_allocator() noexcept = default;
  template <class U>
  huge_page_allocator(const huge_page_allocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    if (bytes < huge_page) return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    const std::size_t rounded = (bytes + huge_page - 1) / huge_page * huge_page;
    void* p = std::aligned_alloc(huge_page, rounded);
    if (!p) throw std::bad_alloc();
    ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: without huge pages the array still works
    return static_cast<T*>(p);
  }

  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < huge_page) ::operator delete(p, std::align_val_t{alignof(T)});
    else std::free(p);
  }

  template <class U>
  bool operator==(const huge_page_allocator<U>&) const noexcept {
    return true;
  }
};

template <class T>
using large_vector = std::vector<T, huge_page_allocator<T>>;

}  // namespace gasworks
