// The client side of Streamable HTTP as a channel: the client session writes JSON-RPC
// texts to it like to any channel, and it turns them into POSTs, reads JSON or SSE
// answers, keeps the session id and protocol version headers, holds the GET stream, and
// recovers: a stream that ends before its response is resumed with Last-Event-ID after
// the server's `retry` (or a jittered, capped backoff), a 404 for a known session
// re-initializes (the application is told), a 405 on GET stops that stream for good, and
// a request that cannot be recovered fails with an error instead of hanging.
#pragma once

#include "actors/entropy.hpp"
#include "actors/http_client_edge.hpp"
#include "protocol/jsonrpc.hpp"
#include "protocol/sse.hpp"

#include <mcp/client.hpp>
#include <mcp/limits.hpp>

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcp::actors {

struct http_channel_config {
  http_client_edge* edge; // outlives the channel
  std::string host;
  std::uint16_t port = 0;
  std::string path; // the MCP endpoint
  const limits* bounds;
  reconnect_options reconnect;
  entropy* random; // backoff jitter
  std::function<void()> on_session_replaced;
  std::function<void(const std::string&)> on_transport; // which transport was chosen
  http_transport transport = http_transport::automatic;
  bool open_get_stream = true;
};

// One HTTP call in flight: a POST (answer to one text) or a GET (the standalone stream,
// or the resumption of a POST's stream).
struct channel_call {
  enum class kind { post, get, legacy_stream, legacy_post } what = kind::post;
  caf::actor handle;
  std::optional<jsonrpc::request_id> awaits; // the request whose response this carries
  bool internal = false;  // our own re-initialization: its answers are not forwarded
  bool stateless = false; // 2026-07-28: closing its stream cancels the request
  std::string posted;     // the text, kept to retry it after a re-initialization
  std::string session_id; // the Mcp-Session-Id it was sent with
  int status = 0;
  bool streaming = false; // text/event-stream
  bool answered = false;
  std::string body;
  sse::parser events;
  std::string resume_from; // the Last-Event-ID this call resumed from, if any
  std::size_t attempts = 0;
};

// Which transport the server speaks: found by the first initialize (2025-11-25 backwards
// compatibility: a 400, 404 or 405 to it means the legacy HTTP+SSE transport).
enum class http_era { unknown, streamable, legacy };

struct http_channel_state {
  http_channel_config config;
  caf::actor client;
  http_era era = http_era::unknown;
  std::string legacy_post_path; // from the legacy stream's `endpoint` event
  std::map<std::string, jsonrpc::request_id> legacy_pending; // answered on the stream
  bool legacy_reconnecting = false;                          // the stream died: a new one is coming
  std::optional<jsonrpc::request_id> legacy_init_id;         // our re-initialize on the new stream
  std::size_t legacy_attempts = 0;
  bool legacy_stream_requested = false; // a legacy GET is open or being opened
  std::string session_id;
  std::string protocol_version;
  std::string initialize_text; // replayed when the server forgot the session
  bool reinitializing = false;
  std::vector<std::string> held; // texts waiting for the re-initialization
  bool get_wanted = false;       // the client initialized: keep a GET stream
  bool get_refused = false;      // 405: the server offers none
  std::map<std::uint64_t, channel_call> calls;
  std::uint64_t next_call = 1;
  // Streams waiting to be resumed: ticket -> (the call's state, Last-Event-ID).
  std::map<std::uint64_t, std::pair<channel_call, std::string>> resumptions;
  std::uint64_t next_ticket = 1;

  static inline const char* name = "mcp.http_channel";
};

using http_channel_actor = caf::stateful_actor<http_channel_state>;

caf::behavior http_channel(http_channel_actor* self, http_channel_config config);

} // namespace mcp::actors
