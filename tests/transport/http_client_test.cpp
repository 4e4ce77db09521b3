// Our client over Streamable HTTP against our server on 127.0.0.1: calls, progress,
// sampling, the GET stream, a stream closed mid-call resumed with Last-Event-ID, a
// forgotten session re-initialized, and requests that fail instead of hanging.
#include <mcp/client.hpp>
#include <mcp/http.hpp>
#include <mcp/runtime.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/cutting_proxy.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

using namespace mcp;

namespace {

struct served {
  std::shared_ptr<test::gate> blocker = std::make_shared<test::gate>();
  server_runtime rt{test::make_test_server(blocker)};
  http_server http{rt};
  ~served() { blocker->open(); }
};

std::string first_text(const peer_reply& r) {
  INFO(r.error_code << " " << r.error_message);
  REQUIRE(r.ok());
  auto* content = find_member(*r.result, "content");
  REQUIRE(content != nullptr);
  return get_string((*content)[0], "text").value_or("");
}

struct notification_log {
  std::mutex m;
  std::vector<std::string> methods;
  notification_handler handler() {
    return [this](const std::string& method, const std::string&) {
      std::lock_guard<std::mutex> g{m};
      methods.push_back(method);
    };
  }
  std::size_t count(const std::string& method) {
    std::lock_guard<std::mutex> g{m};
    return static_cast<std::size_t>(std::count(methods.begin(), methods.end(), method));
  }
};

// Reconnects within tens of milliseconds and counts session replacements.
client_options quick_recovery(std::atomic<int>& replaced) {
  client_options o;
  o.on_session_replaced = [&replaced] { ++replaced; };
  o.reconnect.initial_delay_ms = 10;
  o.reconnect.max_delay_ms = 50;
  return o;
}

} // namespace

TEST_CASE("client over HTTP: initialize, call, progress and sampling", "[client][http]") {
  served s;
  notification_log log;
  client_options o;
  o.on_notification = log.handler();
  o.capabilities = {R"({"sampling":{}})"};
  o.request_handlers["sampling/createMessage"] = [](const json_value&, request_context&) {
    return json_text{R"({"role":"assistant","content":{"type":"text","text":"4"},"model":"m"})"};
  };
  auto c = connect_http(s.http.url(), o);
  auto init = c->initialize("2025-11-25");
  REQUIRE(init.ok());
  CHECK(first_text(c->call(
            "tools/call", {R"({"name":"echo","arguments":{"text":"over http"}})"})) == "over http");
  CHECK(first_text(c->call("tools/call",
                           {R"({"name":"progress","_meta":{"progressToken":"p"}})"})) == "done");
  CHECK(log.count("notifications/progress") == 3);
  CHECK(first_text(c->call("tools/call", {R"({"name":"ask"})"})) == "client said 4");
  auto missing = c->call("tools/call", {R"({"name":"nope"})"});
  CHECK(missing.error_code == -32602);
}

TEST_CASE("client over HTTP: the GET stream carries list changes", "[client][http]") {
  served s;
  notification_log log;
  client_options o;
  o.on_notification = log.handler();
  auto c = connect_http(s.http.url(), o);
  REQUIRE(c->initialize().ok());
  // The GET stream opens after notifications/initialized; a ping makes sure it had time.
  for (int i = 0; i < 200 && log.count("notifications/tools/list_changed") == 0; ++i) {
    s.rt.update([i](server& srv) {
      srv.add_tool(
          {"t" + std::to_string(i), "", {"{}"}, [](auto&, auto&) { return tool_result{}; }});
    });
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  CHECK(log.count("notifications/tools/list_changed") >= 1);
}

TEST_CASE("client over HTTP: a stream closed mid-call is resumed, nothing lost or doubled",
          "[client][http]") {
  served s;
  notification_log log;
  client_options o;
  o.on_notification = log.handler();
  auto c = connect_http(s.http.url(), o);
  REQUIRE(c->initialize("2025-11-25").ok());
  CHECK(first_text(c->call("tools/call", {R"({"name":"poll","_meta":{"progressToken":1}})"})) ==
        "polled");
  CHECK(log.count("notifications/progress") == 2);
}

TEST_CASE("client over HTTP: a restarted server's 404 re-initializes and retries the call",
          "[client][http]") {
  std::atomic<int> replaced{0};
  auto o = quick_recovery(replaced);
  std::unique_ptr<client> c;
  std::uint16_t port = 0;
  {
    served first;
    port = first.http.port();
    c = connect_http(first.http.url(), o);
    REQUIRE(c->initialize().ok());
  }
  // A new server on the same port knows nothing of the session.
  server_runtime rt{test::make_test_server()};
  http_options ho;
  ho.port = port;
  http_server second{rt, ho};
  CHECK(first_text(c->call("tools/call", {R"({"name":"echo","arguments":{"text":"again"}})"})) ==
        "again");
  CHECK(replaced == 1);
}

TEST_CASE("client over HTTP: a dead server fails calls instead of hanging", "[client][http]") {
  std::string url;
  {
    served s;
    url = s.http.url();
  }
  auto c = connect_http(url);
  auto init = c->initialize();
  CHECK_FALSE(init.ok());
  CHECK(init.error_message.find("HTTP request failed") != std::string::npos);
}

TEST_CASE("client over HTTP: URLs it cannot use are refused", "[client][http]") {
  CHECK_THROWS_AS(connect_http("https://127.0.0.1/mcp"), std::invalid_argument);
  CHECK_THROWS_AS(connect_http("http://127.0.0.1:99999/mcp"), std::invalid_argument);
}

TEST_CASE("client over HTTP: given the legacy SSE URL it falls back to HTTP+SSE",
          "[client][http][legacy]") {
  served s;
  std::string chosen;
  notification_log log;
  client_options o;
  o.on_transport = [&](const std::string& name) { chosen = name; };
  o.on_notification = log.handler();
  auto base = s.http.url().substr(0, s.http.url().size() - 4); // without "/mcp"
  auto c = connect_http(base + "/sse", o);
  auto init = c->initialize("2024-11-05");
  REQUIRE(init.ok());
  CHECK(get_string(*init.result, "protocolVersion") == "2024-11-05");
  CHECK(chosen == "legacy HTTP+SSE");
  CHECK(first_text(c->call("tools/call", {R"({"name":"progress","_meta":{"progressToken":2}})"})) ==
        "done");
  CHECK(log.count("notifications/progress") == 3);
  CHECK(first_text(c->call("tools/call", {R"({"name":"echo","arguments":{"text":"legacy"}})"})) ==
        "legacy");
}

TEST_CASE("client over HTTP: the streamable endpoint is recognised as such", "[client][http]") {
  served s;
  std::string chosen;
  client_options o;
  o.on_transport = [&](const std::string& name) { chosen = name; };
  auto c = connect_http(s.http.url(), o);
  REQUIRE(c->initialize().ok());
  CHECK(chosen == "Streamable HTTP");
}

TEST_CASE("client over HTTP: a server with neither transport for it fails clearly",
          "[client][http]") {
  server_runtime rt{test::make_test_server()};
  http_options ho;
  ho.stateless_only = true; // initialize -> 400, GET -> 405
  http_server http{rt, ho};
  auto c = connect_http(http.url());
  auto init = c->initialize();
  REQUIRE_FALSE(init.ok());
  INFO(init.error_message);
  CHECK(init.error_message.find("HTTP 405") != std::string::npos);
}

TEST_CASE("client over HTTP: an answer cut mid-stream is resumed from its last event",
          "[client][http][faults]") {
  served s;
  // Every tools/call connection dies after the head and the first events of its answer.
  test::cutting_proxy proxy{s.http.port(), R"("tools/call")", 420};
  notification_log log;
  client_options o;
  o.on_notification = log.handler();
  o.reconnect.initial_delay_ms = 10;
  auto c = connect_http("http://127.0.0.1:" + std::to_string(proxy.port()) + "/mcp", o);
  REQUIRE(c->initialize("2025-11-25").ok());
  auto r = c->call("tools/call", {R"({"name":"progress","_meta":{"progressToken":"cut"}})"});
  CHECK(first_text(r) == "done");
  CHECK(proxy.cuts() >= 1);
  CHECK(log.count("notifications/progress") == 3); // none lost, none twice
}

TEST_CASE("client over HTTP: 2026-07-28 requests stand alone, each with its _meta",
          "[client][http][stateless]") {
  served s;
  auto c = connect_http(s.http.url());
  auto discover = c->initialize("2026-07-28");
  REQUIRE(discover.ok());
  CHECK(get_string(*discover.result, "resultType") == "complete");
  CHECK(first_text(c->call("tools/call", {R"({"name":"echo","arguments":{"text":"modern"}})"})) ==
        "modern");
  CHECK(test::eventually([&] { return s.rt.session_count() == 0; })); // nothing kept
}

TEST_CASE("client over HTTP: auto detection tries the modern request first", "[client][http]") {
  served s;
  auto c = connect_http(s.http.url());
  auto reply = c->initialize("auto");
  REQUIRE(reply.ok());
  CHECK(find_member(*reply.result, "supportedVersions") != nullptr); // a discover result
}

TEST_CASE("client over HTTP: a legacy stream that dies comes back as a new session",
          "[client][http][legacy]") {
  std::atomic<int> replaced{0};
  auto o = quick_recovery(replaced);
  std::unique_ptr<client> c;
  std::uint16_t port = 0;
  {
    served first;
    port = first.http.port();
    auto url = first.http.url();
    c = connect_http(url.substr(0, url.size() - 4) + "/sse", o);
    REQUIRE(c->initialize("2024-11-05").ok());
  }
  server_runtime rt{test::make_test_server()};
  http_options ho;
  ho.port = port;
  http_server second{rt, ho};
  REQUIRE(test::eventually([&] { return replaced == 1; }));
  CHECK(first_text(c->call("tools/call", {R"({"name":"echo","arguments":{"text":"back"}})"})) ==
        "back");
  CHECK(rt.session_count() == 1);
}

TEST_CASE("client over HTTP: calls have their own deadlines and 2026-07-28 cancels by closing",
          "[client][http]") {
  served s;
  auto c = connect_http(s.http.url());
  REQUIRE(c->initialize().ok());
  auto late = c->call("tools/call", {R"({"name":"block"})"}, std::chrono::milliseconds{50});
  CHECK(late.error_code == -32001);
  s.blocker->open();
  CHECK(first_text(c->call("tools/call", {R"({"name":"echo","arguments":{"text":"next"}})"})) ==
        "next");

  served modern_server;
  auto m = connect_http(modern_server.http.url());
  REQUIRE(m->initialize("2026-07-28").ok());
  auto pending = m->call_async("tools/call", {R"({"name":"block"})"});
  REQUIRE(modern_server.blocker->entered());
  CHECK(modern_server.rt.session_count() == 1);
  pending.cancel("changed my mind");
  CHECK(pending.reply().get().error_code == -32800);
  // The closed stream cancelled the request: its one-shot session is gone.
  CHECK(test::eventually([&] { return modern_server.rt.session_count() == 0; }));
}

TEST_CASE("client over HTTP: a server killed mid-stream fails the call, its restart is joined",
          "[client][http][faults]") {
  auto port_of = [](const std::string& url) {
    auto colon = url.rfind(':');
    return url.substr(colon + 1, url.find('/', colon) - colon - 1);
  };
  test::child_process first{{EVERYTHING_SERVER_PATH, "--port", "0"}};
  auto banner = first.read_line();
  REQUIRE(banner.has_value());
  auto url = banner->substr(banner->find("http://"));
  notification_log log;
  std::atomic<int> replaced{0};
  client_options o;
  o.on_notification = log.handler();
  o.on_session_replaced = [&] { ++replaced; };
  o.reconnect.initial_delay_ms = 10;
  o.reconnect.max_delay_ms = 50;
  o.reconnect.attempts_max = 3;
  auto c = connect_http(url, o);
  REQUIRE(c->initialize().ok());
  auto call = c->call_async(
      "tools/call",
      {R"({"name":"slow_progress","arguments":{"seconds":30},"_meta":{"progressToken":9}})"});
  REQUIRE(test::eventually([&] { return log.count("notifications/progress") > 0; }));
  first.kill_now();
  // The stream broke and nobody answers a resumption: the call fails, it does not hang.
  auto failed = call.reply().get();
  CHECK_FALSE(failed.ok());
  INFO(failed.error_message);
  CHECK(failed.error_message.find("reconnection attempts") != std::string::npos);
  // A new server on the same port: the forgotten session is replaced and work goes on.
  test::child_process second{{EVERYTHING_SERVER_PATH, "--port", port_of(url)}};
  REQUIRE(second.read_line().has_value());
  auto r = c->call("tools/call", {R"({"name":"test_simple_text"})"});
  CHECK(first_text(r) == "This is a simple text response for testing.");
  CHECK(replaced == 1);
}

TEST_CASE("client over HTTP: a stream closed after every event still delivers all, once",
          "[client][http][faults]") {
  std::shared_ptr<test::gate> blocker = std::make_shared<test::gate>();
  server_runtime rt{test::make_test_server(blocker)};
  http_options ho;
  ho.retry_ms = 20; // the client comes back quickly after each close
  http_server http{rt, ho};
  notification_log log;
  client_options o;
  o.on_notification = log.handler();
  auto c = connect_http(http.url(), o);
  REQUIRE(c->initialize("2025-11-25").ok());
  CHECK(first_text(c->call(
            "tools/call", {R"({"name":"poll_every","_meta":{"progressToken":4}})"})) == "survived");
  CHECK(log.count("notifications/progress") == 3);
}

TEST_CASE("client over HTTP: a forced transport is used as is", "[client][http][legacy]") {
  served s;
  auto sse_url = s.http.url().substr(0, s.http.url().size() - 4) + "/sse";
  client_options legacy;
  legacy.transport = http_transport::legacy;
  auto c = connect_http(sse_url, legacy);
  REQUIRE(c->initialize("2024-11-05").ok());
  CHECK(first_text(c->call("tools/call", {R"({"name":"echo","arguments":{"text":"forced"}})"})) ==
        "forced");
  client_options streamable;
  streamable.transport = http_transport::streamable;
  auto no_fallback = connect_http(sse_url, streamable);
  auto refused = no_fallback->initialize();
  CHECK_FALSE(refused.ok());
  CHECK(refused.error_message.find("HTTP 405") != std::string::npos);
}

TEST_CASE("client over HTTP: a session that expired is replaced on its next call",
          "[client][http][faults]") {
  http_options ho;
  ho.keepalive_ms = 20;
  ho.session_idle_ms = 60;
  server_runtime rt{test::make_test_server()};
  http_server http{rt, ho};
  std::atomic<int> replaced{0};
  client_options o;
  o.open_get_stream = false; // nothing keeps the session busy
  o.on_session_replaced = [&] { ++replaced; };
  auto c = connect_http(http.url(), o);
  REQUIRE(c->initialize().ok());
  REQUIRE(test::eventually([&] { return rt.session_count() == 0; })); // expired
  CHECK(first_text(c->call("tools/call", {R"({"name":"echo","arguments":{"text":"renewed"}})"})) ==
        "renewed");
  CHECK(replaced == 1);
}
