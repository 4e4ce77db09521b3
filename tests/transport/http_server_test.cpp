// The real Beast server on 127.0.0.1 (a free port): Streamable HTTP and legacy HTTP+SSE,
// every status code path, resumption with Last-Event-ID and its isolation between
// streams, and session expiry.
#include <mcp/http.hpp>
#include <mcp/runtime.hpp>

#include "tests/support/http_fixture.hpp"
#include "tests/support/json_assert.hpp"
#include "tests/support/rpc_text.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_server.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <thread>

using namespace mcp;
using test::http_client;
using test::int_at;
using test::request;
using test::str_at;

using test::events_of;
using test::http_fixture;
using test::messages_of;
using test::post_headers;

TEST_CASE("HTTP: initialize, call a tool, and get progress on the POST's SSE stream", "[http]") {
  http_fixture f;
  auto sid = f.initialize();
  auto c = f.client();
  auto r = c.send("POST", "/mcp", f.session_headers(sid),
                  request(2, "tools/call", R"({"name":"progress","_meta":{"progressToken":"t"}})"));
  CHECK(r.status == 200);
  CHECK(r.header("content-type") == "text/event-stream");
  CHECK(r.header("cache-control") == "no-cache, no-transform");
  CHECK(r.header("x-accel-buffering") == "no");
  CHECK(r.header("mcp-session-id") == sid);
  auto events = events_of(r.body);
  REQUIRE(events.size() == 5);
  CHECK(events[0].data.empty());       // the 2025-11-25 priming event: an id, no message
  CHECK(c.retry_ms() == std::nullopt); // (retry is read by stream clients, see below)
  auto last = test::parse(events.back().data);
  CHECK(str_at(*last, "/result/content/0/text") == "done");
  // Event ids are unique and name their stream.
  std::set<std::string> ids;
  for (auto& e : events)
    ids.insert(e.id);
  CHECK(ids.size() == 5);
}

TEST_CASE("HTTP: JSON responses mode answers with one application/json body", "[http]") {
  http_options o;
  o.json_responses = true;
  http_fixture f{o};
  auto sid = f.initialize();
  auto r = f.client().send("POST", "/mcp", f.session_headers(sid),
                           request(2, "tools/call", R"({"name":"echo","arguments":{"text":"j"}})"));
  CHECK(r.status == 200);
  CHECK(r.header("content-type") == "application/json");
  CHECK(str_at(*test::parse(r.body), "/result/content/0/text") == "j");
}

TEST_CASE("HTTP: each refusal has its status code and the session keeps working", "[http]") {
  runtime_options ro;
  ro.bounds.message_bytes_max = 2048;
  http_fixture f{{}, ro};
  auto sid = f.initialize();
  auto c = f.client();
  auto h = f.session_headers(sid);
  // 400: no session id on a non-initialize request; unparsable body; bad version header.
  auto no_session = c.send("POST", "/mcp", post_headers, request(2, "tools/list"));
  CHECK(no_session.status == 400);
  CHECK(int_at(*test::parse(no_session.body), "/error/code") == -32000);
  auto garbage = c.send("POST", "/mcp", h, "{not json");
  CHECK(garbage.status == 400);
  CHECK(int_at(*test::parse(garbage.body), "/error/code") == -32700);
  auto bad_version = h;
  bad_version["mcp-protocol-version"] = "1999-01-01";
  CHECK(c.send("POST", "/mcp", bad_version, request(3, "tools/list")).status == 400);
  auto batch = c.send("POST", "/mcp", h, "[" + request(4, "ping") + "]");
  CHECK(batch.status == 400);
  CHECK(int_at(*test::parse(batch.body), "/error/code") == -32600);
  // 404: unknown session.
  auto unknown = h;
  unknown["mcp-session-id"] = "0123456789abcdef0123456789abcdef";
  auto gone = c.send("POST", "/mcp", unknown, request(5, "tools/list"));
  CHECK(gone.status == 404);
  CHECK(int_at(*test::parse(gone.body), "/error/code") == -32001);
  // 406: Accept without both types; GET without text/event-stream.
  auto json_only = h;
  json_only["accept"] = "application/json";
  CHECK(c.send("POST", "/mcp", json_only, request(6, "ping")).status == 406);
  auto get_json = h;
  get_json["accept"] = "application/json";
  CHECK(c.send("GET", "/mcp", get_json).status == 406);
  // 415: not JSON. 405: another method. 404: another path.
  auto text = h;
  text["content-type"] = "text/plain";
  CHECK(c.send("POST", "/mcp", text, request(7, "ping")).status == 415);
  auto put = c.send("PUT", "/mcp", h, "{}");
  CHECK(put.status == 405);
  CHECK(put.header("allow") == "GET, POST, DELETE");
  CHECK(c.send("GET", "/elsewhere", h).status == 404);
  // 403: DNS rebinding defences.
  auto evil_origin = h;
  evil_origin["origin"] = "http://evil.example";
  CHECK(c.send("POST", "/mcp", evil_origin, request(8, "ping")).status == 403);
  auto local_origin = h;
  local_origin["origin"] = "http://localhost:5173";
  CHECK(c.send("POST", "/mcp", local_origin, request(9, "ping")).status == 200);
  auto evil_host = h;
  evil_host["host"] = "evil.example:80";
  CHECK(c.send("POST", "/mcp", evil_host, request(10, "ping")).status == 403);
  // 202: a notification.
  CHECK(c.send("POST", "/mcp", h, test::initialized_text).status == 202);
  // The session still answers.
  auto ping = c.send("POST", "/mcp", h, request(11, "ping"));
  CHECK(ping.status == 200);
  CHECK(int_at(*messages_of(ping.body).back(), "/id") == 11);
  // 413: a body over the limit; that connection is closed, others go on.
  auto big = f.client().send("POST", "/mcp", h, std::string(4096, ' '));
  CHECK(big.status == 413);
  CHECK(f.client().send("POST", "/mcp", h, request(12, "ping")).status == 200);
}

TEST_CASE("HTTP: malformed HTTP gets 400 and never reaches a session", "[http]") {
  http_fixture f;
  auto c = f.client();
  auto answer = c.raw("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                      "Transfer-Encoding: chunked\r\n\r\nzz\r\n");
  CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(f.rt.session_count() == 0);
}

TEST_CASE("HTTP: one GET stream per session carries unrelated notifications", "[http]") {
  http_fixture f;
  auto sid = f.initialize();
  auto h = f.session_headers(sid);
  auto stream = f.client();
  auto head = stream.open("GET", "/mcp", h);
  REQUIRE(head.status == 200);
  CHECK(head.header("content-type") == "text/event-stream");
  auto priming = stream.next_event();
  REQUIRE(priming.has_value());
  CHECK(priming->data.empty());
  CHECK(stream.retry_ms() == 1000u);
  CHECK(f.client().send("GET", "/mcp", h).status == 409);
  f.rt.update([](server& s) { s.remove_tool("fail"); });
  auto changed = stream.next_event();
  REQUIRE(changed.has_value());
  CHECK(str_at(*test::parse(changed->data), "/method") == "notifications/tools/list_changed");
}

TEST_CASE("HTTP: DELETE ends the session and later requests get 404", "[http]") {
  http_fixture f;
  auto sid = f.initialize();
  auto h = f.session_headers(sid);
  auto c = f.client();
  CHECK(c.send("DELETE", "/mcp", h).status == 200);
  CHECK(c.send("POST", "/mcp", h, request(2, "ping")).status == 404);
}

TEST_CASE("HTTP: a dropped stream resumes with Last-Event-ID, missing nothing", "[http]") {
  http_fixture f;
  auto sid = f.initialize();
  auto h = f.session_headers(sid);
  auto first = f.client();
  REQUIRE(first.open("POST", "/mcp", h, request(2, "tools/call", R"({"name":"block"})")).status ==
          200);
  auto priming = first.next_event();
  REQUIRE(priming.has_value());
  REQUIRE(f.blocker->entered());
  first.disconnect();
  // Meanwhile another stream of the same session carries its own events.
  auto other = f.client().send(
      "POST", "/mcp", h, request(3, "tools/call", R"({"name":"echo","arguments":{"text":"x"}})"));
  CHECK(other.status == 200);
  f.blocker->open();
  // Resume after the priming event: exactly the missed response, nothing of stream 3.
  auto resume_headers = h;
  resume_headers["last-event-id"] = priming->id;
  auto resumed = f.client();
  REQUIRE(resumed.open("GET", "/mcp", resume_headers).status == 200);
  std::vector<std::shared_ptr<json_document>> replayed;
  while (auto e = resumed.next_event())
    if (!e->data.empty())
      replayed.push_back(test::parse(e->data));
  REQUIRE(replayed.size() == 1);
  CHECK(int_at(*replayed[0], "/id") == 2);
  CHECK(str_at(*replayed[0], "/result/content/0/text") == "released");
  // An id this session never issued is refused.
  resume_headers["last-event-id"] = "999-1";
  CHECK(f.client().send("GET", "/mcp", resume_headers).status == 400);
}

TEST_CASE("HTTP: another session's id does not reach this session's streams", "[http]") {
  http_fixture f;
  auto a = f.initialize();
  auto b = f.initialize();
  REQUIRE(a != b);
  auto ha = f.session_headers(a);
  auto ra = f.client().send("POST", "/mcp", ha, request(2, "ping"));
  auto id_of_a = events_of(ra.body).back().id;
  // B asks for A's event id: B has no such stream of its own yet, so it is refused.
  auto hb = f.session_headers(b);
  hb["last-event-id"] = id_of_a;
  CHECK(f.client().send("GET", "/mcp", hb).status == 400);
}

TEST_CASE("HTTP: legacy HTTP+SSE: endpoint event, 202 on POST, replies on the stream", "[http]") {
  http_fixture f;
  auto stream = f.client();
  auto head = stream.open("GET", "/sse", {{"accept", "text/event-stream"}});
  REQUIRE(head.status == 200);
  auto endpoint = stream.next_event();
  REQUIRE(endpoint.has_value());
  CHECK(endpoint->type == "endpoint");
  REQUIRE(endpoint->data.rfind("/messages?sessionId=", 0) == 0);
  http_client::headers_t json{{"content-type", "application/json"}};
  auto c = f.client();
  auto accepted = c.send("POST", endpoint->data, json, test::initialize_text("2024-11-05"));
  CHECK(accepted.status == 202);
  auto init = stream.next_event();
  REQUIRE(init.has_value());
  CHECK(init->type == "message");
  CHECK(str_at(*test::parse(init->data), "/result/protocolVersion") == "2024-11-05");
  CHECK(c.send("POST", endpoint->data, json,
               request(2, "tools/call", R"({"name":"echo","arguments":{"text":"l"}})"))
            .status == 202);
  auto echo = stream.next_event();
  REQUIRE(echo.has_value());
  CHECK(str_at(*test::parse(echo->data), "/result/content/0/text") == "l");
  CHECK(c.send("POST", "/messages", json, request(3, "ping")).status == 400);
  CHECK(c.send("POST", "/messages?sessionId=nope", json, request(3, "ping")).status == 404);
  CHECK(c.send("GET", "/messages", json).status == 405);
  // The legacy session lives as long as its stream.
  CHECK(f.rt.session_count() == 1);
  stream.disconnect();
  CHECK(test::eventually([&] { return f.rt.session_count() == 0; }));
}

TEST_CASE("HTTP: an idle session expires and then answers 404", "[http]") {
  http_options o;
  o.keepalive_ms = 20;
  o.session_idle_ms = 100;
  http_fixture f{o};
  auto sid = f.initialize();
  CHECK(test::eventually([&] { return f.rt.session_count() == 0; }));
  CHECK(f.client().send("POST", "/mcp", f.session_headers(sid), request(2, "ping")).status == 404);
}

namespace {

std::string stateless_body(int id, const std::string& method, const std::string& params_tail = "",
                           const std::string& version = "2026-07-28") {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + method +
         R"(","params":{)" + params_tail + (params_tail.empty() ? "" : ",") +
         R"("_meta":{"io.modelcontextprotocol/protocolVersion":")" + version +
         R"(","io.modelcontextprotocol/clientCapabilities":{}}}})";
}

http_client::headers_t stateless_headers(const std::string& method, const std::string& name = {}) {
  auto h = post_headers;
  h["mcp-protocol-version"] = "2026-07-28";
  h["mcp-method"] = method;
  if (!name.empty())
    h["mcp-name"] = name;
  return h;
}

} // namespace

TEST_CASE("HTTP 2026-07-28: stateless POSTs, each answered on its own", "[http][stateless]") {
  http_fixture f;
  auto c = f.client();
  auto discover = c.send("POST", "/mcp", stateless_headers("server/discover"),
                         stateless_body(1, "server/discover"));
  REQUIRE(discover.status == 200);
  CHECK(discover.header("mcp-session-id").empty());
  auto d = messages_of(discover.body);
  REQUIRE(d.size() == 1);
  CHECK(str_at(*d[0], "/result/supportedVersions/0") == "2026-07-28");
  auto call = c.send("POST", "/mcp", stateless_headers("tools/call", "echo"),
                     stateless_body(2, "tools/call", R"("name":"echo","arguments":{"text":"s"})"));
  REQUIRE(call.status == 200);
  auto r = messages_of(call.body);
  REQUIRE(r.size() == 1);
  CHECK(str_at(*r[0], "/result/resultType") == "complete");
  CHECK(str_at(*r[0], "/result/content/0/text") == "s");
  // Each POST's session ends with its answer.
  CHECK(test::eventually([&] { return f.rt.session_count() == 0; }));
}

TEST_CASE("HTTP 2026-07-28: headers must agree with the body", "[http][stateless]") {
  http_fixture f;
  auto c = f.client();
  auto wrong_method =
      c.send("POST", "/mcp", stateless_headers("tools/list"), stateless_body(1, "server/discover"));
  CHECK(wrong_method.status == 400);
  CHECK(int_at(*test::parse(wrong_method.body), "/error/code") == -32020);
  auto wrong_name = c.send("POST", "/mcp", stateless_headers("tools/call", "other"),
                           stateless_body(2, "tools/call", R"("name":"echo","arguments":{})"));
  CHECK(wrong_name.status == 400);
  CHECK(int_at(*test::parse(wrong_name.body), "/error/code") == -32020);
  auto wrong_version = c.send("POST", "/mcp", stateless_headers("tools/list"),
                              stateless_body(3, "tools/list", "", "2025-11-25"));
  CHECK(wrong_version.status == 400);
  auto unknown =
      c.send("POST", "/mcp", stateless_headers("nope/nope"), stateless_body(4, "nope/nope"));
  CHECK(unknown.status == 404);
  CHECK(int_at(*test::parse(unknown.body), "/error/code") == -32601);
  CHECK(int_at(*test::parse(unknown.body), "/id") == 4); // errors name their request
  auto no_meta = c.send("POST", "/mcp", stateless_headers("tools/list"),
                        R"({"jsonrpc":"2.0","id":5,"method":"tools/list","params":{}})");
  CHECK(no_meta.status == 400);
  CHECK(int_at(*test::parse(no_meta.body), "/error/code") == -32602);
  auto future = stateless_headers("tools/list");
  future["mcp-protocol-version"] = "2099-01-01";
  auto unsupported =
      c.send("POST", "/mcp", future, stateless_body(6, "tools/list", "", "2099-01-01"));
  CHECK(unsupported.status == 400);
  auto u = test::parse(unsupported.body);
  CHECK(int_at(*u, "/error/code") == -32022);
  CHECK(str_at(*u, "/error/data/requested") == "2099-01-01");
  CHECK(str_at(*u, "/error/data/supported/0") == "2026-07-28");
  CHECK(int_at(*u, "/id") == 6);
  auto get = stateless_headers("tools/list");
  CHECK(c.send("GET", "/mcp", get).status == 405);
  CHECK(c.send("DELETE", "/mcp", get).status == 405);
}

TEST_CASE("HTTP 2026-07-28: closing the response stream cancels the request", "[http][stateless]") {
  http_fixture f;
  auto c = f.client();
  REQUIRE(c.open("POST", "/mcp", stateless_headers("tools/call", "block"),
                 stateless_body(1, "tools/call", R"("name":"block","arguments":{})"))
              .status == 200);
  REQUIRE(f.blocker->entered());
  CHECK(f.rt.session_count() == 1);
  c.disconnect();
  CHECK(test::eventually([&] { return f.rt.session_count() == 0; }));
}

TEST_CASE("HTTP: authentication binds a session to its principal", "[http][auth]") {
  http_options o;
  o.authenticate = [](const std::string& authorization) -> std::optional<std::string> {
    if (authorization == "Bearer alice-token")
      return "alice";
    if (authorization == "Bearer bob-token")
      return "bob";
    return std::nullopt;
  };
  o.www_authenticate =
      R"(Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource")";
  http_fixture f{o};
  auto c = f.client();
  auto anonymous = c.send("POST", "/mcp", post_headers, test::initialize_text("2025-11-25"));
  CHECK(anonymous.status == 401);
  CHECK(anonymous.header("www-authenticate").rfind("Bearer resource_metadata=", 0) == 0);
  auto alice = post_headers;
  alice["authorization"] = "Bearer alice-token";
  auto init = f.client().send("POST", "/mcp", alice, test::initialize_text("2025-11-25"));
  REQUIRE(init.status == 200);
  auto sid = init.header("mcp-session-id");
  alice["mcp-session-id"] = sid;
  CHECK(f.client().send("POST", "/mcp", alice, request(2, "ping")).status == 200);
  auto bob = alice;
  bob["authorization"] = "Bearer bob-token";
  CHECK(f.client().send("POST", "/mcp", bob, request(3, "ping")).status == 404);
}

TEST_CASE("HTTP: a session that never initializes ends", "[http]") {
  http_options o;
  o.keepalive_ms = 20;
  o.initialize_timeout_ms = 100;
  http_fixture f{o};
  auto stream = f.client();
  REQUIRE(stream.open("GET", "/sse", {{"accept", "text/event-stream"}}).status == 200);
  REQUIRE(stream.next_event().has_value()); // endpoint
  CHECK(stream.stream_ends());
  CHECK(f.rt.session_count() == 0);
}

TEST_CASE("HTTP: CORS lets allowed browser pages in and keeps others out", "[http][cors]") {
  http_fixture f;
  auto c = f.client();
  http_client::headers_t preflight{
      {"origin", "http://127.0.0.1:8000"},
      {"access-control-request-method", "POST"},
      {"access-control-request-headers", "content-type,mcp-session-id"}};
  auto ok = c.send("OPTIONS", "/mcp", preflight);
  CHECK(ok.status == 204);
  CHECK(ok.header("access-control-allow-origin") == "http://127.0.0.1:8000");
  CHECK(ok.header("access-control-allow-headers").find("Mcp-Session-Id") != std::string::npos);
  preflight["origin"] = "https://evil.example";
  auto refused = c.send("OPTIONS", "/mcp", preflight);
  CHECK(refused.status == 403);
  CHECK(refused.header("access-control-allow-origin").empty());
  auto h = post_headers;
  h["origin"] = "http://localhost:8000";
  auto init = c.send("POST", "/mcp", h, test::initialize_text("2025-06-18"));
  CHECK(init.status == 200);
  CHECK(init.header("access-control-allow-origin") == "http://localhost:8000");
  CHECK(init.header("access-control-expose-headers").find("Mcp-Session-Id") != std::string::npos);
}

TEST_CASE("HTTP: a client that stops reading loses droppable events, not memory or others",
          "[http][backpressure]") {
  runtime_options ro;
  ro.bounds.outbound_messages_max = 8;
  http_fixture f{{}, ro};
  auto slow_sid = f.initialize();
  auto slow_headers = f.session_headers(slow_sid);
  CHECK(f.client()
            .send("POST", "/mcp", slow_headers,
                  request(2, "resources/subscribe", R"({"uri":"test://doc"})"))
            .status == 200);
  auto slow = f.client();
  REQUIRE(slow.open("GET", "/mcp", slow_headers).status == 200); // and then not read
  constexpr int updates = 100'000;
  for (int i = 0; i < updates; ++i)
    f.rt.resource_updated("test://doc");
  // Another session is served meanwhile.
  auto fast_sid = f.initialize();
  auto ping = f.client().send("POST", "/mcp", f.session_headers(fast_sid), request(3, "ping"));
  CHECK(ping.status == 200);
  // The slow reader gets what fitted in its bound, with gaps in the event ids.
  int received = 0;
  std::uint64_t last_number = 0;
  bool gap = false;
  while (auto e = slow.next_event(std::chrono::milliseconds{1000})) {
    if (e->data.empty())
      continue;
    ++received;
    auto number = std::stoull(e->id.substr(e->id.find('-') + 1));
    gap = gap || (last_number != 0 && number != last_number + 1);
    last_number = number;
  }
  INFO("received " << received << " of " << updates);
  CHECK(received > 0);
  CHECK(received < updates);
  // Once it reads again it gets new events; the numbers it missed show as a gap.
  f.rt.resource_updated("test://doc");
  auto next = slow.next_event();
  REQUIRE(next.has_value());
  auto number = std::stoull(next->id.substr(next->id.find('-') + 1));
  CHECK((gap || number > last_number + 1));
}

TEST_CASE("HTTP 2026-07-28: subscriptions/listen keeps a stream for the filtered notifications",
          "[http][stateless]") {
  http_fixture f;
  auto c = f.client();
  auto head =
      c.open("POST", "/mcp", stateless_headers("subscriptions/listen"),
             stateless_body(9, "subscriptions/listen",
                            R"("notifications":{"toolsListChanged":true,"unknownThing":true,)"
                            R"("resourceSubscriptions":["test://doc"]})"));
  REQUIRE(head.status == 200);
  auto ack = c.next_event();
  REQUIRE(ack.has_value());
  auto a = test::parse(ack->data);
  CHECK(str_at(*a, "/method") == "notifications/subscriptions/acknowledged");
  CHECK(int_at(*a, "/params/_meta/io.modelcontextprotocol~1subscriptionId") == 9);
  CHECK(test::at(*a, "/params/notifications/toolsListChanged")->GetBool());
  CHECK(test::at(*a, "/params/notifications/unknownThing") == nullptr);
  CHECK(str_at(*a, "/params/notifications/resourceSubscriptions/0") == "test://doc");
  f.rt.resource_updated("test://other"); // not asked for: never sent
  f.rt.update([](server& s) { s.remove_tool("fail"); });
  f.rt.resource_updated("test://doc");
  auto changed = c.next_event();
  REQUIRE(changed.has_value());
  auto ch = test::parse(changed->data);
  CHECK(str_at(*ch, "/method") == "notifications/tools/list_changed");
  CHECK(int_at(*ch, "/params/_meta/io.modelcontextprotocol~1subscriptionId") == 9);
  auto updated = c.next_event();
  REQUIRE(updated.has_value());
  auto u = test::parse(updated->data);
  CHECK(str_at(*u, "/method") == "notifications/resources/updated");
  CHECK(str_at(*u, "/params/uri") == "test://doc");
  CHECK(f.rt.session_count() == 1);
  c.disconnect();
  CHECK(test::eventually([&] { return f.rt.session_count() == 0; }));
}

TEST_CASE("HTTP: a stateless-only server refuses sessions and names what it speaks",
          "[http][stateless]") {
  http_options o;
  o.stateless_only = true;
  http_fixture f{o};
  auto c = f.client();
  auto init = c.send("POST", "/mcp", post_headers, test::initialize_text("2025-11-25", 3));
  CHECK(init.status == 400);
  auto e = test::parse(init.body);
  CHECK(int_at(*e, "/error/code") == -32022);
  CHECK(int_at(*e, "/id") == 3);
  CHECK(str_at(*e, "/error/data/supported/0") == "2026-07-28");
  CHECK(c.send("GET", "/sse", {{"accept", "text/event-stream"}}).status == 404);
  CHECK(c.send("GET", "/mcp", {{"accept", "text/event-stream"}}).status == 405);
  auto call = c.send("POST", "/mcp", stateless_headers("tools/call", "echo"),
                     stateless_body(4, "tools/call", R"("name":"echo","arguments":{"text":"ok"})"));
  CHECK(call.status == 200);
  CHECK(f.rt.session_count() <= 1);
}

TEST_CASE("HTTP: a 2025-11-25 initialize stream is primed so that it can be resumed", "[http]") {
  http_fixture f;
  auto c = f.client();
  auto modern = c.send("POST", "/mcp", post_headers, test::initialize_text("2025-11-25"));
  auto events = events_of(modern.body);
  REQUIRE(events.size() == 2);
  CHECK(events[0].data.empty());
  CHECK_FALSE(events[0].id.empty());
  auto older = f.client().send("POST", "/mcp", post_headers, test::initialize_text("2025-06-18"));
  CHECK(events_of(older.body).size() == 1);
}
