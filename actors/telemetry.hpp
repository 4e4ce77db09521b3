// The server's counters, gauges and latency histogram (lock-free, written from actors and
// I/O threads alike), its structured log, and the Prometheus text that /metrics serves.
// One per runtime; everything that reports holds a pointer to it.
#pragma once

#include <mcp/telemetry.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace mcp::actors {

// Why the server refused an HTTP request or connection: the label of
// mcp_http_rejections_total.
enum class rejection : std::size_t {
  bad_request,        // 400: malformed HTTP or JSON, missing or bad headers
  unauthorized,       // 401
  forbidden,          // 403: Host or Origin not allowed
  not_found,          // 404: unknown path or session
  method_not_allowed, // 405
  not_acceptable,     // 406
  conflict,           // 409: a second stream
  payload_too_large,  // 413
  unsupported_type,   // 415
  too_many_requests,  // 429: streams per session
  headers_too_large,  // 431
  unavailable,        // 503: session cap, closing session, server stopping
  connection_cap,     // a TCP connection refused before any request
  other,
  count_
};

rejection rejection_of_status(int status);
std::string_view to_string(rejection why);

class latency_histogram {
public:
  // Upper bounds in seconds (Prometheus `le`), then +Inf.
  static constexpr std::array<double, 14> bounds{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};
  void observe(std::chrono::nanoseconds elapsed);
  void render(std::string& out, std::string_view name, std::string_view help) const;

private:
  std::array<std::atomic<std::uint64_t>, bounds.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_ns_{0};
};

struct metrics {
  std::atomic<std::uint64_t> sessions_opened{0};
  std::atomic<std::uint64_t> sessions_closed{0};
  std::atomic<std::int64_t> streams_open{0};
  std::atomic<std::int64_t> events_unacknowledged{0}; // written to a stream, not yet on the socket
  std::atomic<std::uint64_t> events_sent{0};
  std::atomic<std::uint64_t> events_dropped{0}; // droppable notifications a slow reader lost
  std::atomic<std::uint64_t> replays{0};        // resumptions (Last-Event-ID or reconnect)
  std::atomic<std::uint64_t> events_replayed{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> request_timeouts{0};
  std::atomic<std::int64_t> connections_open{0};
  std::atomic<std::uint64_t> cluster_relayed{0};      // requests sent to another instance
  std::atomic<std::uint64_t> cluster_takeovers{0};    // sessions taken over from dead owners
  std::atomic<std::uint64_t> cluster_store_errors{0}; // the shared store could not be reached
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(rejection::count_)> rejections{};
  latency_histogram request_seconds;

  // Returns how many refusals of that kind there have been, this one included.
  std::uint64_t reject(rejection why) { return ++rejections[static_cast<std::size_t>(why)]; }
};

// Sessions alive by kind, as the broker counts them at scrape time.
struct session_counts {
  std::size_t streamable = 0, legacy = 0, stateless = 0, channel = 0;
};

// The Prometheus text exposition (format 0.0.4) of everything above.
std::string render_prometheus(const metrics& m, const session_counts& sessions);

using log_field = std::pair<std::string_view, std::string_view>;

class server_log {
public:
  explicit server_log(log_options options);
  bool enabled(log_severity s) const { return s >= options_.level && s != log_severity::off; }
  // {"ts":...,"level":...,"event":event, fields...}; empty field values are left out.
  void write(log_severity s, std::string_view event, std::initializer_list<log_field> fields);

private:
  log_options options_;
  std::mutex sink_mutex_;
};

struct telemetry {
  explicit telemetry(log_options log_opts = {}) : log(std::move(log_opts)) {}
  metrics stats;
  server_log log;
};

} // namespace mcp::actors
