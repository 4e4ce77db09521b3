// SSE framing per the WHATWG rules: table-driven parser cases, every split of the stream
// (one byte at a time included) giving the same events, and encoder/parser round trips.
#include "protocol/sse.hpp"

#include <catch2/catch.hpp>

using namespace mcp;
using namespace std::string_literals;

namespace {

struct parsed {
  std::vector<sse::event> events;
  std::string last_id;
  std::optional<std::uint64_t> retry;
};

parsed parse_in_pieces(std::string_view stream, std::size_t piece) {
  sse::parser p;
  parsed r;
  for (std::size_t i = 0; i < stream.size(); i += piece)
    REQUIRE(p.feed(stream.substr(i, piece), r.events));
  p.finish();
  r.last_id = p.last_event_id();
  r.retry = p.retry_ms();
  return r;
}

struct expected_event {
  std::string type, data, id;
};

void check(std::string_view stream, const std::vector<expected_event>& want) {
  INFO("stream: " << std::string{stream});
  for (std::size_t piece :
       {stream.size() + 1, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}}) {
    if (piece == 0)
      continue;
    INFO("piece size " << piece);
    auto got = parse_in_pieces(stream, piece);
    REQUIRE(got.events.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      CHECK(got.events[i].type == want[i].type);
      CHECK(got.events[i].data == want[i].data);
      CHECK(got.events[i].id == want[i].id);
    }
  }
}

} // namespace

TEST_CASE("SSE parsing follows the WHATWG rules", "[sse]") {
  // Basic event, default type.
  check("data: hello\n\n", {{"message", "hello", ""}});
  // Line ends: LF, CR, CRLF; CRLF counts once.
  check("data: a\r\rdata: b\r\n\r\ndata: c\n\n",
        {{"message", "a", ""}, {"message", "b", ""}, {"message", "c", ""}});
  // Multi-line data joined with LF; one trailing LF stripped.
  check("data: one\ndata: two\ndata\n\n", {{"message", "one\ntwo\n", ""}});
  // Only one leading space is removed from a value.
  check("data:  two spaces\ndata:none\n\n", {{"message", " two spaces\nnone", ""}});
  // Comments are ignored; unknown fields too; "data " (space before colon) is unknown.
  check(": keep-alive\nfoo: bar\ndata : x\ndata: y\n\n", {{"message", "y", ""}});
  // event sets the type for one event only.
  check("event: endpoint\ndata: /messages?sessionId=1\n\ndata: next\n\n",
        {{"endpoint", "/messages?sessionId=1", ""}, {"message", "next", ""}});
  // The id persists across events; an empty id resets it; NUL in id is ignored.
  check(
      "id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 8\nid: x\0y\ndata: d\n\n"s,
      {{"message", "a", "7"}, {"message", "b", "7"}, {"message", "c", ""}, {"message", "d", "8"}});
  // An event with no data dispatches nothing, but still sets the last event id.
  check("id: 5\n\ndata: z\n\n", {{"message", "z", "5"}});
  // A leading BOM is stripped once; a second BOM is data.
  check("\xEF\xBB\xBF"
        "data: bom\n\n",
        {{"message", "bom", ""}});
  // A partial event at the end of the stream is discarded.
  check("data: whole\n\ndata: partial", {{"message", "whole", ""}});
  check("data: no blank line\n", {});
}

TEST_CASE("retry takes only ASCII digits", "[sse]") {
  CHECK(parse_in_pieces("retry: 1500\n\n", 1).retry == 1500u);
  CHECK_FALSE(parse_in_pieces("retry: 1.5\n\n", 1).retry.has_value());
  CHECK_FALSE(parse_in_pieces("retry: -3\n\n", 1).retry.has_value());
  CHECK_FALSE(parse_in_pieces("retry:\n\n", 1).retry.has_value());
  CHECK(parse_in_pieces("retry: 10\nretry: x\n\n", 2).retry == 10u);
  CHECK_FALSE(parse_in_pieces("retry: 99999999999999999999999\n\n", 3).retry.has_value());
}

TEST_CASE("an event over the size limit is an error, not unbounded memory", "[sse]") {
  sse::parser p{64};
  std::vector<sse::event> out;
  CHECK(p.feed("data: small\n\n", out));
  CHECK_FALSE(p.feed("data: " + std::string(100, 'x'), out));
  CHECK(p.error().find("larger than 64 bytes") != std::string::npos);
  CHECK_FALSE(p.feed("\n\n", out));
  CHECK(out.size() == 1);
}

TEST_CASE("encoded frames parse back to the same event", "[sse]") {
  std::vector<std::string> datas{
      "plain",     "", "two\nlines", "cr\rlf\r\nmix\n", ": not a comment", "{\"jsonrpc\":\"2.0\"}",
      "trailing\n"};
  for (auto& data : datas) {
    INFO(data);
    auto text = sse::encode({"message", "s1-42", data, 3000});
    auto got = parse_in_pieces(text, 1);
    REQUIRE(got.events.size() == 1);
    std::string normalized;
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (data[i] == '\r') {
        normalized += '\n';
        if (i + 1 < data.size() && data[i + 1] == '\n')
          ++i;
      } else {
        normalized += data[i];
      }
    }
    CHECK(got.events[0].data == normalized);
    CHECK(got.events[0].id == "s1-42");
    CHECK(got.retry == 3000u);
  }
  CHECK(sse::encode({{}, "p1", "", std::nullopt}) == "id: p1\ndata: \n\n");
  CHECK(sse::comment() == ":\n\n");
  CHECK(sse::comment("a\nb") == ": a b\n\n");
  CHECK_THROWS_AS(sse::encode({"bad\ntype", {}, "x", std::nullopt}), std::invalid_argument);
  CHECK_THROWS_AS(sse::encode({{}, "bad\rid", "x", std::nullopt}), std::invalid_argument);
  CHECK(parse_in_pieces(sse::comment("keep-alive"), 1).events.empty());
}
