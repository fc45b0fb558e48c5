#pragma once
// How values travel between ranks: as their bytes. Types that cross ranks
// (vertex data, gather and message types, published values, reduction
// results) must be trivially copyable, so a value is copied with memcpy and
// batches need no per-value encoding.
#include <cstddef>
#include <cstring>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace gasworks {

template <class T>
concept wire_copyable = std::is_trivially_copyable_v<T>;

// Appends values to a byte buffer.
class wire_writer {
 public:
  explicit wire_writer(std::vector<std::byte>& out) noexcept : out_(&out) {}

  template <wire_copyable T>
  void put(const T& value) {
    const std::size_t at = out_->size();
    out_->resize(at + sizeof(T));
    std::memcpy(out_->data() + at, &value, sizeof(T));
  }
  template <wire_copyable T>
  void put_all(std::span<const T> values) {
    const std::size_t at = out_->size();
    out_->resize(at + values.size_bytes());
    if (!values.empty()) std::memcpy(out_->data() + at, values.data(), values.size_bytes());
  }

 private:
  std::vector<std::byte>* out_;
};

// Reads values back in the order they were written.
class wire_reader {
 public:
  explicit wire_reader(std::span<const std::byte> in) noexcept : in_(in) {}

  template <wire_copyable T>
  T get() {
    if (in_.size() - at_ < sizeof(T)) throw std::logic_error("wire_reader: read past the end of a message");
    T value;
    std::memcpy(&value, in_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }
  bool done() const noexcept { return at_ == in_.size(); }
  std::size_t remaining() const noexcept { return in_.size() - at_; }

 private:
  std::span<const std::byte> in_;
  std::size_t at_ = 0;
};

}  // namespace gasworks
