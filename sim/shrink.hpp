// Shrinks a failing run to a small fault schedule (delta debugging, Zeller's ddmin): the
// call faults are removed in ever smaller chunks as long as the run still fails with the
// same seed. The timed faults of the scenario are anchors and stay as they are.
//
//   auto small = mcp::sim::shrink(scenario, failing_options, result.call_faults());
//   // small.options.replay holds a 1-minimal list; run(scenario, small.options) fails
#pragma once

#include "sim/runner.hpp"
#include "sim/scenario.hpp"

#include <functional>

namespace mcp::sim {

struct shrink_result {
  run_options options; // the failing options with the smallest call-fault list found
  run_result failing;  // the run of those options
  int runs = 0;        // how many runs the search took
};

shrink_result shrink(const scenario& s, run_options failing, std::vector<fault> call_faults,
                     int runs_max = 400,
                     const std::function<void(const std::string&)>& progress = {});

} // namespace mcp::sim
