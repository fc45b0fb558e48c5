#include "engine/checkpoint/state_file.hpp"

#include <array>
#include <fstream>
#include <string>
#include <system_error>

#include "engine/checkpoint/checkpoint_error.hpp"
#include "engine/checkpoint/checksum.hpp"
#include "engine/io/atomic_output_file.hpp"

namespace gasworks::checkpoint {

namespace {

constexpr std::array<char, 8> magic{'G', 'W', 'S', 'T', 'A', 'T', 'E', '\n'};
constexpr std::uint32_t format_version = 1;

// The header as it lies at the start of the file (little-endian hosts only,
// like every other binary file of gasworks).
struct header {
  std::array<char, 8> magic;
  std::uint32_t version;
  std::uint32_t rank;
  std::uint32_t ranks;
  std::uint32_t reserved;
  std::uint64_t step;
  std::uint64_t payload_bytes;
  std::uint64_t checksum;  // of the header with this field zero, then the payload
};
static_assert(sizeof(header) == 48);

std::uint64_t checksum_of(header h, std::span<const std::byte> payload) {
  h.checksum = 0;
  checksum_stream s;
  s.add(std::as_bytes(std::span<const header>(&h, 1)));
  s.add(payload);
  return s.value();
}

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& what) {
  throw checkpoint_error("checkpoint file '" + path.string() + "' " + what);
}

}  // namespace

void write_state_file(const std::filesystem::path& path, const state_owner& owner, std::span<const std::byte> state) {
  header h{magic, format_version, owner.rank, owner.ranks, 0, owner.step, state.size(), 0};
  h.checksum = checksum_of(h, state);
  try {
    io::atomic_output_file file(path);
    file.stream().write(reinterpret_cast<const char*>(&h), sizeof h);
    file.stream().write(reinterpret_cast<const char*>(state.data()), static_cast<std::streamsize>(state.size()));
    file.commit();
  } catch (const std::runtime_error& e) {
    throw checkpoint_error(std::string("cannot write checkpoint: ") + e.what());
  }
}

std::vector<std::byte> read_state_file(const std::filesystem::path& path, const state_owner& owner) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) refuse(path, "cannot be read: " + error.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) refuse(path, "cannot be opened");
  header h{};
  if (size < sizeof h || !in.read(reinterpret_cast<char*>(&h), sizeof h))
    refuse(path, "is truncated: " + std::to_string(size) + " bytes, shorter than its header");
  if (h.magic != magic) refuse(path, "is not a gasworks checkpoint file");
  if (h.version != format_version)
    refuse(path, "has format version " + std::to_string(h.version) + "; this gasworks reads version " +
                     std::to_string(format_version));
  if (size - sizeof h != h.payload_bytes)
    refuse(path, "is truncated or overlong: its header announces " + std::to_string(h.payload_bytes) + " bytes of state, it holds " +
                     std::to_string(size - sizeof h));
  std::vector<std::byte> payload(h.payload_bytes);
  if (!in.read(reinterpret_cast<char*>(payload.data()), static_cast<std::streamsize>(payload.size())))
    refuse(path, "could not be read to its end");
  if (checksum_of(h, payload) != h.checksum) refuse(path, "is damaged: its checksum does not match its content");
  if (h.rank != owner.rank || h.ranks != owner.ranks || h.step != owner.step)
    refuse(path, "belongs to rank " + std::to_string(h.rank) + " of " + std::to_string(h.ranks) + " at step " +
                     std::to_string(h.step) + ", not to rank " + std::to_string(owner.rank) + " of " +
                     std::to_string(owner.ranks) + " at step " + std::to_string(owner.step));
  return payload;
}

}  // namespace gasworks::checkpoint
