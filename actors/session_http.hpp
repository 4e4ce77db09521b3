// The HTTP side of a session: what POST, GET and DELETE mean for Streamable HTTP and for
// the legacy HTTP+SSE transport, once the broker has routed a request to its session.
#pragma once

#include "actors/session.hpp"
#include "actors/session_output.hpp"
#include "protocol/jsonrpc.hpp"

#include <functional>
#include <string>

namespace mcp::actors {

// Ends the session at once (DELETE, idle expiry): pending requests are cancelled.
void close_session(session_actor* self, const std::string& reason);

namespace http_detail {

// One HTTP request for this session. `process_body` feeds a POST body through the
// session's message handling (which calls accept_text first).
void on_request(session_actor* self, const caf::actor& exchange, http_request& request,
                bool closing, const std::function<void(const std::string&)>& process_body);

// Decides how a decoded POST body is answered: 202 at once (nothing to answer), 400
// (nothing valid in it), or a reply group streamed as SSE or sent as one JSON body.
// Returns false when the body must not be processed.
bool accept_text(session_actor* self, const caf::actor& exchange, const jsonrpc::decoded& d,
                 std::ptrdiff_t requests, output::group_id& group);

// A body refused as a whole (a batch where batches are not allowed).
void reject_text(session_actor* self, const caf::actor& exchange, std::string error);

// An exchange the session monitors has ended.
void exchange_gone(session_actor* self, const caf::actor_addr& exchange);

// The JSON error response HTTP uses for refusals: status, JSON-RPC error with id null.
http_response error_response(int status, int code, const std::string& message,
                             header_list headers = {},
                             const std::optional<jsonrpc::request_id>& id = std::nullopt,
                             json_text data = {});

} // namespace http_detail
} // namespace mcp::actors
