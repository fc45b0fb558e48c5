#pragma once
// Storage for the big per-vertex and per-edge arrays.
//
// Arrays of 2 MiB or more are mapped on their own, aligned to 2 MiB and
// marked for transparent huge pages: a random read into a multi-gigabyte
// array otherwise pays a TLB miss as well as a cache miss, and a gather
// reads one neighbour per edge at random. Smaller arrays use the ordinary
// heap.
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
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
    if (n > static_cast<std::size_t>(-1) / sizeof(T) - huge_page) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge_page) return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    // Mapped directly, not through malloc: freeing unmaps at once, whereas
    // the heap may keep freed arrays resident. One extra huge page of
    // address space is mapped and trimmed away to align the start.
    const std::size_t rounded = mapped_bytes(bytes);
    void* mapped = ::mmap(nullptr, rounded + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(mapped);
    const std::uintptr_t aligned = (start + huge_page - 1) / huge_page * huge_page;
    if (aligned > start) ::munmap(mapped, aligned - start);
    if (const std::size_t tail = start + huge_page - aligned; tail > 0) ::munmap(reinterpret_cast<void*>(aligned + rounded), tail);
    ::madvise(reinterpret_cast<void*>(aligned), rounded, MADV_HUGEPAGE);  // a hint: without huge pages the array still works
    return reinterpret_cast<T*>(aligned);
  }

  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge_page) ::operator delete(p, std::align_val_t{alignof(T)});
    else ::munmap(p, mapped_bytes(bytes));
  }

  template <class U>
  bool operator==(const huge_page_allocator<U>&) const noexcept {
    return true;
  }

 private:
  static std::size_t mapped_bytes(std::size_t bytes) noexcept { return (bytes + huge_page - 1) / huge_page * huge_page; }
};

template <class T>
using large_vector = std::vector<T, huge_page_allocator<T>>;

}  // namespace gasworks
