// MCP over HTTP: Streamable HTTP (2025-03-26 and later) at one endpoint, and the legacy
// HTTP+SSE transport (2024-11-05) at its two paths, on one port, served by Boost.Beast.
//
//   mcp::server_runtime rt{srv};
//   mcp::http_options o;          // 127.0.0.1, a free port, /mcp, /sse + /messages
//   o.port = 8080;
//   mcp::http_server http{rt, o};
//   std::cout << http.url() << "\n";  // http://127.0.0.1:8080/mcp
//   http.wait();                       // until stop() (or a signal handler calls it)
#pragma once

#include <mcp/auth.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mcp {

class server_runtime;

struct http_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0; // 0: any free port; port() tells which
  std::string endpoint = "/mcp";
  std::string sse_path = "/sse";           // legacy: GET opens the stream
  std::string messages_path = "/messages"; // legacy: POST ?sessionId=...
  // Answer POSTed requests with one application/json body instead of an SSE stream.
  bool json_responses = false;
  // Serve only stateless 2026-07-28 requests: no sessions to share between instances, so
  // any instance behind a plain load balancer can answer. initialize is refused with
  // the supported versions; the legacy paths answer 404.
  bool stateless_only = false;
  // Host header values accepted (with any port); empty: the loopback names
  // 127.0.0.1, localhost and [::1]. A request with another Host gets 403.
  std::vector<std::string> allowed_hosts;
  // Origin values accepted (scheme://host, any port); empty: loopback origins. A request
  // with another Origin gets 403; a request without Origin is accepted.
  std::vector<std::string> allowed_origins;
  std::int64_t keepalive_ms = 15'000; // SSE comment on every open stream
  std::int64_t retry_ms = 1'000;      // the `retry` a 2025-11-25 client waits before resuming
  std::int64_t session_idle_ms = 30 * 60 * 1'000; // a session with no traffic ends
  std::int64_t initialize_timeout_ms = 60'000;    // a session not initialized by then ends
  // Authentication: given the Authorization header ("" when absent), the principal the
  // request acts for, or nullopt to refuse it with 401. Sessions are bound to the
  // principal that created them; another principal gets 404 for them. Runs on the I/O
  // thread: keep it fast. Unset: no authentication.
  std::function<std::optional<std::string>(const std::string& authorization)> authenticate;
  // The WWW-Authenticate value of a 401 (RFC 6750).
  std::string www_authenticate = "Bearer";
  // OAuth 2.1 bearer tokens (mcp/auth.hpp); when set, `authenticate` is not used.
  std::optional<oauth_resource> oauth;
  std::size_t io_threads = 1;
  // Open TCP connections; one more is answered 503 and closed at once. Keep it below the
  // process's descriptor limit (ulimit -n) so the server can always accept and refuse.
  std::size_t connections_max = 4096;
  // A client gets this long to send a whole request (head and body), and an idle kept-alive
  // connection this long before its next one; then the connection closes (slowloris). An
  // answered SSE stream has no such bound.
  std::int64_t request_read_timeout_ms = 30'000;
  // GET here answers the server's figures in Prometheus text format (sessions, streams,
  // queued and dropped events, replays, request latency, rejections by reason); subject to
  // the same Host, Origin and authentication checks as the MCP paths. Empty: not served.
  std::string metrics_path = "/metrics";
};

class http_server {
public:
  // Binds and starts serving; throws std::system_error when the address is taken.
  http_server(server_runtime& runtime, http_options options = {});
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  std::uint16_t port() const;
  std::string url() const; // of the Streamable HTTP endpoint
  // Stops accepting, lets sessions answer what is pending, closes every connection.
  void stop();
  // Blocks until stop() was called (from another thread or a signal handler's thread).
  void wait();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace mcp
