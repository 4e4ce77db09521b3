// Our client and server sessions joined by the in-process pair: calls, server requests
// handled by the client application (sampling), notifications, and cancellation.
#include <mcp/client.hpp>
#include <mcp/runtime.hpp>

#include "tests/support/eventually.hpp"
#include "tests/support/test_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <vector>

using namespace mcp;
using namespace std::chrono_literals;

namespace {

// Notifications as the client application sees them.
struct notification_log {
  std::mutex m;
  std::vector<std::pair<std::string, std::string>> seen;
  notification_handler handler() {
    return [this](const std::string& method, const std::string& params) {
      std::lock_guard<std::mutex> g{m};
      seen.emplace_back(method, params);
    };
  }
  std::vector<std::string> methods() {
    std::lock_guard<std::mutex> g{m};
    std::vector<std::string> out;
    for (auto& [method, params] : seen)
      out.push_back(method);
    return out;
  }
};

std::string first_text(const peer_reply& r) {
  REQUIRE(r.ok());
  auto* content = find_member(*r.result, "content");
  REQUIRE(content != nullptr);
  return get_string((*content)[0], "text").value_or("");
}

} // namespace

TEST_CASE("the client initializes and calls tools in process", "[client]") {
  server_runtime rt{test::make_test_server()};
  auto c = connect_in_process(rt);
  auto init = c->initialize("2025-06-18");
  REQUIRE(init.ok());
  CHECK(get_string(*init.result, "protocolVersion") == "2025-06-18");
  CHECK(
      first_text(c->call("tools/call", {R"({"name":"echo","arguments":{"text":"in-process"}})"})) ==
      "in-process");
  auto unknown = c->call("tools/call", {R"({"name":"nope"})"});
  CHECK_FALSE(unknown.ok());
  CHECK(unknown.error_code == -32602);
  CHECK(rt.session_count() == 1);
}

TEST_CASE("progress notifications reach the client before the result", "[client]") {
  server_runtime rt{test::make_test_server()};
  notification_log log;
  client_options options;
  options.on_notification = log.handler();
  auto c = connect_in_process(rt, options);
  REQUIRE(c->initialize().ok());
  CHECK(first_text(c->call("tools/call", {R"({"name":"progress","_meta":{"progressToken":5}})"})) ==
        "done");
  CHECK(log.methods() == std::vector<std::string>(3, "notifications/progress"));
}

TEST_CASE("the server's sampling request is answered by the client application", "[client]") {
  server_runtime rt{test::make_test_server()};
  client_options options;
  options.capabilities = {R"({"sampling":{}})"};
  options.request_handlers["sampling/createMessage"] = [](const json_value& params,
                                                          request_context&) {
    CHECK(find_member(params, "messages") != nullptr);
    return json_text{R"({"role":"assistant","content":{"type":"text","text":"4"},"model":"m"})"};
  };
  auto c = connect_in_process(rt, options);
  REQUIRE(c->initialize().ok());
  CHECK(first_text(c->call("tools/call", {R"({"name":"ask"})"})) == "client said 4");
}

TEST_CASE("a client without the sampling capability is never asked", "[client]") {
  server_runtime rt{test::make_test_server()};
  auto c = connect_in_process(rt);
  REQUIRE(c->initialize().ok());
  CHECK(first_text(c->call("tools/call", {R"({"name":"ask"})"})) ==
        "error -32601: the client did not declare the sampling capability");
}

TEST_CASE("cancelling a call sends notifications/cancelled and ends it once", "[client]") {
  auto blocker = std::make_shared<test::gate>();
  server_runtime rt{test::make_test_server(blocker)};
  auto c = connect_in_process(rt);
  REQUIRE(c->initialize().ok());
  auto call = c->call_async("tools/call", {R"({"name":"block"})"});
  REQUIRE(blocker->entered());
  call.cancel("no longer needed");
  auto reply = call.reply().get();
  CHECK(reply.error_code == -32800);
  blocker->open();
  CHECK(first_text(c->call("tools/call", {R"({"name":"echo","arguments":{"text":"next"}})"})) ==
        "next");
}

TEST_CASE("closing the client ends its server session", "[client]") {
  server_runtime rt{test::make_test_server()};
  auto c = connect_in_process(rt);
  REQUIRE(c->initialize().ok());
  CHECK(rt.session_count() == 1);
  c->close();
  CHECK(test::eventually([&] { return rt.session_count() == 0; }));
}

TEST_CASE("a call's own progress handler gets its progress, nothing else does", "[client]") {
  server_runtime rt{test::make_test_server()};
  notification_log log;
  client_options options;
  options.on_notification = log.handler();
  auto c = connect_in_process(rt, options);
  REQUIRE(c->initialize().ok());
  std::vector<double> values;
  std::optional<double> total;
  auto r = c->call("tools/call", {R"({"name":"progress"})"}, std::nullopt,
                   [&](double p, std::optional<double> t, const std::string&) {
                     values.push_back(p);
                     total = t;
                   });
  CHECK(first_text(r) == "done");
  CHECK(values == std::vector<double>{1, 2, 3});
  CHECK(total == 3.0);
  CHECK(log.methods().empty());
}

TEST_CASE("a tool that never blocks is answered while every worker is busy", "[client]") {
  auto blocker = std::make_shared<test::gate>();
  auto definition = test::make_test_server(blocker);
  tool quick{"quick",
             "Answers on its request's actor",
             {R"({"type":"object"})"},
             [](const json_value&, request_context& ctx) {
               ctx.progress(1, 1);
               // It cannot wait for the client: asking it fails at once.
               auto asked = ctx.call_peer("roots/list", {"{}"});
               return test::text(asked.ok() ? "asked" : "refused: " + asked.error_message);
             }};
  quick.may_block = false;
  definition.add_tool(quick);
  runtime_options options;
  options.bounds.handler_threads = 1;
  server_runtime rt{std::move(definition), options};
  auto c = connect_in_process(rt);
  REQUIRE(c->initialize().ok());
  // The only worker waits inside `block`; a tool that needs a worker would wait behind it.
  auto blocked = c->call_async("tools/call", {R"({"name":"block"})"});
  REQUIRE(blocker->entered());
  auto progress_seen = std::make_shared<std::atomic<int>>(0);
  auto r = c->call(
      "tools/call", {R"({"name":"quick"})"}, 5s,
      [progress_seen](double, std::optional<double>, const std::string&) { ++*progress_seen; });
  auto answer = first_text(r);
  CHECK(answer.rfind("refused: calling the peer needs a worker thread", 0) == 0);
  CHECK(progress_seen->load() == 1);
  blocker->open();
  CHECK(blocked.reply().get().ok());
}
