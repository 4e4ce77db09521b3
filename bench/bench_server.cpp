// bench_server: the MCP server the benchmarks drive, with the same tools as the TypeScript
// peer (bench/peer/ts_server.mjs) so that both do the same work per call:
//   echo {text}            returns the text
//   stream_progress {count} sends `count` progress notifications, then returns
//   touch_resource {uri}   notifies every session subscribed to `uri` (bench://watched)
// The tools never wait and say so (`may_block = false`). Its limits are raised for the benchmark's
// sizes (100k sessions, 10k events per stream); everything else is the library's default
// configuration.
//
//   bench_server --port 0 [--json-responses]     prints its URL, serves until SIGTERM
//                [--redis URL [--instance N]]   one instance of a cluster (bench/run.py (8))
//                [--log-level L]
#include <mcp/http.hpp>
#include <mcp/redis.hpp>
#include <mcp/runtime.hpp>

#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

namespace {

mcp::tool_result text(std::string s) { return {{mcp::content_block::text(std::move(s))}}; }

// The benchmark's tools never wait, so they say so and run on their request's actor (the
// TypeScript SDK runs every tool on its one event loop).
mcp::tool quick(mcp::tool t) {
  t.may_block = false;
  return t;
}

mcp::server make_server() {
  mcp::server s{{"mcp-sse-bench", "0.1.0"}};
  s.add_tool(
      quick({"echo",
             "Echoes its text",
             {R"({"type":"object","properties":{"text":{"type":"string"}},"required":["text"]})"},
             [](const mcp::json_value& args, mcp::request_context&) {
               return text(mcp::get_string(args, "text").value_or(""));
             }}));
  s.add_tool(quick({"stream_progress",
                    "Sends count progress notifications, then returns",
                    {R"({"type":"object","properties":{"count":{"type":"integer"}}})"},
                    [](const mcp::json_value& args, mcp::request_context& ctx) {
                      auto count = mcp::get_int(args, "count").value_or(1);
                      for (std::int64_t i = 1; i <= count; ++i)
                        ctx.progress(static_cast<double>(i), static_cast<double>(count));
                      return text("sent " + std::to_string(count));
                    }}));
  s.add_resource({"bench://watched", "watched", [](const std::string& uri, auto&) {
                    return std::vector<mcp::resource_contents>{{uri, "text/plain", "watched"}};
                  }});
  return s;
}

} // namespace

int main(int argc, char** argv) {
  mcp::http_options http;
  http.connections_max = 200'000; // the idle workload holds as many as descriptors allow
  mcp::runtime_options options;
  std::optional<mcp::redis_options> redis;
  for (int i = 1; i < argc; ++i) {
    auto is = [&](const char* flag) { return std::strcmp(argv[i], flag) == 0 && i + 1 < argc; };
    if (std::strcmp(argv[i], "--json-responses") == 0) {
      http.json_responses = true;
    } else if (is("--port")) {
      http.port = static_cast<std::uint16_t>(std::stoul(argv[++i]));
    } else if (is("--redis") || is("--instance")) {
      if (!redis)
        redis.emplace();
      (std::strcmp(argv[i], "--redis") == 0 ? redis->url : redis->instance) = argv[i + 1];
      ++i;
    } else if (is("--log-level") && mcp::parse_log_severity(argv[i + 1])) {
      options.log.level = *mcp::parse_log_severity(argv[++i]);
    } else {
      std::cerr << "usage: bench_server [--port P] [--json-responses] [--redis URL [--instance N]]"
                   " [--log-level L]\n";
      return 2;
    }
  }
  if (redis)
    options.cluster = mcp::redis_cluster(*redis);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  options.bounds.sessions_max = 200'000;
  options.bounds.stream_events_max = 16'384;     // the resume workload replays 10k events
  options.bounds.outbound_messages_max = 16'384; // and the progress one must lose none
  mcp::server_runtime runtime{make_server(), options};
  runtime.update([&runtime](mcp::server& s) {
    s.add_tool({"touch_resource",
                "Notifies the sessions subscribed to uri",
                {R"({"type":"object","properties":{"uri":{"type":"string"}}})"},
                [&runtime](const mcp::json_value& args, mcp::request_context&) {
                  runtime.resource_updated(
                      mcp::get_string(args, "uri").value_or("bench://watched"));
                  return text("touched");
                }});
  });
  mcp::http_server server{runtime, http};
  std::cout << "bench_server: " << server.url() << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.stop();
}
