#include "actors/http_channel.hpp"

#include "actors/buggify.hpp"

#include "actors/messages.hpp"
#include "protocol/mcp_model.hpp"
#include "protocol/versions.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <utility>

namespace mcp::actors {

namespace {

using call_kind = channel_call::kind;

std::optional<std::string> header_of(const http_response& r, std::string_view name) {
  for (auto& [key, value] : r.headers)
    if (key == name)
      return value;
  return std::nullopt;
}

// The single message in `text`, if it is one.
std::optional<jsonrpc::message> single_message(const http_channel_state& st,
                                               const std::string& text) {
  auto& b = *st.config.bounds;
  auto decoded = jsonrpc::decode(text, {b.message_bytes_max, b.json_depth_max, b.batch_length_max});
  if (decoded.batch || decoded.items.size() != 1)
    return std::nullopt;
  if (auto* m = std::get_if<jsonrpc::message>(&decoded.items.front()))
    return *m;
  return std::nullopt;
}

// 2026-07-28: a request that carries its version in _meta stands alone; its headers
// repeat the version, the method and (for tools/call, resources/read, prompts/get) the name.
std::optional<header_list> stateless_headers(const jsonrpc::message& m) {
  auto* meta = m.params == nullptr ? nullptr : find_member(*m.params, "_meta");
  auto version =
      meta == nullptr ? std::nullopt : get_string(*meta, protocol::meta_protocol_version);
  if (!version)
    return std::nullopt;
  header_list h{{"mcp-protocol-version", *version}, {"mcp-method", m.method}};
  auto name_member =
      m.method == protocol::method::resources_read ? "uri"
      : m.method == protocol::method::tools_call || m.method == protocol::method::prompts_get
          ? "name"
          : nullptr;
  if (name_member != nullptr)
    if (auto name = get_string(*m.params, name_member))
      h.emplace_back("mcp-name", *name);
  return h;
}

// Starts a call. `stateless` headers replace the session's: such a request stands alone.
std::uint64_t start(http_channel_actor* self, channel_call call, http_request request,
                    std::optional<header_list> stateless = std::nullopt) {
  auto& st = self->state;
  auto id = st.next_call++;
  request.headers.emplace_back("accept", "application/json, text/event-stream");
  if (stateless) {
    request.headers.insert(request.headers.end(), stateless->begin(), stateless->end());
  } else {
    if (!st.session_id.empty())
      request.headers.emplace_back("mcp-session-id", st.session_id);
    call.session_id = st.session_id;
    if (!st.protocol_version.empty())
      request.headers.emplace_back("mcp-protocol-version", st.protocol_version);
  }
  http_call c{id, st.config.host, st.config.port, std::move(request)};
  call.handle = st.config.edge->start(std::move(c), caf::actor_cast<caf::actor>(self));
  st.calls.emplace(id, std::move(call));
  return id;
}

// POSTs one text; `m` is the text already decoded (when the caller has it), so that a
// write is decoded once.
void post(http_channel_actor* self, const std::string& text, bool internal,
          const std::optional<jsonrpc::message>& m) {
  auto& st = self->state;
  channel_call call;
  call.posted = text;
  call.internal = internal;
  http_request r{"POST", st.config.path, {{"content-type", "application/json"}}, text, {}};
  if (m && m->is_request()) {
    call.awaits = m->id;
    if (m->method == protocol::method::initialize && !internal)
      st.initialize_text = text;
    if (auto modern = stateless_headers(*m)) {
      call.stateless = true;
      start(self, std::move(call), std::move(r), std::move(*modern));
      return;
    }
  }
  start(self, std::move(call), std::move(r));
}

void post(http_channel_actor* self, const std::string& text, bool internal = false) {
  post(self, text, internal, single_message(self->state, text));
}

void open_get(http_channel_actor* self, channel_call call, const std::string& last_event_id) {
  http_request r{"GET", self->state.config.path, {}, {}, {}};
  if (!last_event_id.empty())
    r.headers.emplace_back("last-event-id", last_event_id);
  call.what = call_kind::get;
  call.status = 0;
  call.streaming = false;
  call.body.clear();
  call.events = sse::parser{self->state.config.bounds->message_bytes_max};
  call.resume_from = last_event_id;
  start(self, std::move(call), std::move(r));
}

void choose(http_channel_actor* self, http_era era) {
  auto& st = self->state;
  if (st.era != http_era::unknown)
    return;
  st.era = era;
  if (st.config.on_transport)
    st.config.on_transport(era == http_era::legacy ? "legacy HTTP+SSE" : "Streamable HTTP");
}

// Legacy: every text is a POST to the endpoint the stream named; answers come on the stream.
void legacy_post(http_channel_actor* self, const std::string& text) {
  auto& st = self->state;
  channel_call call;
  call.what = call_kind::legacy_post;
  call.posted = text;
  if (auto m = single_message(st, text); m && m->is_request()) {
    call.awaits = m->id;
    st.legacy_pending.emplace(m->id.key(), m->id);
    // Kept to initialize the next stream's session (found by the simulator: a client
    // forced to the legacy transport never re-initialized after a lost stream).
    if (m->method == protocol::method::initialize)
      st.initialize_text = text;
  }
  start(self, std::move(call),
        {"POST", st.legacy_post_path, {{"content-type", "application/json"}}, text, {}});
}

void open_legacy_stream(http_channel_actor* self) {
  self->state.legacy_stream_requested = true;
  channel_call call;
  call.what = call_kind::legacy_stream;
  call.events = sse::parser{self->state.config.bounds->message_bytes_max};
  start(self, std::move(call), {"GET", self->state.config.path, {}, {}, {}});
}

// The endpoint event names where POSTs go: resolved against our URL, opaque otherwise.
void legacy_endpoint(http_channel_actor* self, const std::string& uri) {
  auto& st = self->state;
  auto path = uri;
  if (auto scheme = path.find("://"); scheme != std::string::npos) {
    auto slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "/" : path.substr(slash);
  } else if (path.empty() || path.front() != '/') {
    auto base = st.config.path.substr(0, st.config.path.rfind('/') + 1);
    path = base + path;
  }
  st.legacy_post_path = path;
  st.legacy_attempts = 0;
  if (st.legacy_reconnecting) {
    // A new stream is a new session: initialize it before anything that waited.
    if (auto m = single_message(st, st.initialize_text))
      st.legacy_init_id = m->id;
    legacy_post(self, st.initialize_text);
    return;
  }
  for (auto& text : std::exchange(st.held, {}))
    legacy_post(self, text);
}

// The legacy session was initialized again after its stream came back.
void legacy_reinitialized(http_channel_actor* self) {
  auto& st = self->state;
  st.legacy_reconnecting = false;
  st.legacy_init_id.reset();
  legacy_post(self, jsonrpc::encode_notification(protocol::method::initialized, ""));
  if (st.config.on_session_replaced)
    st.config.on_session_replaced();
  for (auto& text : std::exchange(st.held, {}))
    legacy_post(self, text);
}

// 2026-07-28 has no notifications/cancelled on HTTP: closing the request's stream is the
// cancellation. True when `cancel` named such a request (and its stream is closed).
bool cancel_stateless(http_channel_actor* self, const jsonrpc::message& cancel) {
  auto& st = self->state;
  auto* id = cancel.params == nullptr ? nullptr : find_member(*cancel.params, "requestId");
  if (id == nullptr || !(id->IsInt64() || id->IsString()))
    return false;
  auto wanted = id->IsInt64() ? jsonrpc::request_id{id->GetInt64()}
                              : jsonrpc::request_id{std::string{id->GetString()}};
  for (auto it = st.calls.begin(); it != st.calls.end(); ++it)
    if (it->second.stateless && it->second.awaits && *it->second.awaits == wanted) {
      self->send(it->second.handle, close_atom::value);
      st.calls.erase(it);
      return true;
    }
  return false;
}

// Hands one inbound text to the client session, noting what it answers.
void deliver(http_channel_actor* self, channel_call& call, const std::string& text) {
  auto& st = self->state;
  auto m = single_message(st, text);
  if (m && m->is_response())
    st.legacy_pending.erase(m->id.key());
  if (m && m->is_response() && st.legacy_init_id && m->id == *st.legacy_init_id)
    return legacy_reinitialized(self); // our own initialize: not the application's
  if (m && m->is_response() && call.awaits && m->id == *call.awaits) {
    call.answered = true;
    if (m->type == jsonrpc::kind::result && m->result != nullptr)
      if (auto v = get_string(*m->result, "protocolVersion"); v && st.protocol_version.empty())
        st.protocol_version = *v;
  }
  if (!call.internal)
    self->send(st.client, inbound_atom::value, text);
}

// The request of `call` cannot be answered: the client gets an error instead of a hang.
void fail_request(http_channel_actor* self, channel_call& call, const std::string& why) {
  if (!call.awaits || call.answered || call.internal)
    return;
  call.answered = true;
  self->send(self->state.client, inbound_atom::value,
             jsonrpc::encode_error(*call.awaits, {jsonrpc::code::internal_error, why, {}}));
}

std::int64_t backoff_ms(http_channel_actor* self, std::size_t attempt, std::int64_t server_retry) {
  auto& p = self->state.config.reconnect;
  if (server_retry > 0 && attempt == 0)
    return server_retry; // the server said how long to wait
  auto cap = std::min<std::int64_t>(p.max_delay_ms,
                                    p.initial_delay_ms << std::min<std::size_t>(attempt, 20));
  if (MCP_BUGGIFY_POINT("channel.reconnect_late"))
    return p.max_delay_ms; // legal: a client may always wait longer
  // Full jitter: a crowd of clients does not come back at once.
  return static_cast<std::int64_t>(self->state.config.random->next() %
                                   static_cast<std::uint64_t>(cap + 1));
}

// Keeps a text until the session can take it (an endpoint, a re-initialization). Bounded:
// past requests_in_flight_max texts a request fails at once instead of queueing.
void hold(http_channel_actor* self, std::string text) {
  auto& st = self->state;
  if (st.held.size() < st.config.bounds->requests_in_flight_max) {
    st.held.push_back(std::move(text));
    return;
  }
  if (auto m = single_message(st, text); m && m->is_request())
    self->send(
        st.client, inbound_atom::value,
        jsonrpc::encode_error(
            m->id, {jsonrpc::code::overloaded, "too many messages wait for the session", {}}));
}

// Texts that waited (for an endpoint, for a re-initialization) will never be sent: each
// request among them gets its error now.
void fail_held(http_channel_actor* self, const std::string& why) {
  auto& st = self->state;
  for (auto& text : std::exchange(st.held, {}))
    if (auto m = single_message(st, text); m && m->is_request())
      self->send(st.client, inbound_atom::value,
                 jsonrpc::encode_error(m->id, {jsonrpc::code::internal_error, why, {}}));
}

// A stream ended: resume it if it can be resumed, else fail what it owed.
void stream_ended(http_channel_actor* self, channel_call call, const std::string& why) {
  auto& st = self->state;
  bool is_get = call.what == call_kind::get && !call.awaits;
  bool owes = call.awaits && !call.answered;
  if (!is_get && !owes)
    return;
  if (is_get && (st.get_refused || !st.get_wanted))
    return;
  // A resumption that failed before any event resumes from where it started.
  auto last_id =
      call.events.last_event_id().empty() ? call.resume_from : call.events.last_event_id();
  if (!is_get && last_id.empty())
    return fail_request(self, call, why + "; the stream had no event id to resume from");
  if (call.attempts >= st.config.reconnect.attempts_max)
    return fail_request(self, call,
                        why + "; gave up after " + std::to_string(call.attempts) +
                            " reconnection attempts");
  auto retry = call.events.retry_ms();
  auto delay = backoff_ms(self, call.attempts, retry ? static_cast<std::int64_t>(*retry) : 0);
  ++call.attempts;
  auto ticket = st.next_ticket++;
  st.resumptions.emplace(ticket, std::make_pair(std::move(call), last_id));
  self->delayed_send(self, std::chrono::milliseconds{delay}, timeout_atom::value, ticket);
}

void session_replaced(http_channel_actor* self, std::string text) {
  auto& st = self->state;
  hold(self, std::move(text));
  if (st.reinitializing)
    return;
  st.reinitializing = true;
  st.session_id.clear();
  post(self, st.initialize_text, true);
}

// The re-initialization is answered: the new session is live; what waited is sent.
void reinitialized(http_channel_actor* self) {
  auto& st = self->state;
  st.reinitializing = false;
  post(self, jsonrpc::encode_notification(protocol::method::initialized, ""), true);
  if (st.config.on_session_replaced)
    st.config.on_session_replaced();
  auto held = std::move(st.held);
  st.held.clear();
  for (auto& text : held)
    post(self, text);
  if (st.get_wanted && !st.get_refused)
    open_get(self, channel_call(), {});
}

void finish(http_channel_actor* self, std::uint64_t id, const std::string* failure) {
  auto& st = self->state;
  auto it = st.calls.find(id);
  if (it == st.calls.end())
    return;
  auto call = std::move(it->second);
  st.calls.erase(it);
  self->send(call.handle, close_atom::value);
  if (!call.streaming && call.status == 200 && failure == nullptr && !call.body.empty())
    deliver(self, call, call.body);
  if (call.internal && call.awaits && st.reinitializing) {
    if (call.answered)
      return reinitialized(self);
    st.reinitializing = false;
    return fail_held(self, "the server forgot the session and re-initializing failed");
  }
  if (call.what == call_kind::legacy_stream) {
    // Texts still waiting for the endpoint will never be sent.
    auto why = call.status != 0 && call.status != 200
                   ? "the legacy SSE endpoint answered HTTP " + std::to_string(call.status)
                   : std::string{"the legacy SSE stream closed"};
    fail_held(self, why);
    // The legacy transport cannot resume: its session ended with the stream.
    for (auto& [key, request] : st.legacy_pending)
      self->send(st.client, inbound_atom::value,
                 jsonrpc::encode_error(request, {jsonrpc::code::internal_error,
                                                 "the legacy SSE stream closed before the response",
                                                 {}}));
    st.legacy_pending.clear();
    st.legacy_post_path.clear();
    st.legacy_stream_requested = false;
    // A stream that was live comes back as a new session, after a backoff.
    if (call.status == 200 && !st.initialize_text.empty()) {
      st.legacy_reconnecting = true;
      st.legacy_init_id.reset();
    }
    if (st.legacy_reconnecting) {
      if (st.legacy_attempts >= st.config.reconnect.attempts_max) {
        st.legacy_reconnecting = false;
        return fail_held(self, "the legacy SSE stream could not be reopened");
      }
      auto delay = backoff_ms(self, st.legacy_attempts++, 0);
      self->delayed_send(self, std::chrono::milliseconds{delay}, run_atom::value);
    }
    return;
  }
  if (call.what == call_kind::legacy_post) {
    if (failure != nullptr && call.awaits)
      st.legacy_pending.erase(call.awaits->key());
    if (failure != nullptr)
      fail_request(self, call, "HTTP request failed: " + *failure);
    return;
  }
  if (call.streaming || call.what == call_kind::get)
    return stream_ended(self, std::move(call),
                        failure != nullptr ? *failure : "the stream ended before its response");
  if (failure != nullptr)
    fail_request(self, call, "HTTP request failed: " + *failure);
}

void on_open(http_channel_actor* self, std::uint64_t id, const http_response& head) {
  auto& st = self->state;
  auto it = st.calls.find(id);
  if (it == st.calls.end())
    return;
  auto& call = it->second;
  call.status = head.status;
  auto type = header_of(head, "content-type").value_or("");
  call.streaming = head.status == 200 && type.rfind("text/event-stream", 0) == 0;
  if (auto sid = header_of(head, "mcp-session-id"); sid && st.session_id.empty())
    st.session_id = *sid;
  if (st.era == http_era::unknown && call.what == call_kind::post && !st.initialize_text.empty()) {
    if (head.status == 400 || head.status == 404 || head.status == 405) {
      // Not Streamable HTTP: the legacy transport, whose stream names the POST URL.
      choose(self, http_era::legacy);
      hold(self, call.posted);
      self->send(call.handle, close_atom::value);
      st.calls.erase(it);
      return open_legacy_stream(self);
    }
    choose(self, http_era::streamable);
  }
  if (call.what == call_kind::legacy_post) {
    if (head.status >= 400) {
      if (call.awaits)
        st.legacy_pending.erase(call.awaits->key());
      fail_request(self, call, "HTTP " + std::to_string(head.status));
    }
    call.awaits.reset(); // answered on the stream, not here
    return;
  }
  if (call.what == call_kind::legacy_stream)
    return; // a refusal (not an event stream) fails what waits when the call ends
  if (head.status == 404 && call.what == call_kind::post && !st.initialize_text.empty() &&
      !call.internal) {
    // The server forgot our session: a new one, then this text again. A 404 for a
    // session already replaced (the POST left before the re-initialization ended) only
    // needs the text sent again, in the current session (found by the simulator).
    auto text = call.posted;
    auto stale = !call.session_id.empty() && call.session_id != st.session_id &&
                 !st.session_id.empty() && !st.reinitializing;
    call.awaits.reset(); // answered by the retry
    self->send(call.handle, close_atom::value);
    st.calls.erase(it);
    if (stale)
      return post(self, text);
    return session_replaced(self, std::move(text));
  }
  if (call.what == call_kind::get && !call.awaits && head.status == 405) {
    st.get_refused = true; // never retried: the server has no GET stream
    call.status = 0;
    return;
  }
  if (head.status >= 400)
    fail_request(self, call, "HTTP " + std::to_string(head.status));
  if (call.what == call_kind::get && head.status == 200)
    call.attempts = 0; // connected again: the budget starts over
}

void on_chunk(http_channel_actor* self, std::uint64_t id, const std::string& bytes) {
  auto& st = self->state;
  auto it = st.calls.find(id);
  if (it == st.calls.end())
    return;
  auto& call = it->second;
  if (!call.streaming) {
    if (call.body.size() + bytes.size() <= st.config.bounds->message_bytes_max)
      call.body += bytes;
    return;
  }
  std::vector<sse::event> events;
  if (!call.events.feed(bytes, events)) {
    self->send(call.handle, close_atom::value);
    auto reason = call.events.error();
    return finish(self, id, &reason);
  }
  for (auto& e : events) {
    if (call.what == call_kind::legacy_stream && e.type == "endpoint")
      legacy_endpoint(self, e.data);
    else if (!e.data.empty() && e.type == "message")
      deliver(self, st.calls.at(id), e.data);
  }
}

} // namespace

caf::behavior http_channel(http_channel_actor* self, http_channel_config config) {
  self->state.config = std::move(config);
  // A forced transport is chosen before anything is sent.
  if (self->state.config.transport == http_transport::legacy)
    choose(self, http_era::legacy);
  else if (self->state.config.transport == http_transport::streamable)
    choose(self, http_era::streamable);
  return {
      [=](connect_atom, const caf::actor& client) { self->state.client = client; },
      [=](write_atom, const std::string& text, std::uint64_t seq) {
        auto& st = self->state;
        if (seq != 0)
          self->send(caf::actor_cast<caf::actor>(self->current_sender()), written_atom::value, seq);
        if (st.reinitializing) {
          hold(self, text);
          return;
        }
        if (st.era == http_era::legacy) {
          if (!st.legacy_post_path.empty())
            return legacy_post(self, text);
          hold(self, text); // until the stream names the endpoint
          if (!st.legacy_stream_requested && !st.legacy_reconnecting)
            open_legacy_stream(self);
          return;
        }
        auto m = single_message(st, text);
        if (m && m->method == protocol::method::cancelled && cancel_stateless(self, *m))
          return;
        post(self, text, false, m);
        // Once initialized, keep a GET stream for what the server sends on its own.
        if (m && m->method == protocol::method::initialized && !st.get_wanted &&
            st.config.open_get_stream) {
          st.get_wanted = true;
          if (!st.get_refused && !st.session_id.empty())
            open_get(self, channel_call(), {});
        }
      },
      [=](open_atom, std::uint64_t id, const http_response& head) { on_open(self, id, head); },
      [=](chunk_atom, std::uint64_t id, const std::string& bytes) { on_chunk(self, id, bytes); },
      [=](ended_atom, std::uint64_t id) { finish(self, id, nullptr); },
      [=](closed_atom, std::uint64_t id, const std::string& reason) { finish(self, id, &reason); },
      [=](timeout_atom, std::uint64_t ticket) {
        auto& st = self->state;
        auto it = st.resumptions.find(ticket);
        if (it == st.resumptions.end())
          return;
        auto [call, last_id] = std::move(it->second);
        st.resumptions.erase(it);
        open_get(self, std::move(call), last_id);
      },
      [=](run_atom) {
        if (self->state.legacy_reconnecting)
          open_legacy_stream(self);
      },
      [=](close_atom) {
        auto& st = self->state;
        for (auto& [id, call] : st.calls) {
          fail_request(self, call, "the client closed");
          self->send(call.handle, close_atom::value);
        }
        st.calls.clear();
        st.resumptions.clear();
        self->quit();
      },
  };
}

} // namespace mcp::actors
