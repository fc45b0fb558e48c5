#pragma once
// How values travel between ranks. A trivially copyable type travels as its
// bytes (memcpy, no per-value encoding). A type that owns memory, such as a
// vector of latent factors whose length is chosen at run time, states its
// own encoding with two members:
//     void write_to(wire_writer&) const;
//     void read_from(wire_reader&);     // overwrites *this, reusing its memory
// encode() and decode() pick the right way for any type that has one.
#include <concepts>
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
    T value;
    get_all(std::span<T>(&value, 1));
    return value;
  }
  template <wire_copyable T>
  void get_all(std::span<T> into) {
    if (in_.size() - at_ < into.size_bytes()) throw std::logic_error("wire_reader: read past the end of a message");
    if (!into.empty()) std::memcpy(into.data(), in_.data() + at_, into.size_bytes());
    at_ += into.size_bytes();
  }
  bool done() const noexcept { return at_ == in_.size(); }
  std::size_t remaining() const noexcept { return in_.size() - at_; }

 private:
  std::span<const std::byte> in_;
  std::size_t at_ = 0;
};

template <class T>
concept wire_serializable = !wire_copyable<T> && std::default_initializable<T> &&
                            requires(const T& value, T& target, wire_writer& w, wire_reader& r) {
                              value.write_to(w);
                              target.read_from(r);
                            };

// Every type that can cross ranks.
template <class T>
concept wire_encodable = wire_copyable<T> || wire_serializable<T>;

template <wire_encodable T>
void encode(wire_writer& w, const T& value) {
  if constexpr (wire_copyable<T>) w.put(value);
  else value.write_to(w);
}

template <wire_encodable T>
void decode(wire_reader& r, T& into) {
  if constexpr (wire_copyable<T>) into = r.get<T>();
  else into.read_from(r);
}

}  // namespace gasworks
