#include "actors/session_http.hpp"

#include "protocol/mcp_model.hpp"
#include "protocol/sse.hpp"
#include "protocol/versions.hpp"

#include <caf/all.hpp>

namespace mcp::actors {
namespace http_detail {

namespace {

constexpr std::uint64_t get_stream = 0;

void respond(session_actor* self, const caf::actor& exchange, http_response r) {
  self->send(exchange, respond_atom::value, std::move(r));
}

// "<stream>-<event>" as our event ids are written; nullopt for anything else (a part of
// more than 19 digits could overflow, and we never write one).
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_event_id(std::string_view id) {
  auto dash = id.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 19 || id.size() - dash - 1 == 0 ||
      id.size() - dash - 1 > 19)
    return std::nullopt;
  std::uint64_t parts[2] = {0, 0};
  std::string_view texts[2] = {id.substr(0, dash), id.substr(dash + 1)};
  for (int i = 0; i < 2; ++i)
    for (char c : texts[i]) {
      if (c < '0' || c > '9')
        return std::nullopt;
      parts[i] = parts[i] * 10 + static_cast<std::uint64_t>(c - '0');
    }
  return std::make_pair(parts[0], parts[1]);
}

void open_get_stream(session_actor* self, const caf::actor& exchange,
                     std::optional<std::string_view> last_event_id) {
  auto& st = self->state;
  auto headers = output::session_headers(st);
  if (!last_event_id) {
    auto s = st.streams.find(get_stream);
    if (s == st.streams.end())
      return output::open_stream(self, get_stream, exchange, {});
    if (s->second.connection)
      return respond(self, exchange,
                     error_response(409, -32000,
                                    "Conflict: Only one SSE stream is allowed per session",
                                    headers));
    // A reconnection without Last-Event-ID: the client got nothing of the last connection
    // (its first bytes name an event), so what that connection carried, and what came
    // while none was open, is sent again; then an event id to resume from.
    auto from = s->second.connected_from;
    if (output::resume(self, get_stream, exchange, from - 1) == std::size_t{0})
      output::prime(self, get_stream);
    return;
  }
  // Resumption: replay what the stream sent after that event, on that stream only.
  auto parsed = parse_event_id(*last_event_id);
  auto s = parsed ? st.streams.find(parsed->first) : st.streams.end();
  // An id this session never wrote (a stream it does not have, an event not yet sent):
  // there is no position to resume from.
  if (s == st.streams.end() || parsed->second >= s->second.next_event)
    return respond(self, exchange,
                   error_response(400, -32000, "Bad Request: unknown Last-Event-ID", headers));
  // Still writing to an earlier connection: the client retries once we have seen it go
  // (taking the stream over instead lets events in flight on the old one arrive twice;
  // the simulator's server-crash-restart scenario shows it).
  if (s->second.connection)
    return respond(
        self, exchange,
        error_response(409, -32000, "Conflict: Stream already has an active connection", headers));
  output::resume(self, parsed->first, exchange, parsed->second);
}

void open_legacy_stream(session_actor* self, const caf::actor& exchange) {
  auto& st = self->state;
  output::open_stream(self, get_stream, exchange, {});
  // The first event names the URL for POSTs; the client treats it as opaque.
  auto endpoint = st.http->messages_path + "?sessionId=" + st.id;
  output::write_to(self, st.streams[get_stream],
                   sse::encode({"endpoint", {}, endpoint, std::nullopt}));
}

} // namespace

http_response error_response(int status, int code, const std::string& message, header_list headers,
                             const std::optional<jsonrpc::request_id>& id, json_text data) {
  headers.emplace_back("content-type", "application/json");
  return {status, std::move(headers), jsonrpc::encode_error(id, {code, message, std::move(data)})};
}

void on_request(session_actor* self, const caf::actor& exchange, http_request& request,
                bool closing, const std::function<void(const std::string&)>& process_body) {
  auto& st = self->state;
  st.last_activity = self->clock().now();
  auto headers = output::session_headers(st);
  if (closing && request.method != "DELETE")
    return respond(
        self, exchange,
        error_response(503, -32000, "Service Unavailable: the session is closing", headers));
  if (request.method == "GET") {
    if (st.kind == session_kind::legacy)
      return open_legacy_stream(self, exchange);
    return open_get_stream(self, exchange, request.header("last-event-id"));
  }
  if (request.method == "DELETE") {
    respond(self, exchange, http_response{200, headers, {}});
    return close_session(self, "the client ended the session");
  }
  // POST. After initialize, the version header must name a revision we speak.
  if (auto v = request.header("mcp-protocol-version");
      v && !st.version.empty() && !protocol::is_handshake_version(*v))
    return respond(self, exchange,
                   error_response(400, -32000,
                                  "Bad Request: Unsupported protocol version: " + std::string{*v},
                                  headers));
  process_body(request.body);
}

bool accept_text(session_actor* self, const caf::actor& exchange, const jsonrpc::decoded& d,
                 std::ptrdiff_t requests, output::group_id& group) {
  auto& st = self->state;
  auto headers = output::session_headers(st);
  bool any_message = std::any_of(d.items.begin(), d.items.end(), [](auto& item) {
    return std::holds_alternative<jsonrpc::message>(item);
  });
  if (!any_message) {
    // Nothing valid: 400 with the JSON-RPC error(s) as the body.
    std::vector<std::string> errors;
    for (auto& item : d.items)
      errors.push_back(jsonrpc::encode_rejected(std::get<jsonrpc::rejected>(item)));
    headers.emplace_back("content-type", "application/json");
    respond(self, exchange,
            {400, std::move(headers), d.batch ? jsonrpc::encode_batch(errors) : errors.front()});
    return false;
  }
  if (st.kind == session_kind::legacy || requests == 0) {
    // Replies (legacy) travel on the stream; notifications and responses need none.
    respond(self, exchange,
            {202, std::move(headers), st.kind == session_kind::legacy ? "Accepted" : ""});
    return true;
  }
  if (st.streams.size() >= st.bounds->streams_per_session_max + st.bounds->retired_streams_max) {
    respond(self, exchange,
            error_response(429, jsonrpc::code::overloaded,
                           "Too Many Requests: the session has too many open streams", headers));
    return false;
  }
  if (st.version.empty() && !d.batch && d.items.size() == 1)
    if (auto* m = std::get_if<jsonrpc::message>(&d.items.front());
        m != nullptr && m->is_request() && m->method == protocol::method::initialize)
      if (auto v = m->params == nullptr ? std::nullopt : get_string(*m->params, "protocolVersion"))
        st.priming_version = protocol::negotiate(*v);
  group = output::open_group(self, d.batch, exchange, !st.http->json_responses);
  return true;
}

void reject_text(session_actor* self, const caf::actor& exchange, std::string error) {
  if (!exchange)
    return output::send(self, std::move(error), nullptr, false);
  auto headers = output::session_headers(self->state);
  headers.emplace_back("content-type", "application/json");
  respond(self, exchange, {400, std::move(headers), std::move(error)});
}

void exchange_gone(session_actor* self, const caf::actor_addr& exchange) {
  auto& st = self->state;
  // 2026-07-28: closing the response stream cancels the request.
  if (st.kind == session_kind::stateless)
    return close_session(self, "the client closed the response stream");
  // A legacy session lives as long as its one stream.
  auto s = st.streams.find(get_stream);
  if (st.kind == session_kind::legacy && s != st.streams.end() && s->second.connection &&
      s->second.connection.address() == exchange)
    return close_session(self, "the SSE stream closed");
  output::exchange_gone(self, exchange);
}

} // namespace http_detail
} // namespace mcp::actors
