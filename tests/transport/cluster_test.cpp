// Two HTTP servers of one process sharing sessions through the in-memory cluster store:
// the relays, proxies, broadcasts and takeovers over real loopback HTTP and real threads
// (the Redis store, the nginx balancer and killed processes: tests/cluster/).
#include <mcp/cluster.hpp>

#include "tests/support/http_fixture.hpp"
#include "tests/support/json_assert.hpp"
#include "tests/support/rpc_text.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace mcp;
using test::http_fixture;
using test::messages_of;
using test::str_at;

namespace {

runtime_options member_of(memory_cluster_hub& hub, const std::string& name) {
  runtime_options o;
  o.cluster = hub.join(name);
  return o;
}

std::string echo_call(int id) {
  return test::request(id, "tools/call", R"({"name":"echo","arguments":{"text":"hi"}})");
}

} // namespace

TEST_CASE("cluster: a session created on one server is used through another", "[cluster]") {
  memory_cluster_hub hub{64};
  http_fixture a{{}, member_of(hub, "a")};
  http_fixture b{{}, member_of(hub, "b")};
  auto sid = a.initialize();
  auto h = b.session_headers(sid);
  // A call through b: relayed to a, answered on b's connection.
  auto r = b.client().send("POST", "/mcp", h, echo_call(2));
  REQUIRE(r.status == 200);
  auto msgs = messages_of(r.body);
  REQUIRE(msgs.size() == 1);
  CHECK(str_at(*msgs[0], "/result/content/0/text") == "hi");
  // The GET stream through b carries what a's session sends.
  auto stream = b.client();
  REQUIRE(stream.open("GET", "/mcp", h).status == 200);
  REQUIRE(stream.next_event());                           // priming
  CHECK(b.client().send("GET", "/mcp", h).status == 409); // still one GET stream per session
  a.rt.update([](server& s) { s.remove_tool("fail"); });
  auto changed = stream.next_event();
  REQUIRE(changed);
  CHECK(str_at(*test::parse(changed->data), "/method") == "notifications/tools/list_changed");
  // A resource update published on b reaches a's session, which subscribed through b.
  REQUIRE(b.client()
              .send("POST", "/mcp", h,
                    test::request(3, "resources/subscribe", R"({"uri":"test://watched"})"))
              .status == 200);
  b.rt.resource_updated("test://watched");
  auto updated = stream.next_event();
  REQUIRE(updated);
  CHECK(str_at(*test::parse(updated->data), "/method") == "notifications/resources/updated");
  // Ended through b, gone everywhere.
  CHECK(b.client().send("DELETE", "/mcp", h).status == 200);
  CHECK(a.client().send("POST", "/mcp", a.session_headers(sid), echo_call(4)).status == 404);
  CHECK(b.client().send("POST", "/mcp", h, echo_call(5)).status == 404);
}

TEST_CASE("cluster: a stopping server hands its sessions to the next server asked", "[cluster]") {
  memory_cluster_hub hub{64};
  auto a = std::make_unique<http_fixture>(http_options{}, member_of(hub, "a"));
  http_fixture b{{}, member_of(hub, "b")};
  auto sid = a->initialize();
  auto h = b.session_headers(sid);
  REQUIRE(b.client()
              .send("POST", "/mcp", h,
                    test::request(2, "resources/subscribe", R"({"uri":"test://watched"})"))
              .status == 200);
  a.reset(); // a graceful stop: the session is released, not ended
  auto r = b.client().send("POST", "/mcp", h, echo_call(3));
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(str_at(*messages_of(r.body).at(0), "/result/content/0/text") == "hi");
  // Taken over with its state: the subscription still holds.
  auto stream = b.client();
  REQUIRE(stream.open("GET", "/mcp", h).status == 200);
  b.rt.resource_updated("test://watched");
  auto updated = stream.next_event();
  while (updated && updated->data.empty())
    updated = stream.next_event(); // the replay's priming, if any
  REQUIRE(updated);
  CHECK(str_at(*test::parse(updated->data), "/method") == "notifications/resources/updated");
}

TEST_CASE("cluster: unknown sessions are 404 on every server", "[cluster]") {
  memory_cluster_hub hub{64};
  http_fixture a{{}, member_of(hub, "a")};
  http_fixture b{{}, member_of(hub, "b")};
  CHECK(
      b.client()
          .send("POST", "/mcp", b.session_headers("0123456789abcdef0123456789abcdef"), echo_call(1))
          .status == 404);
}
