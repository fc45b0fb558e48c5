#pragma once
// Settings of belief-propagation runs in tests, engine and reference alike.
#include <cstdint>

#include "toolkits/bp/bp_reference.hpp"
#include "toolkits/bp/bp_settings.hpp"

namespace gasworks::testing {

inline bp::reference::options reference_options(double damping, double tolerance, std::uint64_t iterations,
                                                bool max_product = false) {
  bp::reference::options o;
  o.damping = damping;
  o.tolerance = tolerance;
  o.max_iterations = iterations;
  o.max_product = max_product;
  return o;
}

inline bp::bp_settings bp_settings_for(double damping, double tolerance, std::uint64_t iterations,
                                       bp::bp_schedule schedule = bp::bp_schedule::sync, bp::bp_task task = bp::bp_task::mar) {
  bp::bp_settings s;
  s.damping = damping;
  s.tolerance = tolerance;
  s.max_iterations = iterations;
  s.schedule = schedule;
  s.task = task;
  return s;
}

}  // namespace gasworks::testing
