// Every bound in mcp-sse, named once, with its unit in the name.
//
//   mcp::limits l;                 // documented defaults
//   l.message_bytes_max = 1 << 20; // 1 MiB messages
//   mcp::server_runtime rt{srv, l};
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcp {

struct limits {
  // One inbound JSON-RPC message (a line on stdio, a body on HTTP). Larger input is
  // rejected with an error naming this limit; it is never buffered past the bound.
  std::size_t message_bytes_max = 4 * 1024 * 1024;
  // Nesting of arrays and objects in one message.
  std::size_t json_depth_max = 64;
  // Messages in one JSON-RPC batch (2025-03-26 only).
  std::size_t batch_length_max = 64;
  // Concurrent sessions the broker admits; initialize beyond this is refused.
  std::size_t sessions_max = 1024;
  // Inbound requests one session may have running; more are refused with an error.
  std::size_t requests_in_flight_max = 64;
  // Outbound messages written to a channel and not yet acknowledged. Responses are
  // always queued (their number is bounded by requests_in_flight_max); progress and
  // log notifications beyond this bound are dropped and counted.
  std::size_t outbound_messages_max = 256;
  // Deadline of one inbound request's handler; then the caller gets an error.
  std::int64_t request_timeout_ms = 60'000;
  // Deadline of one request we send to the peer (sampling, elicitation, roots, ...).
  std::int64_t outgoing_request_timeout_ms = 60'000;
  // Server->client requests one session may have outstanding.
  std::size_t outgoing_requests_max = 16;
  // Worker threads that run (possibly blocking) handlers.
  std::size_t handler_threads = 4;
  // Items per page of tools/list, resources/list, prompts/list, templates/list.
  std::size_t list_page_size = 100;
  // Events each SSE stream keeps for replay after a reconnect (Last-Event-ID).
  std::size_t stream_events_max = 1024;
  // Finished SSE streams whose events a session keeps for replay.
  std::size_t retired_streams_max = 16;
  // SSE streams one HTTP session may have open at once (POST responses + GET).
  std::size_t streams_per_session_max = 32;
};

} // namespace mcp
