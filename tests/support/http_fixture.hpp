// The real HTTP server on 127.0.0.1 (a free port) over the test catalog, with helpers to
// open and use sessions: shared by the server tests and the bad-input suite.
//
//   mcp::test::http_fixture f;            // or f{options, runtime_options}
//   auto sid = f.initialize();            // initialize + initialized, 2025-11-25
//   auto r = f.client().send("POST", "/mcp", f.session_headers(sid), test::request(2, "ping"));
#pragma once

#include <mcp/http.hpp>
#include <mcp/runtime.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/json_assert.hpp"
#include "tests/support/rpc_text.hpp"
#include "tests/support/test_server.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mcp::test {

inline const http_client::headers_t post_headers{{"content-type", "application/json"},
                                                 {"accept", "application/json, text/event-stream"}};

inline std::vector<sse::event> events_of(const std::string& body) {
  sse::parser p;
  std::vector<sse::event> out;
  p.feed(body, out);
  return out;
}

// The JSON-RPC messages of an SSE body (priming events have no data).
inline std::vector<std::shared_ptr<json_document>> messages_of(const std::string& body) {
  std::vector<std::shared_ptr<json_document>> out;
  for (auto& e : events_of(body))
    if (!e.data.empty())
      out.push_back(parse(e.data));
  return out;
}

struct http_fixture {
  std::shared_ptr<gate> blocker = std::make_shared<gate>();
  server_runtime rt;
  http_server http;

  explicit http_fixture(http_options options = {}, runtime_options ro = {})
    : rt{make_test_server(blocker), ro}, http{rt, std::move(options)} {}
  ~http_fixture() { blocker->open(); }

  http_client client() { return http_client{http.port()}; }

  http_client::headers_t session_headers(const std::string& sid,
                                         const std::string& version = "2025-11-25") {
    auto h = post_headers;
    h["mcp-session-id"] = sid;
    h["mcp-protocol-version"] = version;
    return h;
  }

  std::string initialize(const std::string& version = "2025-11-25",
                         const http_client::headers_t& extra = {}) {
    auto c = client();
    auto h = post_headers;
    h.insert(extra.begin(), extra.end());
    auto r = c.send("POST", "/mcp", h, initialize_text(version));
    REQUIRE(r.status == 200);
    auto sid = r.header("mcp-session-id");
    REQUIRE(sid.size() == 32);
    auto msgs = r.header("content-type") == "application/json"
                    ? std::vector<std::shared_ptr<json_document>>{parse(r.body)}
                    : messages_of(r.body);
    REQUIRE(msgs.size() == 1);
    CHECK(str_at(*msgs[0], "/result/protocolVersion") == version);
    auto sh = session_headers(sid, version);
    sh.insert(extra.begin(), extra.end());
    auto n = c.send("POST", "/mcp", sh, initialized_text);
    CHECK(n.status == 202);
    return sid;
  }
};

} // namespace mcp::test
