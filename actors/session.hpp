// One actor per MCP session (server side). It decodes what its channel delivers, keeps
// the session's state machine (uninitialized -> operating -> closing -> closed), answers the
// session-level methods itself, spawns one inbound_request per catalog request, and
// routes every outbound message to its channel.
#pragma once

#include "actors/handler_pool.hpp"
#include "actors/messages.hpp"
#include "actors/peer_link.hpp"

#include <mcp/limits.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/stateful_actor.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mcp::actors {

struct session_config {
  std::string id;
  caf::actor channel;
  catalog_ptr catalog;
  const limits* bounds; // owned by the runtime, outlives the session
  handler_pool* pool;   // likewise
};

// Replies of one JSON-RPC batch, sent together once the last one is in.
struct batch_collector {
  std::size_t waiting = 0; // requests still running
  bool open = true;        // items of the batch are still being read
  std::vector<std::string> replies;
};

struct session_state {
  std::string id;
  catalog_ptr catalog;
  const limits* bounds = nullptr;
  handler_pool* pool = nullptr;
  std::optional<peer_link> link;

  std::string version; // negotiated by initialize
  std::string client_capabilities = "{}";
  bool client_ready = false; // notifications/initialized received
  log_level min_log_level = log_level::debug;
  std::set<std::string> subscriptions;
  bool draining = false; // in `closing`: answer what is pending, then close

  std::map<std::string, caf::actor> inbound; // request key -> inbound_request
  std::map<std::string, std::uint64_t> batch_of;
  std::map<std::uint64_t, batch_collector> batches;
  std::uint64_t next_batch = 1;

  static inline const char* name = "mcp.session";
};

using session_actor = caf::stateful_actor<session_state>;

caf::behavior session(session_actor* self, session_config config);

} // namespace mcp::actors
