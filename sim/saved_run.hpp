// A run saved so that it replays exactly anywhere: the scenario itself (embedded), the
// seed, the injected bug if any, the timed faults and every call fault, and the trace
// hash the replay must reproduce. `mcp-sim sweep --save-dir` writes them for failures;
// `mcp-sim replay` and `mcp-sim shrink` read them.
#pragma once

#include "sim/runner.hpp"
#include "sim/scenario.hpp"

#include <string>
#include <variant>

namespace mcp::sim {

struct saved_run {
  std::string scenario_text;
  scenario parsed;
  run_options options; // seed, bug, and both fault lists to replay
  std::uint64_t trace_hash = 0;
};

std::string save_run(const std::string& scenario_text, const run_options& options,
                     const run_result& result);
std::variant<saved_run, std::string> load_run(const std::string& text);

} // namespace mcp::sim
