// The simulated server process: the real broker and sessions over the simulated network.
// It can crash (every actor dies at once, every connection resets, nothing in memory
// survives) and restart as a new process with the same configuration.
#pragma once

#include "actors/entropy.hpp"
#include "actors/handler_pool.hpp"
#include "actors/telemetry.hpp"
#include "sim/network.hpp"
#include "sim/scenario.hpp"

#include <mcp/event_log.hpp>
#include <mcp/http.hpp>
#include <mcp/limits.hpp>
#include <mcp/server.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <memory>
#include <vector>

namespace mcp::sim {

class server_node {
public:
  server_node(caf::actor_system& system, network& net, const scenario& s, std::uint64_t seed);
  ~server_node();

  void start();
  void crash();
  bool up() const { return static_cast<bool>(broker_); }
  const caf::actor& broker() const { return broker_; }
  int incarnation() const { return incarnation_; }

private:
  caf::actor_system& system_;
  network& net_;
  std::uint64_t seed_;
  limits bounds_;
  std::shared_ptr<const http_options> http_;
  std::shared_ptr<const server> catalog_;
  actors::handler_pool pool_{0}; // handlers run inline: deterministic
  // Counted but not logged: the simulator's trace is the log, and wall-clock timestamps
  // would differ between replays.
  actors::telemetry observer_{log_options{log_severity::off, {}}};
  // One process's memory, per start: the dead ones' stay allocated until the run ends,
  // because a killed broker may still be draining its mailbox.
  std::vector<std::unique_ptr<actors::entropy>> randoms_;
  std::vector<std::unique_ptr<event_log_factory>> event_logs_;
  caf::actor broker_;
  int incarnation_ = 0;
};

} // namespace mcp::sim
