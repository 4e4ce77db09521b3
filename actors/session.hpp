// One actor per MCP session (server side). It decodes what the edge delivers, keeps the
// session's state machine (uninitialized -> operating -> closing -> closed), answers the
// session-level methods itself, spawns one inbound_request per catalog request, and
// routes every outbound message to exactly one place: its channel (stdio, in-process),
// or one SSE stream or JSON response of its HTTP exchanges.
#pragma once

#include "actors/handler_pool.hpp"
#include "actors/http_exchange.hpp"
#include "actors/messages.hpp"
#include "actors/outgoing_calls.hpp"
#include "actors/telemetry.hpp"

#include <mcp/cluster.hpp>
#include <mcp/event_log.hpp>
#include <mcp/http.hpp>
#include <mcp/limits.hpp>

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/fwd.hpp>
#include <caf/stateful_actor.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mcp::actors {

// How the session meets its peer.
enum class session_kind {
  channel,    // one ordered channel (stdio, in-process)
  streamable, // Streamable HTTP: POST responses and a standalone GET stream
  legacy,     // HTTP+SSE (2024-11-05): one GET stream carries everything
  stateless,  // Streamable HTTP 2026-07-28: one POST, answered, then the session ends
};

inline std::string_view to_string(session_kind k) {
  switch (k) {
  case session_kind::channel:
    return "channel";
  case session_kind::streamable:
    return "streamable";
  case session_kind::legacy:
    return "legacy";
  case session_kind::stateless:
    return "stateless";
  }
  return "unknown";
}

struct session_config {
  caf::actor broker; // told when the session ends
  std::string id;
  session_kind kind = session_kind::channel;
  caf::actor channel; // kind == channel
  catalog_ptr catalog;
  const limits* bounds;                     // owned by the runtime, outlives the session
  handler_pool* pool;                       // likewise
  std::shared_ptr<const http_options> http; // HTTP kinds
  std::string principal;                    // who created it (HTTP authentication); empty when none
  const event_log_factory* event_logs = nullptr; // HTTP kinds; owned by the runtime
  telemetry* observer = nullptr;                 // owned by the runtime
  cluster* shared = nullptr; // sessionful HTTP kinds in a cluster; owned by the runtime
  std::optional<session_record> restored; // taken over from another instance
};

// The replies that one inbound text waits for. On a channel: a JSON-RPC batch, sent as
// one array. Over HTTP: one POST's response, streamed as SSE events or held for one JSON
// body.
struct reply_group {
  std::size_t waiting = 0; // requests still running
  bool open = true;        // the text's items are still being read
  bool batch = false;
  std::vector<std::string> held;        // replies held until the group completes
  std::optional<std::uint64_t> stream;  // HTTP SSE: the stream that carries the replies
  caf::actor exchange;                  // HTTP JSON: where the response goes
  std::vector<std::string> request_ids; // in a cluster: what the stream answers (JSON ids)
};

// One SSE stream: a POST's response stream, or stream 0 (the GET stream; the only one of
// a legacy session). Its events stay in the session's event_log for replay after a
// reconnect.
struct sse_stream {
  caf::actor connection; // the exchange writing it now; null while disconnected
  std::uint64_t writes = 0;
  std::uint64_t acked = 0;
  std::uint64_t next_event = 1;
  // The first event the latest connection could carry: a client that reconnects without
  // Last-Event-ID received none of that connection's events (not even its priming event).
  std::uint64_t connected_from = 1;
  bool finished = false; // all replies written: a replay ends the stream
};

// A 2026-07-28 subscriptions/listen: which notifications its stream carries.
struct listen_filter {
  jsonrpc::request_id id; // the listen request; its response ends the subscription
  std::string key;        // its key; its stream stays open until the end
  std::string id_json;    // the subscription id every notification names
  bool tools = false;
  bool prompts = false;
  bool resources = false;
  std::set<std::string> uris;
};

struct session_state {
  caf::actor broker;
  std::string id;
  session_kind kind = session_kind::channel;
  catalog_ptr catalog;
  const limits* bounds = nullptr;
  handler_pool* pool = nullptr;
  telemetry* observer = nullptr;
  std::shared_ptr<const http_options> http;
  std::string principal;
  std::optional<channel_writer> channel;
  outgoing_calls calls;

  std::string version;         // negotiated by initialize
  std::string priming_version; // what an initialize being answered will negotiate
  std::string client_capabilities = "{}";
  bool client_ready = false;                                 // notifications/initialized received
  std::optional<log_level> min_log_level = log_level::debug; // nullopt: no logs
  std::set<std::string> subscriptions;
  std::optional<listen_filter> listening;
  bool draining = false; // in `closing`: answer what is pending, then close

  std::map<std::string, caf::actor> inbound; // request key -> inbound_request
  std::map<std::string, std::uint64_t> group_of;
  std::map<std::uint64_t, reply_group> groups;
  std::uint64_t next_group = 1;

  std::map<std::uint64_t, sse_stream> streams;
  std::uint64_t next_stream = 1;              // 0 is the GET stream
  std::vector<std::uint64_t> retired_streams; // finished, kept for replay, oldest first
  std::unique_ptr<event_log> events;          // HTTP kinds: what a reconnect can replay
  std::uint64_t dropped_messages = 0;
  cluster* shared = nullptr; // the directory that names this instance as the owner
  bool store_down = false;   // the directory could not record the session: it refuses work
  bool handing_over = false; // the instance stops: the session ends here, not for its client
  caf::actor_clock::time_point last_activity;
  caf::actor_clock::time_point created;

  static inline const char* name = "mcp.session";
};

using session_actor = caf::stateful_actor<session_state>;

caf::behavior session(session_actor* self, session_config config);

} // namespace mcp::actors
