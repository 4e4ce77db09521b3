// Runs one scenario with one seed on CAF's deterministic scheduler: the real broker,
// sessions, client sessions and HTTP channels over the simulated network, in virtual
// time. Checks the invariants on the way and at the end, and returns what a report needs.
//
//   auto result = mcp::sim::run(scenario, {42});
//   if (!result.ok()) for (auto& v : result.violations) std::cerr << v << "\n";
//   // replay: run(scenario, {42, result.call_faults()}) has the same trace_hash
#pragma once

#include "sim/network.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mcp::sim {

struct run_options {
  std::uint64_t seed = 1;
  // Call faults to apply instead of drawing them from the scenario's rates.
  std::optional<std::vector<fault>> replay;
  // The timed faults (anchors) to apply instead of the scenario's schedule.
  std::optional<std::vector<fault>> schedule;
  std::string injected_bug; // test builds: a named bug of actors/buggify.hpp
  bool keep_trace = true;
};

struct timeline_event {
  std::int64_t at_ms = 0;
  std::string what; // call, failed, resumed, replaced, crashed, restarted, recovered
  std::string detail;
  std::int64_t length_ms = 0; // calls: how long they took
};

struct client_report {
  std::string label; // "c3"
  int calls_ok = 0;
  int calls_failed = 0;
  int calls_lost = 0; // cut before they could be resumed: they ended with an error, as they must
  int initialize_retries = 0;
  int progress_seen = 0;
  int progress_expected = 0;
  int notifications = 0;
  int sessions_replaced = 0;
  int restarts = 0;
  std::int64_t recovery_ms = -1; // after the faults ended, until a call succeeded
  std::vector<timeline_event> timeline;
};

struct run_result {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint64_t trace_hash = 0;
  std::int64_t virtual_ms = 0;
  std::int64_t faults_end_ms = 0;
  double wall_ms = 0;
  network_counters counters;
  std::vector<fault> faults; // anchors, then the call faults as they happened
  std::vector<client_report> clients;
  std::vector<std::string> violations;
  std::vector<std::string> trace;

  bool ok() const { return violations.empty(); }
  std::vector<fault> call_faults() const;
  std::vector<fault> timed_faults() const;
};

run_result run(const scenario& s, const run_options& options);

} // namespace mcp::sim
