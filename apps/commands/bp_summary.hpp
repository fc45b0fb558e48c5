#pragma once
// The summary lines of a belief-propagation run, shared by the commands that
// run one (bp, denoise): task, schedule, convergence, work and speed.
#include <cstdio>
#include <string>

#include "toolkits/bp/belief_propagation.hpp"
#include "toolkits/bp/bp_settings.hpp"

namespace gasworks::commands {

inline void print_bp_run(const char* command, const bp::bp_settings& s, const bp::bp_result& result) {
  const bool asynchronous = s.schedule != bp::bp_schedule::sync;
  const double seconds = result.run.seconds;
  std::printf("%s: %s, %s schedule%s: %s after %llu %s, residual %.3g (tol %.3g), %.3f s\n", command,
              s.task == bp::bp_task::map ? "max-product" : "sum-product", std::string(to_string(s.schedule)).c_str(),
              s.damping > 0 ? (", damping " + std::to_string(s.damping)).c_str() : "",
              result.converged ? "converged" : (result.run.reason == termination::timeout ? "stopped at --timeout" : "NOT converged"),
              static_cast<unsigned long long>(asynchronous ? result.run.updates : result.iterations),
              asynchronous ? "vertex updates" : "iterations", result.residual, s.tolerance, seconds);
  std::printf("messages computed: %llu (%.3g per second)\n", static_cast<unsigned long long>(result.message_updates),
              seconds > 0 ? static_cast<double>(result.message_updates) / seconds : 0.0);
}

}  // namespace gasworks::commands
