// The MCP message model: version negotiation, per-revision fields, pagination, templates.
#include "protocol/mcp_model.hpp"
#include "protocol/versions.hpp"

#include "tests/support/json_assert.hpp"

#include <catch2/catch.hpp>

using namespace mcp;
using namespace mcp::protocol;

namespace {

server sample_server(int tools = 3) {
  server s{{"srv", "1.2.3", "Server Title"}, "Use me well."};
  for (int i = 0; i < tools; ++i) {
    tool t{"tool" + std::to_string(i),
           "does " + std::to_string(i),
           {R"({"type":"object"})"},
           [](auto&, auto&) { return tool_result{}; }};
    t.title = "Tool " + std::to_string(i);
    t.output_schema = {R"({"type":"object"})"};
    s.add_tool(std::move(t));
  }
  return s;
}

} // namespace

TEST_CASE("initialize negotiates the requested revision or our latest", "[mcp]") {
  CHECK(negotiate("2024-11-05") == "2024-11-05");
  CHECK(negotiate("2025-03-26") == "2025-03-26");
  CHECK(negotiate("2025-06-18") == "2025-06-18");
  CHECK(negotiate("2025-11-25") == "2025-11-25");
  CHECK(negotiate("1999-01-01") == "2025-11-25");
  CHECK(negotiate("2026-07-28") == "2025-11-25"); // that revision has no initialize
  CHECK(allows_batch("2025-03-26"));
  CHECK_FALSE(allows_batch("2025-06-18"));
}

TEST_CASE("initialize results carry what each revision defines", "[mcp]") {
  auto s = sample_server();
  auto old = test::parse(initialize_result(s, v2024_11_05));
  CHECK(test::str_at(*old, "/protocolVersion") == "2024-11-05");
  CHECK(test::at(*old, "/serverInfo/title") == nullptr);
  CHECK(test::at(*old, "/capabilities/completions") == nullptr);
  CHECK(test::str_at(*old, "/instructions") == "Use me well.");
  auto now = test::parse(initialize_result(s, v2025_06_18));
  CHECK(test::str_at(*now, "/serverInfo/title") == "Server Title");
  CHECK(test::at(*now, "/capabilities/tools/listChanged")->GetBool());
  CHECK(test::at(*now, "/capabilities/logging") != nullptr);
}

TEST_CASE("tool lists page with opaque cursors and per-revision fields", "[mcp]") {
  auto s = sample_server(5);
  auto first = test::parse(tools_page(s, {0, 2}, v2025_06_18));
  CHECK(test::at(*first, "/tools")->Size() == 2);
  CHECK(test::str_at(*first, "/tools/0/title") == "Tool 0");
  CHECK(test::at(*first, "/tools/0/outputSchema") != nullptr);
  auto cursor = test::str_at(*first, "/nextCursor");
  json_document params;
  params.Parse((R"({"cursor":")" + cursor + "\"}").c_str());
  auto offset = parse_cursor(&params);
  REQUIRE(offset.has_value());
  auto last = test::parse(tools_page(s, {*offset + 2, 2}, v2024_11_05));
  CHECK(test::at(*last, "/tools")->Size() == 1);
  CHECK(test::at(*last, "/nextCursor") == nullptr);
  CHECK(test::at(*last, "/tools/0/title") == nullptr);
  CHECK(test::at(*last, "/tools/0/outputSchema") == nullptr);

  json_document forged;
  forged.Parse(R"({"cursor":"not-ours"})");
  CHECK_FALSE(parse_cursor(&forged).has_value());
  forged.Parse(R"({"cursor":5})");
  CHECK_FALSE(parse_cursor(&forged).has_value());
}

TEST_CASE("stateless results are marked complete and discover lists every revision", "[mcp]") {
  auto s = sample_server();
  auto page = test::parse(tools_page(s, {0, 10}, v2026_07_28));
  CHECK(test::str_at(*page, "/resultType") == "complete");
  auto discover = test::parse(discover_result(s));
  CHECK(test::str_at(*discover, "/supportedVersions/0") == "2026-07-28");
  CHECK(test::at(*discover, "/supportedVersions")->Size() == 5);
  CHECK(test::str_at(*discover, "/_meta/io.modelcontextprotocol~1serverInfo/name") == "srv");
}

TEST_CASE("tool results drop structured content before 2025-06-18", "[mcp]") {
  tool_result r{{content_block::text("hi")}, {R"({"n":1})"}, true};
  auto old = test::parse(tool_call_result(r, v2025_03_26));
  CHECK(test::at(*old, "/structuredContent") == nullptr);
  CHECK(test::at(*old, "/isError")->GetBool());
  auto now = test::parse(tool_call_result(r, v2025_11_25));
  CHECK(test::int_at(*now, "/structuredContent/n") == 1);
  CHECK(test::str_at(*now, "/content/0/text") == "hi");
}

TEST_CASE("URI templates match level-1 variables", "[mcp]") {
  auto vars = match_uri_template("test://template/{id}/data", "test://template/42/data");
  REQUIRE(vars.has_value());
  CHECK(vars->at("id") == "42");
  CHECK_FALSE(match_uri_template("test://template/{id}/data", "test://template/42/other"));
  CHECK_FALSE(match_uri_template("test://template/{id}/data", "test://template//data"));
  auto tail = match_uri_template("file:///{name}", "file:///notes.txt");
  REQUIRE(tail.has_value());
  CHECK(tail->at("name") == "notes.txt");
  CHECK_FALSE(match_uri_template("file:///{name}", "file:///a/b"));
}

TEST_CASE("content blocks and notifications have the schema's shape", "[mcp]") {
  auto link = test::parse(content_block::resource_link("file:///a", "a", "text/plain").json.text);
  CHECK(test::str_at(*link, "/type") == "resource_link");
  auto embedded = test::parse(content_block::embedded_blob("x://b", "image/png", "AAA").json.text);
  CHECK(test::str_at(*embedded, "/resource/blob") == "AAA");
  auto progress = test::parse(progress_notification("\"t\"", 1, 4.0, "one"));
  CHECK(test::str_at(*progress, "/progressToken") == "t");
  CHECK(test::str_at(*progress, "/message") == "one");
  auto log = test::parse(log_notification(log_level::warning, "db", R"({"k":1})"));
  CHECK(test::str_at(*log, "/level") == "warning");
  CHECK(parse_log_level("emergency") == log_level::emergency);
  CHECK_FALSE(parse_log_level("loud").has_value());
}

TEST_CASE("tool schemas are checked and stored compact at registration", "[mcp]") {
  server s{{"srv", "1"}};
  auto handler = [](auto&, auto&) { return tool_result{}; };
  s.add_tool({"spaced", "", {"{\n  \"type\": \"object\"\n}"}, handler});
  CHECK(s.find_tool("spaced")->input_schema.text == R"({"type":"object"})");
  CHECK_THROWS_AS(s.add_tool({"broken", "", {R"({"type":)"}, handler}), std::invalid_argument);
  CHECK_THROWS_AS(s.add_tool({"array", "", {"[]"}, handler}), std::invalid_argument);
  CHECK_THROWS_AS(s.add_tool({"", "", {"{}"}, handler}), std::invalid_argument);
  tool no_handler{"t", "", {"{}"}, {}};
  CHECK_THROWS_AS(s.add_tool(no_handler), std::invalid_argument);
}
