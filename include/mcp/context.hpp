// What a handler can do while it runs: report progress, notice cancellation, log to the
// client, and call the client (sampling, elicitation, roots).
//
//   mcp::tool_result slow(const mcp::json_value&, mcp::request_context& ctx) {
//     for (int i = 1; i <= 10 && !ctx.cancelled(); ++i)
//       ctx.progress(i, 10, "step " + std::to_string(i));
//     ctx.log(mcp::log_level::info, "slow", R"("done")");
//     ...
//   }
#pragma once

#include <mcp/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mcp {

// RFC 5424 severities, as logging/setLevel names them.
enum class log_level { debug, info, notice, warning, error, critical, alert, emergency };

std::string_view to_string(log_level level);
std::optional<log_level> parse_log_level(std::string_view name);

// The peer's answer to a request we sent it.
struct peer_reply {
  std::shared_ptr<const json_document> result; // set on success
  int error_code = 0;                          // set on failure
  std::string error_message;
  bool ok() const { return result != nullptr; }
};

class request_context {
public:
  virtual ~request_context() = default;

  // True once the caller cancelled the request or its deadline passed: stop early; the
  // value returned afterwards is discarded.
  virtual bool cancelled() const = 0;

  // Sends notifications/progress when the caller asked for it (a progressToken); values
  // that do not increase are ignored, as the specification requires.
  virtual void progress(double progress, std::optional<double> total = std::nullopt,
                        std::string message = {}) = 0;

  // Sends notifications/message if `level` is at or above the session's logging level.
  // `data` is JSON text (a string must be quoted).
  virtual void log(log_level level, std::string logger, json_text data) = 0;

  // Sends a request to the peer and waits for its reply (or the outgoing deadline).
  // Needs a worker thread: in inline execution it fails at once with an error reply.
  virtual peer_reply call_peer(std::string method, json_text params) = 0;

  // Closes the connection that streams this request's messages (SSE polling, 2025-11-25):
  // the client reconnects with Last-Event-ID after the stream's `retry` and misses
  // nothing. Does nothing where the request has no such stream (stdio, JSON responses).
  virtual void close_stream() = 0;

  // The protocol revision this request is served under.
  virtual const std::string& protocol_version() const = 0;

  // The client's declared capabilities, as JSON text ("{}" when none).
  virtual const std::string& client_capabilities() const = 0;
};

} // namespace mcp
