// One actor per request we sent to the peer (a server calling sampling, a client calling
// tools/call). It waits for the reply its owner routes to it, or for its deadline, and
// fulfils the caller's reply_slot exactly once.
#pragma once

#include "actors/messages.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <string>

namespace mcp::actors {

struct outgoing_request_state {
  static inline const char* name = "mcp.outgoing_request";
};

caf::behavior outgoing_request(caf::stateful_actor<outgoing_request_state>* self, caf::actor owner,
                               std::string key, std::string method, reply_slot_ptr slot,
                               std::chrono::milliseconds deadline);

} // namespace mcp::actors
