// gasworks: one program, a subcommand per toolkit.
// Exit codes: 0 success, 1 bad input or failed run, 2 usage error.
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <string_view>

#include "apps/commands/commands.hpp"
#include "engine/error.hpp"

namespace {

struct subcommand {
  std::string_view name;
  std::string_view summary;
  int (*run)(int, const char* const*);
};

constexpr subcommand subcommands[] = {
    {"pagerank", "rank the vertices of a directed graph (networkx PageRank)", gasworks::commands::pagerank},
};

void print_usage(std::ostream& out) {
  out << "Usage: gasworks <command> [options]\n\n"
         "A graph-parallel engine: vertex programs (gather, apply, scatter) run in parallel.\n\n"
         "Commands:\n";
  for (const auto& c : subcommands) out << "  " << c.name << std::string(12 - c.name.size(), ' ') << c.summary << '\n';
  out << "\nRun 'gasworks <command> --help' for the options of a command.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "gasworks " GASWORKS_VERSION "\n";
    return 0;
  }
  for (const auto& c : subcommands) {
    if (c.name != name) continue;
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const gasworks::usage_error& e) {
      std::cerr << "gasworks " << name << ": " << e.what() << "\nTry 'gasworks " << name << " --help'.\n";
      return 2;
    } catch (const std::bad_alloc&) {
      std::cerr << "gasworks " << name << ": error: out of memory\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "gasworks " << name << ": error: " << e.what() << '\n';
      return 1;
    }
  }
  std::cerr << "gasworks: unknown command '" << name << "'\n\n";
  print_usage(std::cerr);
  return 2;
}
