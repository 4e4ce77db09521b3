// The simulated server processes: the real broker and sessions over the simulated
// network, one per instance. Several instances share sessions through one in-memory
// cluster store, as instances share Redis. An instance can crash (its actors die at once,
// its connections reset, nothing in its memory survives; with a cluster, its lease
// lapses at once and the store keeps its sessions) and restart as a new process.
#pragma once

#include "actors/entropy.hpp"
#include "actors/handler_pool.hpp"
#include "actors/telemetry.hpp"
#include "sim/network.hpp"
#include "sim/scenario.hpp"

#include <mcp/cluster.hpp>
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

  void start(int instance);
  void crash(int instance);
  // SIGTERM: what runs finishes; its sessions end, or in a cluster are handed over; then
  // the process is gone. Requests still reach it until `unroute` (a balancer's kept-alive
  // connections to it carry new requests for a while).
  void stop(int instance);
  void unroute(int instance);
  int instances() const { return static_cast<int>(slots_.size()); }
  bool up(int instance) const { return static_cast<bool>(slots_[instance].broker); }
  const caf::actor& broker(int instance) const { return slots_[instance].broker; }
  // A running instance's broker (the first one up); null when all are down.
  caf::actor any_broker() const;

private:
  struct slot {
    caf::actor broker;
    int incarnation = 0;
    bool stopping = false;
  };

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
  std::unique_ptr<memory_cluster_hub> hub_; // several instances only
  // One process's memory, per start: the dead ones' stay allocated until the run ends,
  // because a killed broker may still be draining its mailbox.
  std::vector<std::unique_ptr<actors::entropy>> randoms_;
  std::vector<std::unique_ptr<event_log_factory>> event_logs_;
  std::vector<slot> slots_;
};

} // namespace mcp::sim
