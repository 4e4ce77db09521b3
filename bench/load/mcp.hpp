// What the load client says in MCP: the JSON-RPC messages of the workloads, the session
// handshake, reading a reply out of a JSON or SSE body, and latency figures.
//
//   auto s = co_await load::initialize(link, where);   // Streamable HTTP session
//   auto res = co_await link.exchange(load::post(where, s.id, s.version, load::echo(7)));
//   bool ok = load::reply_id(res.body(), is_sse(res)) == 7;
#pragma once

#include "bench/load/link.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace load {

inline const std::string protocol_version = "2025-11-25";

std::string initialize_request(std::int64_t id);
std::string initialized_notification();
std::string echo_call(std::int64_t id, const std::string& text = "hello");
std::string progress_call(std::int64_t id, std::int64_t count, const std::string& token);
std::string touch_call(std::int64_t id);
std::string subscribe_request(std::int64_t id);

// The id of the JSON-RPC response (result or error) in `text`, if it is one.
std::optional<std::int64_t> response_id(const std::string& text);
bool is_error_response(const std::string& text);
// notifications/progress: its progress value; notifications/resources/updated: true.
std::optional<double> progress_of(const std::string& text);
bool is_resource_updated(const std::string& text);
// The id of the JSON-RPC response in a POST's response body, JSON or SSE.
std::optional<std::int64_t> reply_id(const response& res);

struct session {
  std::string id;
  std::string version;
};
// initialize + notifications/initialized over Streamable HTTP on `l`.
net::awaitable<session> initialize(link& l, const endpoint& where);

// Latencies of finished calls, in microseconds.
class latencies {
public:
  void add(std::chrono::steady_clock::duration d) {
    us_.push_back(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
  }
  void merge(const latencies& other) { us_.insert(us_.end(), other.us_.begin(), other.us_.end()); }
  std::size_t count() const { return us_.size(); }
  // "p50_us":..,"p99_us":..,"p999_us":.. (sorts)
  std::string json_fields();

private:
  std::vector<std::int64_t> us_;
};

} // namespace load
