// What a transport needs to build a client: the client session actor over its channel.
#pragma once

#include "actors/handler_pool.hpp"

#include <mcp/client.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

namespace mcp {

struct client::internals {
  // Spawns the client session in `system`, writing to `channel`.
  internals(caf::actor_system& system, caf::actor channel, client_options options);
  ~internals();

  client_options options;
  actors::handler_pool pool;
  caf::actor session;
  bool closed = false;
};

} // namespace mcp
