// The server as an OAuth 2.1 resource server over real HTTP: RFC 9728 metadata, the
// RFC 6750 challenges for missing, malformed, invalid, foreign, expired and under-scoped
// tokens, and sessions bound to the token's subject.
#include "tests/support/http_fixture.hpp"

#include <catch2/catch.hpp>

using namespace mcp;
using test::http_fixture;
using test::request;
using test::str_at;

namespace {

http_options protected_server() {
  oauth_resource auth;
  auth.authorization_servers = {"https://auth.example.com"};
  auth.scopes_supported = {"mcp:tools", "mcp:admin"};
  auth.required_scopes = {"mcp:tools"};
  auth.resource_name = "test server";
  auto past = std::chrono::system_clock::now() - std::chrono::hours{1};
  auth.verify = static_token_verifier({
      {"alice-token", {"alice", {"mcp:tools"}, {}, {}}},
      {"bob-token", {"bob", {"mcp:tools", "mcp:admin"}, {}, {}}},
      {"reader-token", {"carol", {"mcp:read"}, {}, {}}},
      {"expired-token", {"dave", {"mcp:tools"}, {}, past}},
      {"elsewhere-token", {"erin", {"mcp:tools"}, "https://other.example.com/mcp", {}}},
  });
  http_options o;
  o.oauth = auth;
  return o;
}

} // namespace

TEST_CASE("oauth: the protected resource metadata is published where the challenge points",
          "[oauth]") {
  http_fixture f{protected_server()};
  auto anonymous =
      f.client().send("POST", "/mcp", test::post_headers, test::initialize_text("2025-11-25"));
  REQUIRE(anonymous.status == 401);
  auto host = "127.0.0.1:" + std::to_string(f.http.port());
  auto metadata_url = "http://" + host + "/.well-known/oauth-protected-resource/mcp";
  CHECK(anonymous.header("www-authenticate") ==
        R"(Bearer resource_metadata=")" + metadata_url + R"(", scope="mcp:tools")");
  CHECK(test::int_at(*test::parse(anonymous.body), "/error/code") == -32000);

  for (auto path :
       {"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"}) {
    auto m = f.client().send("GET", path, {});
    REQUIRE(m.status == 200);
    CHECK(m.header("content-type") == "application/json");
    auto doc = test::parse(m.body);
    CHECK(str_at(*doc, "/resource") == "http://" + host + "/mcp");
    CHECK(str_at(*doc, "/authorization_servers/0") == "https://auth.example.com");
    CHECK(str_at(*doc, "/scopes_supported/1") == "mcp:admin");
    CHECK(str_at(*doc, "/bearer_methods_supported/0") == "header");
    CHECK(str_at(*doc, "/resource_name") == "test server");
  }
  CHECK(f.client().send("POST", "/.well-known/oauth-protected-resource", {}, "{}").status == 405);
  CHECK(f.client()
            .send("GET", "/.well-known/oauth-protected-resource", {{"host", "evil.example"}})
            .status == 403);
}

TEST_CASE("oauth: every bad token gets the challenge that names its fault", "[oauth]") {
  http_fixture f{protected_server()};
  auto init = test::initialize_text("2025-11-25");
  auto www = [&](const std::string& authorization) {
    auto h = test::post_headers;
    h["authorization"] = authorization;
    auto r = f.client().send("POST", "/mcp", h, init);
    return std::make_pair(r.status, r.header("www-authenticate"));
  };
  auto contains = [](const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
  };
  auto [s1, w1] = www("Bearer forged");
  CHECK(s1 == 401);
  CHECK(contains(w1, R"(error="invalid_token")"));
  auto [s2, w2] = www("Bearer expired-token");
  CHECK(s2 == 401);
  CHECK(contains(w2, "has expired"));
  auto [s3, w3] = www("Bearer elsewhere-token"); // issued for another resource (RFC 8707)
  CHECK(s3 == 401);
  CHECK(contains(w3, "another resource"));
  auto [s4, w4] = www("Bearer reader-token");
  CHECK(s4 == 403);
  CHECK(contains(w4, R"(error="insufficient_scope")"));
  CHECK(contains(w4, R"(scope="mcp:tools")"));
  auto [s5, w5] = www("Basic YWxpY2U6cHc=");
  CHECK(s5 == 400);
  CHECK(contains(w5, R"(error="invalid_request")"));
  auto [s6, w6] = www("Bearer    ");
  CHECK(s6 == 400);
  // A token in the query string is not a token.
  CHECK(f.client().send("POST", "/mcp?access_token=alice-token", test::post_headers, init).status ==
        401);
  // The scheme is case-insensitive.
  CHECK(f.client()
            .send("POST", "/mcp",
                  {{"content-type", "application/json"},
                   {"accept", "application/json, text/event-stream"},
                   {"authorization", "bearer alice-token"}},
                  init)
            .status == 200);
  CHECK(f.rt.session_count() == 1);
}

TEST_CASE("oauth: a session belongs to its token's subject", "[oauth]") {
  http_fixture f{protected_server()};
  auto sid = f.initialize("2025-11-25", {{"authorization", "Bearer alice-token"}});
  auto as = [&](const std::string& token) {
    auto h = f.session_headers(sid);
    h["authorization"] = "Bearer " + token;
    return h;
  };
  auto call = request(2, "tools/call", R"({"name":"echo","arguments":{"text":"mine"}})");
  auto own = f.client().send("POST", "/mcp", as("alice-token"), call);
  CHECK(own.status == 200);
  CHECK(str_at(*test::messages_of(own.body).back(), "/result/content/0/text") == "mine");
  // Bob's token is valid, but the session is not his.
  CHECK(f.client().send("POST", "/mcp", as("bob-token"), call).status == 404);
  auto get = as("bob-token");
  get["accept"] = "text/event-stream";
  CHECK(f.client().send("GET", "/mcp", get).status == 404);
  CHECK(f.client().send("DELETE", "/mcp", as("bob-token")).status == 404);
  CHECK(f.client().send("DELETE", "/mcp", as("alice-token")).status == 200);
}
