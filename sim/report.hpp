// What one run tells a person: a JSON report (counters, faults, violations, and a
// timeline per client) and a self-contained HTML page that draws that timeline in SVG.
//
//   auto r = mcp::sim::run(scenario, {seed});
//   write_file("run.json", mcp::sim::report_json(r));
//   write_file("run.html", mcp::sim::report_html(r, scenario));
#pragma once

#include "sim/runner.hpp"
#include "sim/scenario.hpp"

#include <string>

namespace mcp::sim {

std::string report_json(const run_result& r);
std::string report_html(const run_result& r, const scenario& s);
std::string hex(std::uint64_t value);

} // namespace mcp::sim
