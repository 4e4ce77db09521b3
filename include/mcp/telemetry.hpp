// What a running server tells its operators: structured logs (one JSON object per line,
// naming the session and request they concern) and the figures behind GET /metrics
// (Prometheus text format; see http_options::metrics_path).
//
//   mcp::runtime_options o;
//   o.log.level = mcp::log_severity::info;                          // default: warning
//   o.log.sink = [](const std::string& line) { std::clog << line << '\n'; }; // default: stderr
//   // {"ts":"2026-11-25T10:00:00.123Z","level":"info","event":"session_opened",
//   //  "session":"3f2a...","kind":"streamable"}
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mcp {

enum class log_severity { debug, info, warning, error, off };
// "debug", "info", "warning", "error", "off"; nullopt for anything else.
std::optional<log_severity> parse_log_severity(std::string_view name);

struct log_options {
  log_severity level = log_severity::warning;
  // Receives each line without its newline; called from several threads, one line at a
  // time. Unset: standard error.
  std::function<void(const std::string& line)> sink;
};

} // namespace mcp
