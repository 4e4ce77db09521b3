// The broker owns the session directory and the admission limit and routes every
// inbound text or HTTP request to its session, creating sessions on a channel's first
// contact, on an HTTP initialize, or on a legacy SSE GET. It also fans catalog changes
// and resource updates out to the sessions.
#pragma once

#include "actors/entropy.hpp"
#include "actors/handler_pool.hpp"
#include "actors/http_exchange.hpp"
#include "actors/messages.hpp"
#include "actors/telemetry.hpp"
#include "actors/session.hpp"

#include <mcp/cluster.hpp>
#include <mcp/http.hpp>
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
  const event_log_factory* event_logs;
  telemetry* observer;
  std::shared_ptr<cluster> shared; // set when instances share sessions (a cluster)
};

struct session_entry {
  std::string id;
  session_kind kind;
  caf::actor channel;    // channel sessions only
  std::string principal; // HTTP sessions: who may use them
};

struct broker_state {
  broker_config config;
  std::shared_ptr<const http_options> http; // set once an HTTP edge attaches
  caf::actor bridge;                        // to the other instances of a cluster
  std::map<caf::actor, caf::actor> session_of_channel;
  std::map<std::string, caf::actor> session_of_id;
  std::map<caf::actor_addr, session_entry> sessions;
  std::vector<caf::response_promise> stop_waiters;
  bool stopping = false;

  static inline const char* name = "mcp.broker";
};

using broker_actor = caf::stateful_actor<broker_state>;

// Admits a new session, or returns an empty handle (and counts the refusal) when the
// limit is reached or the broker is stopping. `why` then says which.
// `restored`: a session taken over from another instance, rebuilt from its record.
caf::actor admit(broker_actor* self, session_kind kind, caf::actor channel, std::string& why,
                 std::string principal = {}, const session_record* restored = nullptr);

// Messages: (inbound_atom, channel, text), (ended_atom | closed_atom, channel),
// (http_atom, exchange, http_request), (http_atom, options) when an HTTP edge attaches,
// (catalog_atom, catalog_ptr, int changed_mask), (updated_atom, uri[, from_instance]),
// (restore_atom, session_record, exchange, http_request) from the cluster bridge,
// (count_atom) -> size_t, (stop_atom) -> bool once every session has ended.
caf::behavior broker(broker_actor* self, broker_config config);

// The broker's HTTP routing (actors/http_routing.cpp).
void route_http(broker_actor* self, const caf::actor& exchange, http_request& request);

} // namespace mcp::actors
