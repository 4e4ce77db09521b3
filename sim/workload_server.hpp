// The server the simulator runs: a catalog made for workloads, whose answers can be
// checked. `echo` returns its text; `progress` reports `steps` notifications (1..steps)
// and answers "done <steps>"; every publisher URI of the scenario is a resource that
// clients subscribe to.
#pragma once

#include "sim/scenario.hpp"

#include <mcp/server.hpp>

namespace mcp::sim {

server make_workload_server(const scenario& s);

} // namespace mcp::sim
