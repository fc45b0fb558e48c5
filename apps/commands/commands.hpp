#pragma once
// The subcommands of the gasworks program. Each parses its own flags and
// returns the process exit code; errors propagate as exceptions to main.

namespace gasworks::commands {

int pagerank(int argc, const char* const* argv);

}  // namespace gasworks::commands
