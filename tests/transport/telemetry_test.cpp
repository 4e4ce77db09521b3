// What operators see of the real server: GET /metrics in Prometheus text format, whose
// figures follow what happened (sessions, streams, replays, rejections, latency) and whose
// gauges return to zero when everything is closed; and the structured log, one JSON object
// per line naming the session it concerns.
#include "tests/support/eventually.hpp"
#include "tests/support/http_fixture.hpp"

#include <catch2/catch.hpp>

#include <mutex>
#include <regex>

using namespace mcp;
using test::http_fixture;
using test::request;

namespace {

// The value of one sample line ("name{labels} value"), or -1 when it is missing.
double sample(const std::string& text, const std::string& series) {
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos)
    return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

struct captured_log {
  std::mutex m;
  std::vector<std::string> lines;
  log_options options() {
    return {log_severity::info, [this](const std::string& line) {
              std::lock_guard<std::mutex> g{m};
              lines.push_back(line);
            }};
  }
  std::vector<std::shared_ptr<json_document>> events(const std::string& event) {
    std::lock_guard<std::mutex> g{m};
    std::vector<std::shared_ptr<json_document>> out;
    for (auto& l : lines) {
      auto doc = test::parse(l); // every line is one JSON object
      if (test::str_at(*doc, "/event") == event)
        out.push_back(doc);
    }
    return out;
  }
};

} // namespace

TEST_CASE("metrics: /metrics follows sessions, streams, replays, rejections and latency",
          "[telemetry]") {
  http_fixture f;
  auto scrape = [&] {
    auto r = f.client().send("GET", "/metrics", {});
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
    return "\n" + r.body;
  };
  auto before = scrape();
  CHECK(sample(before, R"(mcp_sessions{kind="streamable"})") == 0);
  CHECK(sample(before, "mcp_requests_total") == 0);

  auto sid = f.initialize();
  auto h = f.session_headers(sid);
  // A GET stream, a call answered on a POST stream, a refusal, and a resumption.
  auto stream = f.client();
  auto get = h;
  get["accept"] = "text/event-stream";
  REQUIRE(stream.open("GET", "/mcp", get).status == 200);
  auto call = f.client().send(
      "POST", "/mcp", h, request(2, "tools/call", R"({"name":"echo","arguments":{"text":"m"}})"));
  REQUIRE(call.status == 200);
  auto call_stream_first = test::events_of(call.body).front().id;
  CHECK(f.client().send("POST", "/mcp", test::post_headers, request(3, "tools/list")).status ==
        400);
  auto resume = get;
  resume["last-event-id"] = call_stream_first;
  auto replayed = f.client().send("GET", "/mcp", resume);
  CHECK(replayed.status == 200);
  CHECK(f.client().send("GET", "/elsewhere", {}).status == 404);

  auto during = scrape();
  CHECK(sample(during, R"(mcp_sessions{kind="streamable"})") == 1);
  CHECK(sample(during, "mcp_sessions_opened_total") == 1);
  CHECK(sample(during, "mcp_sse_streams_open") == 1); // the GET stream
  CHECK(sample(during, "mcp_sse_replays_total") == 1);
  CHECK(sample(during, "mcp_sse_events_replayed_total") == 1); // the echo's answer
  CHECK(sample(during, "mcp_requests_total") == 1);            // tools/call (initialize is not
                                                               // a handler's request)
  CHECK(sample(during, R"(mcp_request_duration_seconds_bucket{le="+Inf"})") == 1);
  CHECK(sample(during, "mcp_request_duration_seconds_count") == 1);
  CHECK(sample(during, R"(mcp_http_rejections_total{reason="bad_request"})") == 1);
  CHECK(sample(during, R"(mcp_http_rejections_total{reason="not_found"})") == 1);
  CHECK(sample(during, "mcp_http_connections_open") >= 2);

  // Everything closed: gauges back to zero, counters kept.
  stream.disconnect();
  CHECK(f.client().send("DELETE", "/mcp", h).status == 200);
  std::string after;
  CHECK(test::eventually([&] {
    after = scrape();
    return sample(after, R"(mcp_sessions{kind="streamable"})") == 0 &&
           sample(after, "mcp_sse_streams_open") == 0 &&
           sample(after, "mcp_sse_events_unacknowledged") == 0;
  }));
  CHECK(sample(after, "mcp_sessions_closed_total") == 1);
  CHECK(sample(after, "mcp_sse_events_sent_total") >= 3);
}

TEST_CASE("metrics: /metrics is behind the same Host check and can be switched off",
          "[telemetry]") {
  http_fixture f;
  CHECK(f.client().send("GET", "/metrics", {{"host", "attacker.example"}}).status == 403);
  CHECK(f.client().send("POST", "/metrics", {}, "{}").status == 405);
  http_options off;
  off.metrics_path.clear();
  http_fixture g{off};
  CHECK(g.client().send("GET", "/metrics", {}).status == 404);
}

TEST_CASE("logs: one JSON object per line, naming the session and the refusal", "[telemetry]") {
  captured_log log;
  runtime_options ro;
  ro.log = log.options();
  {
    http_fixture f{{}, ro};
    auto sid = f.initialize();
    auto h = f.session_headers(sid);
    h["mcp-session-id"] = std::string(32, '0');
    CHECK(f.client().send("POST", "/mcp", h, request(2, "ping")).status == 404);
    CHECK(f.client().send("DELETE", "/mcp", f.session_headers(sid)).status == 200);
    CHECK(test::eventually([&] { return !log.events("session_closed").empty(); }));

    auto opened = log.events("session_opened");
    REQUIRE(opened.size() == 1);
    CHECK(test::str_at(*opened[0], "/session") == sid);
    CHECK(test::str_at(*opened[0], "/kind") == "streamable");
    CHECK(test::str_at(*opened[0], "/level") == "info");
    CHECK(std::regex_match(test::str_at(*opened[0], "/ts"),
                           std::regex{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"}));
    auto closed = log.events("session_closed");
    CHECK(test::str_at(*closed[0], "/session") == sid);
    CHECK(test::str_at(*closed[0], "/reason") == "the client ended the session");
    auto rejected = log.events("http_rejected");
    REQUIRE(rejected.size() == 1);
    CHECK(test::str_at(*rejected[0], "/status") == "404");
    CHECK(test::str_at(*rejected[0], "/reason") == "not_found");
    CHECK(test::str_at(*rejected[0], "/session") == std::string(32, '0'));
    CHECK(test::str_at(*rejected[0], "/path") == "/mcp");
  }
  // Below the level, nothing is written.
  captured_log quiet;
  runtime_options warn_only;
  warn_only.log = quiet.options();
  warn_only.log.level = log_severity::warning;
  {
    http_fixture f{{}, warn_only};
    f.initialize();
  }
  std::lock_guard<std::mutex> g{quiet.m};
  CHECK(quiet.lines.empty());
}
