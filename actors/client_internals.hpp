// What a transport needs to build a client: the client session actor over its channel.
#pragma once

#include "actors/handler_pool.hpp"

#include <mcp/client.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <map>
#include <memory>
#include <mutex>

namespace mcp {

struct client::internals {
  // What a transport keeps alive for as long as the client (its own actor system, say).
  struct resources {
    virtual ~resources() = default;
  };

  // Spawns the client session in `system`, writing to `channel`, and tells the channel.
  internals(caf::actor_system& system, caf::actor channel, client_options options,
            std::unique_ptr<resources> owned = {});
  ~internals();

  std::unique_ptr<resources> owned; // destroyed last
  client_options options;
  actors::handler_pool pool;
  caf::actor session;

  // Calls that asked for progress: token -> handler. Shared with the session's
  // notification sink, which runs on the session's thread.
  struct progress_routes {
    std::mutex mutex;
    std::map<std::string, progress_handler> handlers;
    std::uint64_t next_token = 1;
  };
  std::shared_ptr<progress_routes> progress = std::make_shared<progress_routes>();
  bool closed = false;
};

} // namespace mcp
