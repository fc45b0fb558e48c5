#include "engine/checkpoint/manifest.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <sstream>
#include <system_error>

#include "engine/checkpoint/checkpoint_error.hpp"

namespace gasworks::checkpoint {

namespace {

constexpr int format_version = 1;

// Values and paths may hold any character but a line break; '%' escapes.
std::string escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\n') out += "%0A";
    else if (c == '\r') out += "%0D";
    else out += c;
  }
  return out;
}

std::optional<std::string> unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const std::string code = text.substr(i + 1, 2);
    if (code == "25") out += '%';
    else if (code == "0A") out += '\n';
    else if (code == "0D") out += '\r';
    else return std::nullopt;
    i += 2;
  }
  return out;
}

std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

template <class T>
std::optional<T> parse_number(const std::string& text, int base = 10) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string describe(const input_fingerprint& f) {
  return "'" + f.path + "' (" + std::to_string(f.size) + " bytes, checksum " + hex(f.checksum) + ")";
}

}  // namespace

std::optional<std::string> incompatibility(const run_identity& saved, const run_identity& now) {
  if (saved.command != now.command)
    return "it was made by 'gasworks " + saved.command + "', not 'gasworks " + now.command + "'";
  if (saved.ranks != now.ranks)
    return "it was made by " + std::to_string(saved.ranks) + " rank(s); this run has " + std::to_string(now.ranks) +
           " (run under mpiexec -n " + std::to_string(saved.ranks) + " to resume it)";
  if (saved.inputs.size() != now.inputs.size())
    return "it was made from " + std::to_string(saved.inputs.size()) + " input file(s), this run reads " +
           std::to_string(now.inputs.size());
  for (std::size_t i = 0; i < saved.inputs.size(); ++i) {
    const auto& a = saved.inputs[i];
    const auto& b = now.inputs[i];
    if (a.size != b.size || a.checksum != b.checksum)
      return "it was made from different input: " + describe(a) + " then, " + describe(b) + " now";
  }
  // "flag=value": the same flag in this run, if it has it.
  const auto counterpart = [&](const std::string& setting) -> std::string {
    const std::string flag = setting.substr(0, setting.find('=') + 1);
    for (const auto& s : now.settings)
      if (s.starts_with(flag)) return "this run has " + s;
    return "this run has no such flag";
  };
  for (const auto& s : saved.settings)
    if (std::find(now.settings.begin(), now.settings.end(), s) == now.settings.end())
      return "its flags differ: it was made with " + s + ", " + counterpart(s);
  for (const auto& s : now.settings)
    if (std::find(saved.settings.begin(), saved.settings.end(), s) == saved.settings.end())
      return "its flags differ: this run has " + s + ", the checkpoint was made without it";
  return std::nullopt;
}

std::string to_text(const manifest& m) {
  std::ostringstream out;
  out << "gasworks-checkpoint " << format_version << '\n';
  out << "command " << escape(m.run.command) << '\n';
  for (const auto& s : m.run.settings) out << "setting " << escape(s) << '\n';
  for (const auto& f : m.run.inputs) out << "input " << f.size << ' ' << hex(f.checksum) << ' ' << escape(f.path) << '\n';
  out << "ranks " << m.run.ranks << '\n';
  out << "threads " << m.run.threads << '\n';
  out << "step " << m.step << '\n';
  return out.str();
}

manifest parse_manifest(const std::string& text, const std::filesystem::path& file) {
  manifest m;
  std::istringstream in(text);
  std::string line;
  std::uint64_t number = 0;
  bool has_command = false, has_ranks = false, has_step = false;
  const auto fail = [&](const std::string& what) {
    throw checkpoint_error("checkpoint manifest " + file.string() +
                           (number > 0 ? ":" + std::to_string(number) : std::string()) + ": " + what);
  };
  while (std::getline(in, line)) {
    ++number;
    const auto space = line.find(' ');
    const std::string key = line.substr(0, space);
    const std::string value = space == std::string::npos ? std::string() : line.substr(space + 1);
    if (number == 1) {
      if (key != "gasworks-checkpoint") fail("expected 'gasworks-checkpoint <version>' on the first line");
      const auto version = parse_number<int>(value);
      if (!version) fail("expected a format version after 'gasworks-checkpoint'");
      if (*version != format_version)
        fail("format version " + value + "; this gasworks reads version " + std::to_string(format_version));
      continue;
    }
    const auto unescaped = unescape(value);
    if (!unescaped) fail("a '%' escape other than %25, %0A or %0D");
    if (key == "command") {
      m.run.command = *unescaped;
      has_command = true;
    } else if (key == "setting") {
      m.run.settings.push_back(*unescaped);
    } else if (key == "input") {
      // size checksum path (the path may hold spaces)
      const auto first = value.find(' ');
      const auto second = first == std::string::npos ? first : value.find(' ', first + 1);
      if (second == std::string::npos) fail("expected 'input <size> <checksum> <path>'");
      const auto size = parse_number<std::uint64_t>(value.substr(0, first));
      const auto sum = parse_number<std::uint64_t>(value.substr(first + 1, second - first - 1), 16);
      const auto path = unescape(value.substr(second + 1));
      if (!size || !sum || !path) fail("expected 'input <size> <checksum (hex)> <path>'");
      m.run.inputs.push_back({*path, *size, *sum});
    } else if (key == "ranks") {
      const auto ranks = parse_number<std::uint32_t>(value);
      if (!ranks || *ranks == 0) fail("expected a positive rank count after 'ranks'");
      m.run.ranks = *ranks;
      has_ranks = true;
    } else if (key == "threads") {
      const auto threads = parse_number<unsigned>(value);
      if (!threads) fail("expected a thread count after 'threads'");
      m.run.threads = *threads;
    } else if (key == "step") {
      const auto step = parse_number<std::uint64_t>(value);
      if (!step) fail("expected a step number after 'step'");
      m.step = *step;
      has_step = true;
    } else {
      fail("unknown entry '" + key + "'");
    }
  }
  number = 0;
  if (!has_command || !has_ranks || !has_step) fail("incomplete: it lacks its command, rank count or step");
  return m;
}

}  // namespace gasworks::checkpoint
