// The client side of one MCP connection: the same shape as the server's session. Calls
// become outgoing_request actors; the server's requests (ping, sampling, elicitation,
// roots) run as inbound_request actors on the application's handlers; notifications go
// to the application's sink.
#pragma once

#include "actors/handler_pool.hpp"
#include "actors/inbound_request.hpp"
#include "actors/messages.hpp"
#include "actors/outgoing_calls.hpp"

#include <mcp/limits.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/stateful_actor.hpp>

#include <map>
#include <optional>
#include <string>

namespace mcp::actors {

struct client_session_config {
  caf::actor channel;
  const limits* bounds; // owned by the client facade; outlives the actor
  handler_pool* pool;
  std::map<std::string, method_handler> handlers; // server -> client methods
  notification_sink on_notification;
};

struct client_session_state {
  client_session_config config;
  std::optional<channel_writer> out;
  outgoing_calls calls;
  std::map<std::string, caf::actor> inbound; // server's requests running here

  static inline const char* name = "mcp.client_session";
};

using client_session_actor = caf::stateful_actor<client_session_state>;

caf::behavior client_session(client_session_actor* self, client_session_config config);

} // namespace mcp::actors
