// MCP authorization (2025-06-18 and later) on the server side: an OAuth 2.1 resource
// server. Requests carry `Authorization: Bearer <token>`; a pluggable verifier says whose
// token it is, for which resource and with which scopes. The server publishes its RFC 9728
// Protected Resource Metadata at /.well-known/oauth-protected-resource (and at that path
// followed by the MCP endpoint's path), answers 401 with a WWW-Authenticate challenge that
// points there, 403 `insufficient_scope` when a scope is missing, and binds each session to
// its token's subject (another subject gets 404 for it).
//
//   mcp::oauth_resource auth;
//   auth.authorization_servers = {"https://auth.example.com"};
//   auth.scopes_supported = auth.required_scopes = {"mcp:tools"};
//   auth.verify = mcp::static_token_verifier({{"s3cret", {"alice", {"mcp:tools"}, {}, {}}}});
//   mcp::http_options o;
//   o.oauth = auth;
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcp {

// What a verifier learned from a valid token.
struct token_info {
  std::string subject; // sessions are bound to it
  std::vector<std::string> scopes;
  // The resource (RFC 8707 audience) the token was issued for; empty: not checked here
  // (the verifier checked it itself).
  std::string audience;
  std::optional<std::chrono::system_clock::time_point> expires;
};

// Given a bearer token and this server's resource identifier, the token's facts, or
// nullopt when the token is unknown, forged or revoked. Audience and expiry in the result
// are checked by the server. Runs on the I/O thread: cache what is slow to learn.
using token_verifier =
    std::function<std::optional<token_info>(const std::string& token, const std::string& resource)>;

struct oauth_resource {
  // This server's canonical URI (RFC 8707), e.g. "https://mcp.example.com/mcp". Empty:
  // "http://<Host header><endpoint>", fine on loopback; set it behind a TLS proxy.
  std::string resource;
  std::vector<std::string> authorization_servers; // issuers clients get tokens from
  std::vector<std::string> scopes_supported;      // published in the metadata
  std::vector<std::string> required_scopes;       // every request needs all of them
  std::string resource_name;                      // optional, human-readable
  token_verifier verify;
};

// A verifier over a fixed table of tokens (tests, examples, service accounts). Tokens
// with an audience are valid only for that resource; expired ones are refused.
token_verifier static_token_verifier(std::map<std::string, token_info> tokens);

} // namespace mcp
