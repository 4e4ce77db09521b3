// JSON-RPC 2.0 decoding and encoding: every malformed input becomes an error value.
#include "protocol/jsonrpc.hpp"

#include "tests/support/json_assert.hpp"

#include <catch2/catch.hpp>

using namespace mcp;
using namespace mcp::jsonrpc;

namespace {

const codec_limits limits{1024, 8, 4};

const message& only_message(const decoded& d) {
  REQUIRE(d.items.size() == 1);
  REQUIRE(std::holds_alternative<message>(d.items[0]));
  return std::get<message>(d.items[0]);
}

const rejected& only_rejection(const decoded& d) {
  REQUIRE(d.items.size() == 1);
  REQUIRE(std::holds_alternative<rejected>(d.items[0]));
  return std::get<rejected>(d.items[0]);
}

} // namespace

TEST_CASE("a request keeps its exact id, integer or string", "[jsonrpc]") {
  auto d = decode(R"({"jsonrpc":"2.0","id":7,"method":"ping"})", limits);
  auto& m = only_message(d);
  CHECK(m.is_request());
  CHECK(m.method == "ping");
  CHECK(m.id.to_json() == "7");
  auto s = decode(R"({"jsonrpc":"2.0","id":"7","method":"ping","params":{}})", limits);
  CHECK(only_message(s).id.to_json() == "\"7\"");
  CHECK(only_message(s).id.key() != m.id.key());
  CHECK(encode_result(only_message(s).id, "{}") == R"({"jsonrpc":"2.0","id":"7","result":{}})");
}

TEST_CASE("notifications, results and errors are told apart", "[jsonrpc]") {
  CHECK(only_message(decode(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", limits))
            .is_notification());
  auto result = decode(R"({"jsonrpc":"2.0","id":1,"result":{"a":1}})", limits);
  auto& r = only_message(result);
  CHECK(r.type == kind::result);
  CHECK(get_int(*r.result, "a") == 1);
  auto error = decode(
      R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no","data":[1]}})", limits);
  auto& e = only_message(error);
  CHECK(e.type == kind::error);
  CHECK(e.error.code == -32601);
  CHECK(e.error.data.text == "[1]");
}

TEST_CASE("malformed JSON is a parse error with a null id", "[jsonrpc]") {
  auto truncated = decode(R"({"jsonrpc":"2.0",)", limits);
  auto& r = only_rejection(truncated);
  CHECK(r.error.code == code::parse_error);
  CHECK_FALSE(r.id.has_value());
  CHECK(encode_rejected(r).find(R"("id":null)") != std::string::npos);
  CHECK(only_rejection(decode("{} trailing", limits)).error.code == code::parse_error);
  CHECK(only_rejection(decode("", limits)).error.code == code::parse_error);
}

TEST_CASE("invalid UTF-8 is a parse error", "[jsonrpc]") {
  std::string text = "{\"jsonrpc\":\"2.0\",\"method\":\"a\xff\"}";
  CHECK(only_rejection(decode(text, limits)).error.code == code::parse_error);
}

// Found by fuzz/jsonrpc_decode: our own answer to unreadable input (id null) did not decode.
TEST_CASE("an error response with a null id decodes, without an id", "[jsonrpc]") {
  auto d = decode(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})",
                  limits);
  REQUIRE(d.items.size() == 1);
  auto* m = std::get_if<message>(&d.items[0]);
  REQUIRE(m != nullptr);
  CHECK(m->type == kind::error);
  CHECK_FALSE(m->has_id);
  CHECK(m->error.code == code::parse_error);
}

// Found by fuzz/jsonrpc_decode: RapidJSON turned an escaped lone surrogate into bytes that
// are not UTF-8, which the server then wrote back (in "method not found: ...").
TEST_CASE("an escaped lone surrogate is a parse error; a surrogate pair is text", "[jsonrpc]") {
  CHECK(only_rejection(decode(R"({"jsonrpc":"2.0","id":1,"method":"a\uDEEEb"})", limits))
            .error.code == code::parse_error);
  auto pair = decode(R"({"jsonrpc":"2.0","id":1,"method":"\uD83D\uDE00"})", limits);
  REQUIRE(std::holds_alternative<message>(pair.items.at(0)));
  CHECK(std::get<message>(pair.items[0]).method == "\xF0\x9F\x98\x80");
  // Hangul (lead byte ED, second byte below A0) is fine.
  auto hangul = decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xED\x95\x9C\"}", limits);
  CHECK(std::holds_alternative<message>(hangul.items.at(0)));
}

TEST_CASE("structurally invalid messages are invalid requests", "[jsonrpc]") {
  auto bad_version = only_rejection(decode(R"({"jsonrpc":"1.0","id":3,"method":"x"})", limits));
  CHECK(bad_version.error.code == code::invalid_request);
  REQUIRE(bad_version.id.has_value());
  CHECK(bad_version.id->to_json() == "3");
  CHECK(only_rejection(decode(R"({"jsonrpc":"2.0","id":1.5,"method":"x"})", limits)).error.code ==
        code::invalid_request);
  CHECK(only_rejection(decode(R"({"jsonrpc":"2.0","id":null,"method":"x"})", limits)).error.code ==
        code::invalid_request);
  CHECK(only_rejection(decode(R"({"jsonrpc":"2.0","id":null,"result":{}})", limits)).error.code ==
        code::invalid_request);
  CHECK(only_rejection(decode(R"({"jsonrpc":"2.0","id":null,"method":"x","error":{}})", limits))
            .error.code == code::invalid_request);
  CHECK(only_rejection(decode(R"({"jsonrpc":"2.0","id":1,"method":5})", limits)).error.code ==
        code::invalid_request);
  CHECK(only_rejection(decode(R"({"jsonrpc":"2.0","id":1,"method":"x","params":3})", limits))
            .error.code == code::invalid_request);
  CHECK(only_rejection(decode(R"({"jsonrpc":"2.0","id":1})", limits)).error.code ==
        code::invalid_request);
  CHECK(only_rejection(decode(R"([])", limits)).error.code == code::invalid_request);
  CHECK(only_rejection(decode(R"(42)", limits)).error.code == code::invalid_request);
}

TEST_CASE("batches decode element by element", "[jsonrpc]") {
  auto d =
      decode(R"([{"jsonrpc":"2.0","id":1,"method":"a"},7,{"jsonrpc":"2.0","method":"n"}])", limits);
  REQUIRE(d.batch);
  REQUIRE(d.items.size() == 3);
  CHECK(std::holds_alternative<message>(d.items[0]));
  CHECK(std::get<rejected>(d.items[1]).error.code == code::invalid_request);
  CHECK(std::get<message>(d.items[2]).is_notification());
  CHECK(encode_batch({"1", "2"}) == "[1,2]");
}

TEST_CASE("limits on size, depth and batch length are errors, not crashes", "[jsonrpc]") {
  std::string big =
      R"({"jsonrpc":"2.0","method":"x","params":{"s":")" + std::string(2000, 'a') + "\"}}";
  auto too_big = only_rejection(decode(big, limits));
  CHECK(too_big.error.code == code::parse_error);
  CHECK(too_big.error.message.find("limit is 1024") != std::string::npos);

  std::string deep = R"({"jsonrpc":"2.0","method":"x","params":)" + std::string(20, '[') +
                     std::string(20, ']') + "}";
  auto too_deep = only_rejection(decode(deep, limits));
  CHECK(too_deep.error.message.find("deeper than the limit of 8") != std::string::npos);

  std::string very_deep(100000, '[');
  CHECK(only_rejection(decode(very_deep, {200000, 64, 4})).error.code == code::parse_error);

  auto long_batch = decode(R"([1,2,3,4,5])", limits);
  CHECK_FALSE(long_batch.batch);
  CHECK(only_rejection(long_batch).error.message.find("limit is 4") != std::string::npos);
}

TEST_CASE("encoders write valid JSON-RPC", "[jsonrpc]") {
  auto req =
      test::parse(encode_request(request_id{std::string{"a\"b"}}, "tools/call", R"({"x":1})"));
  CHECK(test::str_at(*req, "/id") == "a\"b");
  CHECK(test::str_at(*req, "/method") == "tools/call");
  CHECK(test::int_at(*req, "/params/x") == 1);
  auto note = test::parse(encode_notification("notifications/initialized", ""));
  CHECK(test::at(*note, "/params") == nullptr);
  auto err =
      test::parse(encode_error(request_id{5}, {code::invalid_params, "bad", {R"({"k":1})"}}));
  CHECK(test::int_at(*err, "/error/code") == code::invalid_params);
  CHECK(test::int_at(*err, "/error/data/k") == 1);
}
