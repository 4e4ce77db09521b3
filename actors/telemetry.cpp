#include "actors/telemetry.hpp"

#include "protocol/json_writer.hpp"

#include <cstdio>
#include <ctime>
#include <iostream>

namespace mcp {

std::optional<log_severity> parse_log_severity(std::string_view name) {
  for (auto [text, s] : {std::pair{"debug", log_severity::debug},
                         {"info", log_severity::info},
                         {"warning", log_severity::warning},
                         {"error", log_severity::error},
                         {"off", log_severity::off}})
    if (name == text)
      return s;
  return std::nullopt;
}

} // namespace mcp

namespace mcp::actors {

rejection rejection_of_status(int status) {
  switch (status) {
  case 400:
    return rejection::bad_request;
  case 401:
    return rejection::unauthorized;
  case 403:
    return rejection::forbidden;
  case 404:
    return rejection::not_found;
  case 405:
    return rejection::method_not_allowed;
  case 406:
    return rejection::not_acceptable;
  case 409:
    return rejection::conflict;
  case 413:
    return rejection::payload_too_large;
  case 415:
    return rejection::unsupported_type;
  case 429:
    return rejection::too_many_requests;
  case 431:
    return rejection::headers_too_large;
  case 503:
    return rejection::unavailable;
  default:
    return rejection::other;
  }
}

void latency_histogram::observe(std::chrono::nanoseconds elapsed) {
  auto seconds = std::chrono::duration<double>(elapsed).count();
  std::size_t i = 0;
  while (i < bounds.size() && seconds > bounds[i])
    ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(elapsed.count()), std::memory_order_relaxed);
}

namespace {

void line(std::string& out, std::string_view name, std::string_view labels, double value) {
  char number[32];
  std::snprintf(number, sizeof number, "%.17g", value);
  out.append(name);
  if (!labels.empty())
    out.append("{").append(labels).append("}");
  out.append(" ").append(number).append("\n");
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

template <class Atomic>
void single(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            const Atomic& value) {
  header(out, name, type, help);
  line(out, name, {}, static_cast<double>(value.load(std::memory_order_relaxed)));
}

constexpr std::array<std::string_view, static_cast<std::size_t>(rejection::count_)> rejection_names{
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "conflict",
    "payload_too_large",
    "unsupported_media_type",
    "too_many_requests",
    "headers_too_large",
    "unavailable",
    "connection_cap",
    "other"};

} // namespace

std::string_view to_string(rejection why) { return rejection_names[static_cast<std::size_t>(why)]; }

void latency_histogram::render(std::string& out, std::string_view name,
                               std::string_view help) const {
  header(out, name, "histogram", help);
  std::string bucket{name};
  bucket += "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    char le[40];
    if (i < bounds.size())
      std::snprintf(le, sizeof le, "le=\"%g\"", bounds[i]);
    else
      std::snprintf(le, sizeof le, "le=\"+Inf\"");
    line(out, bucket, le, static_cast<double>(cumulative));
  }
  line(out, std::string{name} + "_sum", {},
       static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  line(out, std::string{name} + "_count", {}, static_cast<double>(cumulative));
}

std::string render_prometheus(const metrics& m, const session_counts& sessions) {
  std::string out;
  header(out, "mcp_sessions", "gauge", "Sessions alive, by transport.");
  line(out, "mcp_sessions", R"(kind="streamable")", static_cast<double>(sessions.streamable));
  line(out, "mcp_sessions", R"(kind="legacy")", static_cast<double>(sessions.legacy));
  line(out, "mcp_sessions", R"(kind="stateless")", static_cast<double>(sessions.stateless));
  line(out, "mcp_sessions", R"(kind="channel")", static_cast<double>(sessions.channel));
  single(out, "mcp_sessions_opened_total", "counter", "Sessions created.", m.sessions_opened);
  single(out, "mcp_sessions_closed_total", "counter", "Sessions ended (any reason).",
         m.sessions_closed);
  single(out, "mcp_sse_streams_open", "gauge", "SSE streams with a connection.", m.streams_open);
  single(out, "mcp_sse_events_unacknowledged", "gauge",
         "SSE events written to a stream and not yet on its socket.", m.events_unacknowledged);
  single(out, "mcp_sse_events_sent_total", "counter", "SSE events written to connections.",
         m.events_sent);
  single(out, "mcp_sse_events_dropped_total", "counter",
         "Droppable notifications not sent to a client that stopped reading.", m.events_dropped);
  single(out, "mcp_sse_replays_total", "counter",
         "Streams resumed (Last-Event-ID, or a GET stream reconnected).", m.replays);
  single(out, "mcp_sse_events_replayed_total", "counter", "SSE events sent again on resumption.",
         m.events_replayed);
  single(out, "mcp_requests_total", "counter", "JSON-RPC requests handed to handlers.", m.requests);
  single(out, "mcp_request_timeouts_total", "counter", "Requests answered with a timeout error.",
         m.request_timeouts);
  m.request_seconds.render(out, "mcp_request_duration_seconds",
                           "Time from a request's arrival at its session to its answer.");
  single(out, "mcp_http_connections_open", "gauge", "TCP connections of the HTTP server.",
         m.connections_open);
  header(out, "mcp_http_rejections_total", "counter", "HTTP requests and connections refused.");
  for (std::size_t i = 0; i < rejection_names.size(); ++i)
    line(out, "mcp_http_rejections_total", "reason=\"" + std::string{rejection_names[i]} + "\"",
         static_cast<double>(m.rejections[i].load(std::memory_order_relaxed)));
  single(out, "mcp_cluster_relayed_total", "counter",
         "Requests relayed to the instance running their session.", m.cluster_relayed);
  single(out, "mcp_cluster_takeovers_total", "counter",
         "Sessions taken over from an instance whose lease lapsed.", m.cluster_takeovers);
  single(out, "mcp_cluster_store_errors_total", "counter",
         "Times the shared session store could not be reached.", m.cluster_store_errors);
  return out;
}

server_log::server_log(log_options options) : options_(std::move(options)) {}

void server_log::write(log_severity s, std::string_view event,
                       std::initializer_list<log_field> fields) {
  if (!enabled(s))
    return;
  static constexpr std::array<std::string_view, 4> names{"debug", "info", "warning", "error"};
  auto now = std::chrono::system_clock::now();
  auto seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char ts[32];
  auto n = std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(ts + n, sizeof ts - n, ".%03dZ", static_cast<int>(millis.count()));
  protocol::json_writer w;
  w.begin_object().member("ts", ts).member("level", names[static_cast<std::size_t>(s)]);
  w.member("event", event);
  for (auto& [name, value] : fields)
    w.optional_member(name, value);
  w.end_object();
  auto text = w.str();
  std::lock_guard<std::mutex> guard{sink_mutex_};
  if (options_.sink)
    options_.sink(text);
  else
    std::cerr << text << '\n';
}

} // namespace mcp::actors
