// The broker and session actors on the real scheduler, driven through a fake edge: the
// session lifecycle, every error path, cancellation, batches, progress, logging,
// subscriptions and list changes. Each error leaves the session working.
#include "tests/support/json_assert.hpp"
#include "tests/support/recording_edge.hpp"
#include "tests/support/rpc_text.hpp"
#include "tests/support/test_server.hpp"

#include <catch2/catch.hpp>

using namespace mcp;
using test::initialize_text;
using test::int_at;
using test::request;
using test::str_at;

namespace {

std::shared_ptr<json_document> next_json(test::recording_edge& edge) {
  auto text = edge.next();
  REQUIRE(text.has_value());
  return test::parse(*text);
}

void start(test::recording_edge& edge, const std::string& version = "2025-11-25") {
  edge.send(initialize_text(version));
  auto reply = next_json(edge);
  REQUIRE(str_at(*reply, "/result/protocolVersion") == version);
  edge.send(test::initialized_text);
}

// The error code of the next reply, which must answer `id`.
long long error_code_for(test::recording_edge& edge, int id) {
  auto reply = next_json(edge);
  CHECK(int_at(*reply, "/id") == id);
  return int_at(*reply, "/error/code");
}

void still_works(test::recording_edge& edge) {
  edge.send(request(900, "ping"));
  auto pong = next_json(edge);
  CHECK(int_at(*pong, "/id") == 900);
  CHECK(test::at(*pong, "/result") != nullptr);
}

struct fixture {
  std::shared_ptr<test::gate> blocker = std::make_shared<test::gate>();
  server_runtime rt{test::make_test_server(blocker)};
  test::recording_edge edge{rt};
  ~fixture() { blocker->open(); }
};

} // namespace

TEST_CASE("initialize works with every handshake revision", "[session]") {
  for (std::string version : {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"}) {
    fixture f;
    start(f.edge, version);
    still_works(f.edge);
  }
}

TEST_CASE("an unsupported revision negotiates our latest", "[session]") {
  fixture f;
  f.edge.send(initialize_text("1999-12-31"));
  auto reply = next_json(f.edge);
  CHECK(str_at(*reply, "/result/protocolVersion") == "2025-11-25");
  CHECK(str_at(*reply, "/result/serverInfo/name") == "test-server");
}

TEST_CASE("requests before initialize are refused but ping is allowed", "[session]") {
  fixture f;
  f.edge.send(request(2, "tools/list"));
  CHECK(error_code_for(f.edge, 2) == -32600);
  still_works(f.edge);
  f.edge.send(R"({"jsonrpc":"2.0","id":3,"method":"initialize","params":{}})");
  CHECK(error_code_for(f.edge, 3) == -32602);
  start(f.edge);
  f.edge.send(initialize_text("2025-11-25", 4));
  CHECK(error_code_for(f.edge, 4) == -32600);
  still_works(f.edge);
}

TEST_CASE("unknown methods, bad params and bad JSON get their errors", "[session]") {
  fixture f;
  start(f.edge);
  f.edge.send(request(2, "no/such/method"));
  CHECK(error_code_for(f.edge, 2) == -32601);
  f.edge.send(request(3, "tools/call", R"({"name":"missing"})"));
  CHECK(error_code_for(f.edge, 3) == -32602);
  f.edge.send(request(4, "tools/call", R"({"name":"echo","arguments":{"text":5}})"));
  CHECK(error_code_for(f.edge, 4) == -32602);
  f.edge.send(request(5, "tools/call"));
  CHECK(error_code_for(f.edge, 5) == -32602);
  f.edge.send(R"({"jsonrpc":"2.0","id":6,"method":"tools/list",)");
  auto parse_error = next_json(f.edge);
  CHECK(int_at(*parse_error, "/error/code") == -32700);
  CHECK(test::at(*parse_error, "/id")->IsNull());
  f.edge.send(request(7, "tools/list", R"({"cursor":"forged"})"));
  CHECK(error_code_for(f.edge, 7) == -32602);
  f.edge.send(request(8, "resources/read", R"({"uri":"test://nothing"})"));
  auto missing = next_json(f.edge);
  CHECK(int_at(*missing, "/error/code") == -32002);
  CHECK(str_at(*missing, "/error/data/uri") == "test://nothing");
  f.edge.send(request(9, "prompts/get", R"({"name":"greet"})"));
  CHECK(error_code_for(f.edge, 9) == -32602);
  f.edge.send(request(10, "logging/setLevel", R"({"level":"loud"})"));
  CHECK(error_code_for(f.edge, 10) == -32602);
  still_works(f.edge);
}

TEST_CASE("an oversized message is refused and the session goes on", "[session]") {
  runtime_options options;
  options.bounds.message_bytes_max = 512;
  server_runtime rt{test::make_test_server(), options};
  test::recording_edge edge{rt};
  start(edge);
  edge.send(request(2, "tools/call",
                    R"({"name":"echo","arguments":{"text":")" + std::string(600, 'x') + "\"}}"));
  auto reply = next_json(edge);
  CHECK(int_at(*reply, "/error/code") == -32700);
  CHECK(str_at(*reply, "/error/message").find("limit is 512") != std::string::npos);
  still_works(edge);
}

TEST_CASE("tools, resources, templates and prompts round-trip", "[session]") {
  fixture f;
  start(f.edge);
  f.edge.send(request(2, "tools/call", R"({"name":"echo","arguments":{"text":"hi"}})"));
  auto echo = next_json(f.edge);
  CHECK(str_at(*echo, "/result/content/0/text") == "hi");
  f.edge.send(request(3, "tools/call", R"({"name":"fail"})"));
  auto fail = next_json(f.edge);
  CHECK(test::at(*fail, "/result/isError")->GetBool());
  CHECK(str_at(*fail, "/result/content/0/text") == "it broke");
  f.edge.send(request(4, "resources/read", R"({"uri":"test://item/7"})"));
  CHECK(str_at(*next_json(f.edge), "/result/contents/0/text") == "item 7");
  f.edge.send(request(5, "resources/templates/list"));
  CHECK(str_at(*next_json(f.edge), "/result/resourceTemplates/0/uriTemplate") ==
        "test://item/{id}");
  f.edge.send(request(6, "prompts/get", R"({"name":"greet","arguments":{"name":"Ada"}})"));
  CHECK(str_at(*next_json(f.edge), "/result/messages/0/content/text") == "Hello Ada");
  f.edge.send(request(
      7, "completion/complete",
      R"({"ref":{"type":"ref/prompt","name":"greet"},"argument":{"name":"name","value":"A"}})"));
  CHECK(error_code_for(f.edge, 7) == -32601); // this server offers no completion
}

TEST_CASE("string and integer ids are echoed exactly and kept apart", "[session]") {
  fixture f;
  start(f.edge);
  f.edge.send(R"({"jsonrpc":"2.0","id":"7","method":"ping"})");
  auto as_string = next_json(f.edge);
  REQUIRE(test::at(*as_string, "/id")->IsString());
  CHECK(str_at(*as_string, "/id") == "7");
  f.edge.send(R"({"jsonrpc":"2.0","id":7,"method":"ping"})");
  CHECK(test::at(*next_json(f.edge), "/id")->IsInt64());
}

TEST_CASE("a cancelled request never answers, and the session keeps working", "[session]") {
  fixture f;
  start(f.edge);
  f.edge.send(request(2, "tools/call", R"({"name":"block"})"));
  REQUIRE(f.blocker->entered());
  f.edge.send(
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2,"reason":"user"}})");
  // Cancelling an unknown id is tolerated.
  f.edge.send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}})");
  // The pong proves the session has processed the cancellation (one channel is ordered);
  // only then does the handler finish, so its late result must be dropped.
  still_works(f.edge);
  f.blocker->open();
  // Nothing for id 2 ever arrives: the next text is the answer to a later request.
  f.edge.send(request(3, "tools/call", R"({"name":"echo","arguments":{"text":"after"}})"));
  auto next = next_json(f.edge);
  CHECK(int_at(*next, "/id") == 3);
}

TEST_CASE("a reused id of a pending request is refused", "[session]") {
  fixture f;
  start(f.edge);
  f.edge.send(request(2, "tools/call", R"({"name":"block"})"));
  REQUIRE(f.blocker->entered());
  f.edge.send(request(2, "tools/list"));
  CHECK(error_code_for(f.edge, 2) == -32600);
  f.blocker->open();
  auto released = next_json(f.edge);
  CHECK(str_at(*released, "/result/content/0/text") == "released");
}

TEST_CASE("requests beyond the in-flight limit are refused", "[session]") {
  auto blocker = std::make_shared<test::gate>();
  runtime_options options;
  options.bounds.requests_in_flight_max = 1;
  server_runtime rt{test::make_test_server(blocker), options};
  test::recording_edge edge{rt};
  start(edge);
  edge.send(request(2, "tools/call", R"({"name":"block"})"));
  REQUIRE(blocker->entered());
  edge.send(request(3, "tools/list"));
  CHECK(error_code_for(edge, 3) == -32003);
  blocker->open();
  CHECK(int_at(*next_json(edge), "/id") == 2);
}

TEST_CASE("a request past its deadline gets a timeout error, once", "[session]") {
  auto blocker = std::make_shared<test::gate>();
  runtime_options options;
  options.bounds.request_timeout_ms = 50;
  server_runtime rt{test::make_test_server(blocker), options};
  test::recording_edge edge{rt};
  start(edge);
  edge.send(request(2, "tools/call", R"({"name":"block"})"));
  auto timeout = next_json(edge);
  CHECK(int_at(*timeout, "/id") == 2);
  CHECK(int_at(*timeout, "/error/code") == -32001);
  blocker->open();
  still_works(edge);
}

TEST_CASE("progress is sent only when asked for and only while increasing", "[session]") {
  fixture f;
  start(f.edge);
  f.edge.send(request(2, "tools/call", R"({"name":"progress","_meta":{"progressToken":"tok"}})"));
  std::vector<double> values;
  for (;;) {
    auto m = next_json(f.edge);
    if (test::at(*m, "/id") != nullptr) {
      CHECK(str_at(*m, "/result/content/0/text") == "done");
      break;
    }
    CHECK(str_at(*m, "/method") == "notifications/progress");
    CHECK(str_at(*m, "/params/progressToken") == "tok");
    values.push_back(test::at(*m, "/params/progress")->GetDouble());
  }
  CHECK(values == std::vector<double>{1, 2, 3});
  f.edge.send(request(3, "tools/call", R"({"name":"progress"})"));
  CHECK(int_at(*next_json(f.edge), "/id") == 3); // no token: no notifications
}

TEST_CASE("log messages respect logging/setLevel", "[session]") {
  fixture f;
  start(f.edge);
  f.edge.send(request(2, "logging/setLevel", R"({"level":"warning"})"));
  CHECK(int_at(*next_json(f.edge), "/id") == 2);
  f.edge.send(request(3, "tools/call", R"({"name":"log"})"));
  auto log = next_json(f.edge);
  CHECK(str_at(*log, "/method") == "notifications/message");
  CHECK(str_at(*log, "/params/level") == "error");
  CHECK(str_at(*log, "/params/data/detail") == "an error line");
  CHECK(int_at(*next_json(f.edge), "/id") == 3);
}

TEST_CASE("batches are answered as one array under 2025-03-26 only", "[session]") {
  {
    fixture f;
    start(f.edge, "2025-03-26");
    f.edge.send(
        R"([{"jsonrpc":"2.0","id":1,"method":"ping"},)"
        R"({"jsonrpc":"2.0","method":"notifications/initialized"},)"
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"b"}}},)"
        R"({"jsonrpc":"2.0","id":3,"method":"nope"}, 17])");
    auto reply = next_json(f.edge);
    REQUIRE(reply->IsArray());
    CHECK(reply->Size() == 4);
    std::set<std::string> seen;
    for (auto& r : reply->GetArray())
      seen.insert(r["id"].IsNull() ? "null" : to_json(r["id"]));
    CHECK(seen == std::set<std::string>{"1", "2", "3", "null"});
  }
  {
    fixture f;
    start(f.edge, "2025-06-18");
    f.edge.send(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
    auto reply = next_json(f.edge);
    CHECK(int_at(*reply, "/error/code") == -32600);
    still_works(f.edge);
  }
}

TEST_CASE("subscribers get resource updates and catalog changes send list_changed", "[session]") {
  fixture f;
  start(f.edge);
  f.edge.send(request(2, "resources/subscribe", R"({"uri":"test://doc"})"));
  CHECK(int_at(*next_json(f.edge), "/id") == 2);
  f.rt.resource_updated("test://other");
  f.rt.resource_updated("test://doc");
  auto updated = next_json(f.edge);
  CHECK(str_at(*updated, "/method") == "notifications/resources/updated");
  CHECK(str_at(*updated, "/params/uri") == "test://doc");
  f.rt.update([](server& s) { s.remove_tool("fail"); });
  CHECK(str_at(*next_json(f.edge), "/method") == "notifications/tools/list_changed");
  f.rt.update([](server& s) {
    s.add_prompt({"p2", "another", {}, [](auto&, auto&) { return prompt_result{}; }});
  });
  CHECK(str_at(*next_json(f.edge), "/method") == "notifications/prompts/list_changed");
  f.edge.send(request(3, "tools/call", R"({"name":"fail"})"));
  CHECK(error_code_for(f.edge, 3) == -32602); // the new catalog is served
}

TEST_CASE("2026-07-28 requests are served statelessly from their _meta", "[session]") {
  fixture f;
  auto meta = [](const std::string& v) {
    return R"("_meta":{"io.modelcontextprotocol/protocolVersion":")" + v +
           R"(","io.modelcontextprotocol/clientCapabilities":{}})";
  };
  f.edge.send(request(1, "server/discover", "{" + meta("2026-07-28") + "}"));
  auto discover = next_json(f.edge);
  CHECK(str_at(*discover, "/result/resultType") == "complete");
  CHECK(str_at(*discover, "/result/supportedVersions/0") == "2026-07-28");
  f.edge.send(request(2, "tools/call",
                      R"({"name":"echo","arguments":{"text":"s"},)" + meta("2026-07-28") + "}"));
  auto call = next_json(f.edge);
  CHECK(str_at(*call, "/result/resultType") == "complete");
  CHECK(str_at(*call, "/result/content/0/text") == "s");
  f.edge.send(request(3, "tools/list", "{" + meta("1900-01-01") + "}"));
  auto unsupported = next_json(f.edge);
  CHECK(int_at(*unsupported, "/error/code") == -32022);
  CHECK(str_at(*unsupported, "/error/data/requested") == "1900-01-01");
  CHECK(str_at(*unsupported, "/error/data/supported/0") == "2026-07-28");
}

TEST_CASE("the session limit refuses new channels with an error", "[broker]") {
  runtime_options options;
  options.bounds.sessions_max = 1;
  server_runtime rt{test::make_test_server(), options};
  test::recording_edge first{rt};
  start(first);
  test::recording_edge second{rt};
  second.send(initialize_text("2025-11-25"));
  auto refused = next_json(second);
  CHECK(int_at(*refused, "/error/code") == -32003);
  CHECK(rt.session_count() == 1);
  first.drop();
  REQUIRE(first.closed());
}

TEST_CASE("ended input is answered before the session closes", "[session]") {
  fixture f;
  start(f.edge);
  f.edge.send(request(2, "tools/call", R"({"name":"block"})"));
  REQUIRE(f.blocker->entered());
  f.edge.end_input();
  f.blocker->open();
  CHECK(str_at(*next_json(f.edge), "/result/content/0/text") == "released");
  CHECK(f.edge.closed());
}
