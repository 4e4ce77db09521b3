// What transports see of a server_runtime: its actor system, broker and limits.
#pragma once

#include "actors/entropy.hpp"
#include "actors/handler_pool.hpp"
#include "actors/telemetry.hpp"

#include <mcp/runtime.hpp>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <mutex>

namespace mcp {

struct server_runtime::internals {
  internals(server definition, runtime_options options);

  limits bounds;
  server current; // the catalog as last updated; guarded by `update_mutex`
  std::mutex update_mutex;
  std::unique_ptr<actors::entropy> random;
  event_log_factory event_logs;
  actors::telemetry observer;
  actors::handler_pool pool;
  caf::actor_system_config config;
  caf::actor_system system;
  caf::actor broker;
  bool stopped = false;
};

} // namespace mcp
