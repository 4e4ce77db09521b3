// The load client's workloads. Each runs on the calling coroutine's executor and returns
// one JSON object with its figures (a line of bench/run's output).
//
//   auto figures = co_await load::progress_stream(options);
#pragma once

#include "bench/load/link.hpp"

#include <cstdint>
#include <string>

namespace load {

struct options {
  endpoint where;       // the Streamable HTTP endpoint
  std::string sse_path; // the legacy transport's GET path
  std::size_t sessions = 200;
  std::size_t concurrency = 200; // sessions being opened at once
  std::int64_t count = 10'000;   // events of the resume and progress workloads
  double duration_s = 5;
  std::int64_t hold_ms = 0;      // idle: keep the streams this long after reporting
  std::int64_t settle_ms = 1000; // resume: how long the server gets to finish the tool
};

// A Streamable HTTP session for another load generator (wrk): {"session":..,"version":..}.
net::awaitable<std::string> open_session(options o);
// (3) legacy HTTP+SSE: `sessions` sessions, each making sequential echo calls.
net::awaitable<std::string> legacy_calls(options o);
// (4) idle sessions, each holding a GET stream: open rate (and the server's RSS, taken by
// the runner while they are held); (5) with `fanout`, each subscribes, and one
// resources/updated reaches all of them.
net::awaitable<std::string> idle_sessions(options o, bool fanout);
// (6) a tool's stream cut after its first event, resumed with Last-Event-ID.
net::awaitable<std::string> resume_stream(options o);
// (7) a tool streaming `count` progress notifications to one client.
net::awaitable<std::string> progress_stream(options o);

} // namespace load
