// The broker's HTTP routing: security checks (Host, Origin), paths and methods, and the
// session lookups of Streamable HTTP and legacy HTTP+SSE, with the status codes the
// specification and the reference SDKs use.
#include "actors/broker.hpp"
#include "actors/cluster_bridge.hpp"
#include "actors/http_policy.hpp"
#include "actors/session_http.hpp"
#include "protocol/mcp_model.hpp"
#include "protocol/versions.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <cctype>

namespace mcp::actors {

namespace {

using http_detail::error_response;

bool accepts(const http_request& r, std::string_view type) {
  auto accept = r.header("accept");
  if (!accept)
    return false;
  auto value = lower(*accept);
  return value.find(type) != std::string::npos || value.find("*/*") != std::string::npos;
}

// HeaderMismatch (2026-07-28): an HTTP header disagrees with the JSON-RPC body.
constexpr int header_mismatch_code = -32020;

bool is_stateless_method(std::string_view m) {
  namespace method = protocol::method;
  for (auto known :
       {method::discover, method::subscriptions_listen, method::tools_list, method::tools_call,
        method::resources_list, method::resources_read, method::resources_templates_list,
        method::prompts_list, method::prompts_get, method::completion_complete})
    if (m == known)
      return true;
  return false;
}

bool is_json(const http_request& r) {
  auto type = r.header("content-type");
  return type && lower(*type).rfind("application/json", 0) == 0;
}

struct router {
  broker_actor* self;
  const caf::actor& exchange;
  http_request& request;

  // The Prometheus scrape: the broker counts its sessions, the rest is in the telemetry.
  void metrics() {
    if (request.method != "GET")
      return respond(
          {405, {{"allow", "GET"}, {"content-type", "text/plain"}}, "Method Not Allowed\n"});
    session_counts counts;
    for (auto& [address, entry] : self->state.sessions) {
      switch (entry.kind) {
      case session_kind::streamable:
        ++counts.streamable;
        break;
      case session_kind::legacy:
        ++counts.legacy;
        break;
      case session_kind::stateless:
        ++counts.stateless;
        break;
      case session_kind::channel:
        ++counts.channel;
        break;
      }
    }
    respond({200,
             {{"content-type", "text/plain; version=0.0.4; charset=utf-8"},
              {"cache-control", "no-store"}},
             render_prometheus(self->state.config.observer->stats, counts)});
  }

  void respond(http_response r) { self->send(exchange, respond_atom::value, std::move(r)); }
  void refuse(int status, int code, const std::string& message, header_list headers = {}) {
    respond(error_response(status, code, message, std::move(headers)));
  }
  void forward(const caf::actor& session) {
    self->send(session, http_atom::value, exchange, std::move(request));
  }

  // The session named by `id`, if it exists and is of `kind`; else answers 400/404.
  caf::actor find(std::optional<std::string_view> id, session_kind kind, const char* missing) {
    if (!id) {
      refuse(400, -32000, missing);
      return {};
    }
    auto& st = self->state;
    auto it = st.session_of_id.find(std::string{*id});
    // In a cluster, a stopping instance hands its sessions over and takes none: a request
    // for a session not here is for another instance (the client retries, through the
    // balancer).
    if (it == st.session_of_id.end() && st.bridge && st.stopping) {
      respond(error_response(503, -32000,
                             "Service Unavailable: this instance is stopping and the session "
                             "is moving to another; retry",
                             {{"retry-after", "1"}}));
      return {};
    }
    // Not here: another instance of the cluster may run it (a relayed request was sent
    // here because this instance did; it is not sent on again).
    if (it == st.session_of_id.end() && st.bridge && !request.relayed) {
      std::string session_id{*id};
      self->send(st.bridge, forward_atom::value, exchange, std::move(request), session_id);
      return {};
    }
    // A session another principal created does not exist for this one.
    if (it == st.session_of_id.end() || st.sessions[it->second.address()].kind != kind ||
        st.sessions[it->second.address()].principal != request.principal) {
      refuse(404, -32001, "Session not found");
      return {};
    }
    return it->second;
  }

  void create(session_kind kind) {
    std::string why;
    if (auto s = admit(self, kind, {}, why, request.principal))
      return forward(s);
    refuse(503, jsonrpc::code::overloaded, "Service Unavailable: " + why);
  }

  void streamable() {
    auto& method = request.method;
    auto id = request.header("mcp-session-id");
    auto version_header = request.header("mcp-protocol-version");
    bool modern_header = version_header && protocol::is_stateless_version(*version_header);
    if (method == "POST") {
      if (!is_json(request))
        return refuse(415, -32000, "Unsupported Media Type: Content-Type must be application/json");
      if (!accepts(request, "application/json") || !accepts(request, "text/event-stream"))
        return refuse(406, -32000,
                      "Not Acceptable: Client must accept both application/json and "
                      "text/event-stream");
      if (!id)
        return without_session(modern_header);
    } else if (modern_header) {
      return respond(
          {405, {{"allow", "POST"}, {"content-type", "text/plain"}}, "Method Not Allowed\n"});
    } else if (method == "GET") {
      if (!accepts(request, "text/event-stream"))
        return refuse(406, -32000, "Not Acceptable: Client must accept text/event-stream");
    } else if (method != "DELETE") {
      return respond({405,
                      {{"allow", "GET, POST, DELETE"}, {"content-type", "text/plain"}},
                      "Method Not Allowed\n"});
    }
    if (self->state.http->stateless_only)
      return respond(
          {405, {{"allow", "POST"}, {"content-type", "text/plain"}}, "Method Not Allowed\n"});
    if (auto s =
            find(id, session_kind::streamable, "Bad Request: Mcp-Session-Id header is required"))
      forward(s);
  }

  // A POST without a session: a 2026-07-28 request (its header or its _meta says so), an
  // initialize that opens a session, or an error.
  void without_session(bool modern_header) {
    auto& bounds = *self->state.config.bounds;
    auto decoded =
        jsonrpc::decode(request.body, {bounds.message_bytes_max, bounds.json_depth_max, 1});
    auto* m = decoded.items.size() == 1 && !decoded.batch
                  ? std::get_if<jsonrpc::message>(&decoded.items.front())
                  : nullptr;
    auto* meta = m == nullptr || m->params == nullptr ? nullptr : find_member(*m->params, "_meta");
    if (modern_header || (meta != nullptr && find_member(*meta, protocol::meta_protocol_version)))
      return stateless(decoded);
    if (self->state.http->stateless_only) {
      // A modern-only server names what it speaks: legacy clients have no other hint.
      std::optional<jsonrpc::request_id> request_id;
      if (m != nullptr && m->has_id)
        request_id = m->id;
      return respond(error_response(400, jsonrpc::code::unsupported_protocol_version,
                                    "Unsupported protocol version: this server speaks only "
                                    "2026-07-28 (stateless)",
                                    {}, request_id,
                                    json_text{protocol::unsupported_version_data({}, true)}));
    }
    if (m != nullptr && m->is_request() && m->method == protocol::method::initialize)
      return create(session_kind::streamable);
    auto* failure = decoded.items.size() == 1
                        ? std::get_if<jsonrpc::rejected>(&decoded.items.front())
                        : nullptr;
    if (failure != nullptr && failure->error.code == jsonrpc::code::parse_error)
      return refuse(400, jsonrpc::code::parse_error, "Parse error: " + failure->error.message);
    refuse(400, -32000, "Bad Request: Mcp-Session-Id header is required");
  }

  // 2026-07-28: every POST stands alone. _meta and the headers must agree with the body;
  // the request is served by a session that lives for this one exchange.
  void stateless(const jsonrpc::decoded& decoded) {
    if (decoded.batch || decoded.items.size() != 1)
      return refuse(400, jsonrpc::code::invalid_request,
                    "Bad Request: one request or notification per POST");
    if (auto* rejected = std::get_if<jsonrpc::rejected>(&decoded.items.front()))
      return respond(
          error_response(400, rejected->error.code, rejected->error.message, {}, rejected->id));
    auto& m = std::get<jsonrpc::message>(decoded.items.front());
    std::optional<jsonrpc::request_id> id;
    if (m.has_id)
      id = m.id;
    auto fail = [&](int status, int code, const std::string& message, json_text data = {}) {
      respond(error_response(status, code, message, {}, id, std::move(data)));
    };
    if (m.is_response())
      return fail(400, jsonrpc::code::invalid_request,
                  "Bad Request: clients send no responses under 2026-07-28");
    auto* meta = m.params == nullptr ? nullptr : find_member(*m.params, "_meta");
    auto version =
        meta == nullptr ? std::nullopt : get_string(*meta, protocol::meta_protocol_version);
    auto* caps = meta == nullptr ? nullptr : find_member(*meta, protocol::meta_client_capabilities);
    if (!version || caps == nullptr || !caps->IsObject())
      return fail(400, jsonrpc::code::invalid_params,
                  "Invalid params: _meta needs io.modelcontextprotocol/protocolVersion and "
                  "io.modelcontextprotocol/clientCapabilities");
    if (!protocol::is_stateless_version(*version)) {
      return fail(400, jsonrpc::code::unsupported_protocol_version, "Unsupported protocol version",
                  json_text{protocol::unsupported_version_data(*version,
                                                               self->state.http->stateless_only)});
    }
    if (auto mismatch = header_mismatch(m, *version))
      return fail(400, header_mismatch_code, "Bad Request: " + *mismatch);
    if (m.is_notification())
      return respond({202, {}, {}});
    if (!is_stateless_method(m.method))
      return fail(404, jsonrpc::code::method_not_found, "Method not found: " + m.method);
    create(session_kind::stateless);
  }

  // What the Mcp-Method, Mcp-Name and MCP-Protocol-Version headers must repeat of the body.
  std::optional<std::string> header_mismatch(const jsonrpc::message& m, std::string_view version) {
    auto method = request.header("mcp-method");
    if (!method || *method != m.method)
      return "the Mcp-Method header must equal the body's method";
    auto header_version = request.header("mcp-protocol-version");
    if (!header_version || *header_version != version)
      return "the MCP-Protocol-Version header must equal _meta's protocolVersion";
    std::string_view name_member =
        m.method == protocol::method::resources_read ? "uri"
        : m.method == protocol::method::tools_call || m.method == protocol::method::prompts_get
            ? "name"
            : "";
    if (name_member.empty())
      return std::nullopt;
    auto name = m.params == nullptr ? std::nullopt : get_string(*m.params, name_member);
    auto header = request.header("mcp-name");
    if (!name || !header || *header != *name)
      return "the Mcp-Name header must equal the body's " + std::string{name_member};
    return std::nullopt;
  }

  void legacy_stream() {
    if (request.method != "GET")
      return respond(
          {405, {{"allow", "GET"}, {"content-type", "text/plain"}}, "Method Not Allowed\n"});
    create(session_kind::legacy);
  }

  void legacy_messages() {
    if (request.method != "POST")
      return respond(
          {405, {{"allow", "POST"}, {"content-type", "text/plain"}}, "Method Not Allowed\n"});
    if (!is_json(request))
      return refuse(415, -32000, "Unsupported Media Type: Content-Type must be application/json");
    if (auto s = find(request.query("sessionId"), session_kind::legacy,
                      "Bad Request: the sessionId query parameter is required"))
      forward(s);
  }
};

} // namespace

void route_http(broker_actor* self, const caf::actor& exchange, http_request& request) {
  router r{self, exchange, request};
  auto& options = *self->state.http;
  // DNS rebinding defences first: a page elsewhere must not reach a local server.
  if (!host_allowed(request.header("host"), options))
    return r.refuse(403, -32000, "Forbidden: invalid Host header");
  if (auto origin = request.header("origin"); origin && !origin_allowed(*origin, options))
    return r.refuse(403, -32000, "Forbidden: invalid Origin header");
  auto path = request.path();
  if (path == options.endpoint)
    return r.streamable();
  if (!options.metrics_path.empty() && path == options.metrics_path)
    return r.metrics();
  if (options.stateless_only) // sessionful transports are off
    return r.respond({404, {{"content-type", "text/plain"}}, "Not Found\n"});
  if (path == options.sse_path)
    return r.legacy_stream();
  if (path == options.messages_path)
    return r.legacy_messages();
  r.respond({404, {{"content-type", "text/plain"}}, "Not Found\n"});
}

} // namespace mcp::actors
