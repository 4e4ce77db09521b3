#include "actors/cluster_envelope.hpp"

#include <catch2/catch.hpp>

using mcp::actors::decode_envelope;
using mcp::actors::encode;
using mcp::actors::envelope;

TEST_CASE("cluster envelope: a relayed request survives the trip, bytes and headers intact") {
  envelope e;
  e.what = envelope::kind::request;
  e.from = "instance-b";
  e.exchange = 42;
  e.request.method = "POST";
  e.request.target = "/messages?sessionId=abc";
  e.request.principal = "alice";
  e.request.body = std::string{"{\"a\":\"\xff\x00,:\"}", 12}; // not UTF-8, has NUL, comma, colon
  e.request.headers = {{"mcp-session-id", "abc"}, {"last-event-id", "3-17"}};
  auto back = decode_envelope(encode(e));
  REQUIRE(back);
  CHECK(back->what == envelope::kind::request);
  CHECK(back->from == "instance-b");
  CHECK(back->exchange == 42);
  CHECK(back->request.method == "POST");
  CHECK(back->request.target == e.request.target);
  CHECK(back->request.principal == "alice");
  CHECK(back->request.body == e.request.body);
  CHECK(back->request.headers == e.request.headers);
}

TEST_CASE("cluster envelope: each piece of an answer keeps its kind, sequence and bytes") {
  for (auto kind :
       {envelope::kind::respond, envelope::kind::open, envelope::kind::write, envelope::kind::close,
        envelope::kind::ack, envelope::kind::gone, envelope::kind::updated}) {
    envelope e;
    e.what = kind;
    e.from = "a";
    e.exchange = 7;
    e.seq = 99;
    e.response = {503, {{"retry-after", "1"}}, "busy"};
    e.bytes = "data: x\n\n";
    auto back = decode_envelope(encode(e));
    REQUIRE(back);
    CHECK(back->what == kind);
    CHECK(back->seq == 99);
    CHECK(back->response.status == 503);
    CHECK(back->response.headers == e.response.headers);
    bool has_bytes = kind == envelope::kind::write || kind == envelope::kind::updated;
    CHECK(back->bytes == (has_bytes ? e.bytes : ""));
    CHECK(back->response.body == (has_bytes ? "" : "busy"));
  }
}

TEST_CASE("cluster envelope: anything else is refused") {
  envelope e;
  e.what = envelope::kind::ack;
  auto good = encode(e);
  CHECK(decode_envelope(good));
  CHECK_FALSE(decode_envelope(""));
  CHECK_FALSE(decode_envelope(good.substr(0, good.size() - 1)));          // truncated
  CHECK_FALSE(decode_envelope(good + "3:abc,"));                          // an odd header field
  CHECK_FALSE(decode_envelope("99999999999:x,"));                         // a length past the end
  CHECK_FALSE(decode_envelope("5:hello,1:a,1:0,1:0,3:200,0:,0:,0:,0:,")); // unknown kind
  CHECK_FALSE(decode_envelope("3:ack,1:a,2:-1,1:0,3:200,0:,0:,0:,0:,"));  // not a number
  CHECK_FALSE(decode_envelope("3:ack,1:a,1:0,1:0,4:1000,0:,0:,0:,0:,"));  // no such status
  CHECK_FALSE(decode_envelope("3:ack;1:a,1:0,1:0,3:200,0:,0:,0:,0:,"));   // not a netstring
}
