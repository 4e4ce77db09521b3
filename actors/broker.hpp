// The broker owns the session directory and the admission limit and routes every
// inbound text to its session, creating sessions on a channel's first contact. It also
// fans catalog changes and resource updates out to the sessions.
#pragma once

#include "actors/entropy.hpp"
#include "actors/handler_pool.hpp"
#include "actors/messages.hpp"

#include <mcp/limits.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <map>
#include <string>
#include <vector>

namespace mcp::actors {

struct broker_config {
  catalog_ptr catalog;
  const limits* bounds; // the runtime owns these three; they outlive the broker
  handler_pool* pool;
  entropy* random;
};

struct broker_state {
  broker_config config;
  std::map<caf::actor, caf::actor> session_of_channel;
  std::map<caf::actor_addr, caf::actor> channel_of_session;
  std::vector<caf::response_promise> stop_waiters;
  bool stopping = false;
  std::uint64_t rejected_sessions = 0;

  static inline const char* name = "mcp.broker";
};

using broker_actor = caf::stateful_actor<broker_state>;

// Messages: (inbound_atom, channel, text), (ended_atom | closed_atom, channel), (catalog_atom,
// catalog_ptr, int changed_mask), (updated_atom, uri), (count_atom) -> size_t,
// (stop_atom) -> bool once every session has ended.
caf::behavior broker(broker_actor* self, broker_config config);

} // namespace mcp::actors
