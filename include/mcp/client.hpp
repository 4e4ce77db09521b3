// An MCP client session: initialize, calls with deadlines and cancellation, the server's
// notifications, and handlers for the server's requests (sampling, elicitation, roots).
// A transport creates it (connect_in_process here; HTTP and stdio in later headers).
//
//   mcp::client_options o;
//   o.on_notification = [](const std::string& method, const std::string& params) {...};
//   auto c = mcp::connect_in_process(rt, o);
//   c->initialize();
//   auto r = c->call("tools/call", {R"({"name":"echo","arguments":{"text":"hi"}})"});
//   if (r.ok()) use(*r.result);
#pragma once

#include <mcp/context.hpp>
#include <mcp/json.hpp>
#include <mcp/limits.hpp>
#include <mcp/server.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mcp {

// Answers one request of the server: returns the result as JSON text, or throws rpc_error.
using client_request_handler = std::function<json_text(const json_value& params, request_context&)>;
using notification_handler =
    std::function<void(const std::string& method, const std::string& params)>;
// Progress of one call, as notifications/progress reports it.
using progress_handler =
    std::function<void(double progress, std::optional<double> total, const std::string& message)>;

// How an HTTP client recovers a stream: the server's `retry` first, then a capped
// exponential backoff with full jitter; after `attempts_max` the request it owed fails.
struct reconnect_options {
  std::int64_t initial_delay_ms = 100;
  std::int64_t max_delay_ms = 10'000;
  std::size_t attempts_max = 8;
};

// Which HTTP transport to speak: found from the first initialize, or forced.
enum class http_transport { automatic, streamable, legacy };

struct client_options {
  implementation_info info{"mcp-sse-client", "0.1.0", {}};
  limits bounds;
  // Declared in initialize; add "sampling", "elicitation", "roots" with their handlers.
  json_text capabilities{"{}"};
  std::map<std::string, client_request_handler> request_handlers;
  notification_handler on_notification;
  // HTTP: reconnection, and what to do when the server forgot the session (the client has
  // already re-initialized by then; state held on the server side is gone).
  reconnect_options reconnect;
  std::function<void()> on_session_replaced;
  // HTTP: told which transport the server speaks ("Streamable HTTP" or "legacy HTTP+SSE"),
  // found from the first initialize as the specification describes.
  std::function<void(const std::string&)> on_transport;
  http_transport transport = http_transport::automatic;
  // Streamable HTTP: hold a GET stream for what the server sends on its own (list changes,
  // resource updates). Without it those are not received, and an idle session may expire.
  bool open_get_stream = true;
};

// A call in flight: wait for its reply, or cancel it (notifications/cancelled is sent
// and the reply becomes a request_cancelled error).
class pending_call {
public:
  std::future<peer_reply>& reply() { return reply_; }
  void cancel(const std::string& reason = "cancelled by the client");

private:
  friend class client;
  std::future<peer_reply> reply_;
  std::function<void(const std::string&)> cancel_;
};

class client {
public:
  struct internals;
  explicit client(std::unique_ptr<internals> impl);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Sends initialize, then notifications/initialized when it succeeded.
  peer_reply initialize(const std::string& version = "2025-11-25");
  // `timeout`: this call's deadline; unset, limits::outgoing_request_timeout_ms. At the
  // deadline the call ends with a -32001 error (and the server is told it was cancelled).
  // `on_progress`: asks the server for progress (a progressToken of the client's own) and
  // receives it, until the call ends.
  pending_call call_async(const std::string& method, json_text params = {},
                          std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                          progress_handler on_progress = {});
  peer_reply call(const std::string& method, json_text params = {},
                  std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                  progress_handler on_progress = {});
  void notify(const std::string& method, json_text params = {});
  // Ends the session: pending calls fail, the transport closes.
  void close();

private:
  std::unique_ptr<internals> impl_;
  std::string version_;
};

class server_runtime;

// A client connected to a runtime in the same process, without any I/O.
std::unique_ptr<client> connect_in_process(server_runtime& runtime, client_options options = {});

// A client of an MCP server over HTTP, e.g. "http://127.0.0.1:3001/mcp". It speaks
// Streamable HTTP, and falls back to the legacy HTTP+SSE transport when the server
// answers the initialize POST with 400, 404 or 405 (give the legacy SSE URL then, e.g.
// ".../sse"). Throws std::invalid_argument for a URL it cannot use.
std::unique_ptr<client> connect_http(const std::string& url, client_options options = {});

// A client of a server started as a child process (`command[0]` looked up on PATH),
// over stdio. Closing the client closes the server's stdin; it is reaped (or ended).
std::unique_ptr<client> connect_stdio(const std::vector<std::string>& command,
                                      client_options options = {});

} // namespace mcp
