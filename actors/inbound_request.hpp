// One actor per pending inbound request. It runs the handler (on a worker, or inline),
// owns the request's deadline and its cancellation, and sends the session at most one
// reply: the response or a timeout error; once cancelled it sends nothing.
#pragma once

#include "actors/handler_pool.hpp"
#include "actors/telemetry.hpp"
#include "protocol/jsonrpc.hpp"

#include <mcp/context.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/stateful_actor.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace mcp::actors {

// Answers one request: returns the result as JSON text, or throws mcp::rpc_error.
using method_handler = std::function<std::string(const jsonrpc::message&, request_context&)>;

struct inbound_job {
  jsonrpc::message request;
  method_handler handler;
  caf::actor session;
  std::string key; // the request id's key in the session's table
  std::string protocol_version;
  std::string client_capabilities; // JSON text
  std::string progress_token;      // JSON text; empty when the caller asked for no progress
  std::chrono::milliseconds deadline;
  handler_pool* pool;            // outlives every actor (the runtime owns both)
  bool quick = false;            // the handler never blocks: it runs on this actor, not in the pool
  telemetry* observer = nullptr; // server side: counts requests and their latency
  std::string session_id;        // for the log
};

struct inbound_request_state {
  std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);
  static inline const char* name = "mcp.inbound_request";
};

caf::behavior inbound_request(caf::stateful_actor<inbound_request_state>* self, inbound_job job);

} // namespace mcp::actors
