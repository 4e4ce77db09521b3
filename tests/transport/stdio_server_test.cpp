// The example server as a separate process over the stdio transport: real pipes, real
// newline framing, the specified error for each bad input, and a clean exit at EOF.
#include <mcp/client.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/json_assert.hpp"
#include "tests/support/rpc_text.hpp"

#include <catch2/catch.hpp>

#include <atomic>

using namespace mcp;
using test::int_at;
using test::request;
using test::str_at;

namespace {

struct stdio_server {
  test::child_process child{{EVERYTHING_SERVER_PATH, "--stdio"}};

  std::shared_ptr<json_document> next() {
    auto line = child.read_line();
    REQUIRE(line.has_value());
    return test::parse(*line);
  }

  // The reply to `id`, skipping notifications.
  std::shared_ptr<json_document> reply_to(int id) {
    for (;;) {
      auto m = next();
      if (test::at(*m, "/id") != nullptr) {
        CHECK(int_at(*m, "/id") == id);
        return m;
      }
    }
  }

  void start(const std::string& version = "2025-11-25") {
    child.write_line(test::initialize_text(version));
    REQUIRE(str_at(*reply_to(1), "/result/protocolVersion") == version);
    child.write_line(test::initialized_text);
  }

  void still_works() {
    child.write_line(request(900, "ping"));
    CHECK(test::at(*reply_to(900), "/result") != nullptr);
  }
};

} // namespace

TEST_CASE("stdio: every handshake revision initializes and lists tools", "[stdio]") {
  for (std::string version : {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"}) {
    stdio_server s;
    s.start(version);
    s.child.write_line(request(2, "tools/list"));
    auto tools = s.reply_to(2);
    CHECK(test::at(*tools, "/result/tools")->Size() >= 10);
    s.child.write_line(request(3, "tools/call", R"({"name":"test_simple_text"})"));
    CHECK(str_at(*s.reply_to(3), "/result/content/0/text") ==
          "This is a simple text response for testing.");
  }
}

TEST_CASE("stdio: an unknown revision negotiates the latest", "[stdio]") {
  stdio_server s;
  s.child.write_line(test::initialize_text("2030-01-01"));
  CHECK(str_at(*s.reply_to(1), "/result/protocolVersion") == "2025-11-25");
}

TEST_CASE("stdio: resources, templates and prompts round-trip", "[stdio]") {
  stdio_server s;
  s.start();
  s.child.write_line(request(2, "resources/read", R"({"uri":"test://static-text"})"));
  CHECK(str_at(*s.reply_to(2), "/result/contents/0/text") ==
        "This is the content of the static text resource.");
  s.child.write_line(request(3, "resources/read", R"({"uri":"test://template/9/data"})"));
  CHECK(str_at(*s.reply_to(3), "/result/contents/0/uri") == "test://template/9/data");
  s.child.write_line(
      request(4, "prompts/get",
              R"({"name":"test_prompt_with_arguments","arguments":{"arg1":"a","arg2":"b"}})"));
  CHECK(str_at(*s.reply_to(4), "/result/messages/0/content/text") ==
        "Prompt with arguments: arg1='a', arg2='b'");
  s.child.write_line(request(
      5, "completion/complete",
      R"({"ref":{"type":"ref/resource","uri":"test://template/{id}/data"},"argument":{"name":"id","value":"4"}})"));
  CHECK(str_at(*s.reply_to(5), "/result/completion/values/0") == "42");
}

TEST_CASE("stdio: progress arrives before the result", "[stdio]") {
  stdio_server s;
  s.start();
  s.child.write_line(request(
      2, "tools/call", R"({"name":"test_tool_with_progress","_meta":{"progressToken":"p"}})"));
  for (double expected : {0.0, 50.0, 100.0}) {
    auto note = s.next();
    CHECK(str_at(*note, "/method") == "notifications/progress");
    CHECK(test::at(*note, "/params/progress")->GetDouble() == expected);
  }
  CHECK(test::at(*s.reply_to(2), "/result") != nullptr);
}

TEST_CASE("stdio: a cancelled call never answers and the session goes on", "[stdio]") {
  stdio_server s;
  s.start();
  s.child.write_line(
      request(2, "tools/call",
              R"({"name":"slow_progress","arguments":{"seconds":5},"_meta":{"progressToken":1}})"));
  CHECK(str_at(*s.next(), "/method") == "notifications/progress");
  s.child.write_line(test::cancel_text(2));
  s.still_works();
  s.child.close_stdin();
  // Everything left before EOF: nothing may answer id 2.
  while (auto line = s.child.read_line()) {
    auto m = test::parse(*line);
    CHECK(int_at(*m, "/id") != 2);
  }
  CHECK(s.child.exit_code(std::chrono::seconds{10}) == 0);
}

TEST_CASE("stdio: bad input gets its error and the session keeps working", "[stdio]") {
  stdio_server s;
  s.start();
  s.child.write_line("this is not json");
  auto parse_error = s.next();
  CHECK(int_at(*parse_error, "/error/code") == -32700);
  CHECK(test::at(*parse_error, "/id")->IsNull());
  s.child.write_line(request(2, "no/such/method"));
  CHECK(int_at(*s.reply_to(2), "/error/code") == -32601);
  s.child.write_line(request(3, "tools/call", R"({"arguments":{}})"));
  CHECK(int_at(*s.reply_to(3), "/error/code") == -32602);
  s.child.write_line(R"({"jsonrpc":"2.0","id":4})");
  CHECK(int_at(*s.reply_to(4), "/error/code") == -32600);
  s.child.write_line(request(5, "tools/call", R"({"name":"test_error_handling"})"));
  auto tool_error = s.reply_to(5);
  CHECK(test::at(*tool_error, "/result/isError")->GetBool());
  s.still_works();
}

TEST_CASE("stdio: an oversized line is refused without buffering it", "[stdio]") {
  stdio_server s;
  s.start();
  std::string huge =
      request(2, "tools/call",
              R"({"name":"test_simple_text","pad":")" + std::string(4 * 1024 * 1024, 'x') + "\"}");
  s.child.write_line(huge);
  auto refused = s.next();
  CHECK(int_at(*refused, "/error/code") == -32700);
  CHECK(str_at(*refused, "/error/message").find("the limit is 4194304") != std::string::npos);
  s.still_works();
}

TEST_CASE("stdio: the server answers what is pending and exits at EOF", "[stdio]") {
  stdio_server s;
  s.start();
  s.child.write_line(request(2, "tools/call", R"({"name":"test_tool_with_logging"})"));
  s.child.close_stdin();
  std::vector<std::string> methods;
  for (;;) {
    auto m = s.next();
    if (test::at(*m, "/id") != nullptr) {
      CHECK(str_at(*m, "/result/content/0/text") == "Tool with logging executed successfully");
      break;
    }
    methods.push_back(str_at(*m, "/method"));
  }
  CHECK(methods == std::vector<std::string>(3, "notifications/message"));
  CHECK(s.child.exit_code(std::chrono::seconds{10}) == 0);
}

TEST_CASE("stdio: the README's echo server answers a call", "[stdio]") {
  test::child_process child{{ECHO_SERVER_PATH}};
  child.write_line(test::initialize_text("2025-06-18"));
  REQUIRE(child.read_line().has_value());
  child.write_line(request(2, "tools/call", R"({"name":"echo","arguments":{"text":"readme"}})"));
  auto reply = child.read_line();
  REQUIRE(reply.has_value());
  CHECK(str_at(*test::parse(*reply), "/result/content/0/text") == "readme");
  child.close_stdin();
  CHECK(child.exit_code(std::chrono::seconds{10}) == 0);
}

TEST_CASE("stdio client: our client drives a server child process", "[stdio][client]") {
  std::atomic<int> progress{0};
  mcp::client_options o;
  o.on_notification = [&](const std::string& method, const std::string&) {
    if (method == "notifications/progress")
      ++progress;
  };
  auto c = mcp::connect_stdio({EVERYTHING_SERVER_PATH, "--stdio"}, o);
  auto init = c->initialize("2025-06-18");
  REQUIRE(init.ok());
  CHECK(mcp::get_string(*init.result, "protocolVersion") == "2025-06-18");
  auto r = c->call("tools/call",
                   {R"({"name":"test_tool_with_progress","_meta":{"progressToken":"s"}})"});
  REQUIRE(r.ok());
  CHECK(progress == 3);
  c->close();
}

TEST_CASE("stdio client: a server that exits fails the pending call", "[stdio][client]") {
  auto c = mcp::connect_stdio({"/bin/sh", "-c", "read line; exit 0"});
  auto init = c->initialize();
  CHECK_FALSE(init.ok());
}
