#include "actors/http_policy.hpp"

#include "actors/oauth_policy.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace mcp::actors {

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

namespace {

// "host:port" or "[v6]:port" without the port.
std::string_view without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  return host.substr(0, host.find(':'));
}

const std::vector<std::string>& loopback_hosts() {
  static const std::vector<std::string> hosts{"127.0.0.1", "localhost", "[::1]"};
  return hosts;
}

} // namespace

bool host_allowed(std::optional<std::string_view> host, const http_options& o) {
  if (!host)
    return false;
  auto name = lower(without_port(*host));
  auto& allowed = o.allowed_hosts.empty() ? loopback_hosts() : o.allowed_hosts;
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& a) { return lower(a) == name; });
}

// Origin is scheme://host[:port]; the port does not matter.
bool origin_allowed(std::string_view origin, const http_options& o) {
  auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos)
    return false; // "null" and other opaque origins
  auto scheme = lower(origin.substr(0, scheme_end));
  auto host = lower(without_port(origin.substr(scheme_end + 3)));
  if (!o.allowed_origins.empty())
    return std::any_of(o.allowed_origins.begin(), o.allowed_origins.end(),
                       [&](const std::string& a) {
                         auto a_end = a.find("://");
                         return a_end != std::string::npos && lower(a.substr(0, a_end)) == scheme &&
                                lower(without_port(std::string_view{a}.substr(a_end + 3))) == host;
                       });
  return (scheme == "http" || scheme == "https") &&
         std::find(loopback_hosts().begin(), loopback_hosts().end(), host) !=
             loopback_hosts().end();
}

header_list cors_headers(std::string_view origin) {
  return {{"access-control-allow-origin", std::string{origin}},
          {"vary", "Origin"},
          {"access-control-expose-headers", "Mcp-Session-Id, MCP-Protocol-Version"}};
}

http_response cors_preflight(std::string_view origin) {
  auto headers = cors_headers(origin);
  headers.insert(headers.end(),
                 {{"access-control-allow-methods", "GET, POST, DELETE, OPTIONS"},
                  {"access-control-allow-headers",
                   "Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, "
                   "Last-Event-ID, Mcp-Method, Mcp-Name"},
                  {"access-control-max-age", "600"}});
  return {204, std::move(headers), {}};
}

std::optional<http_response> edge_answer(http_request& request, const http_options& o,
                                         std::optional<std::string>& cors_origin) {
  cors_origin.reset();
  if (auto origin = request.header("origin"); origin && origin_allowed(*origin, o))
    cors_origin = std::string{*origin};
  if (request.method == "OPTIONS") {
    if (!cors_origin)
      return http_response{
          403, {{"content-type", "text/plain"}}, "Forbidden: origin not allowed\n"};
    return cors_preflight(*cors_origin);
  }
  if (o.oauth) {
    // The metadata is public, but only under an allowed Host, like everything else.
    if (!host_allowed(request.header("host"), o))
      return http_response{
          403, {{"content-type", "text/plain"}}, "Forbidden: invalid Host header\n"};
    return oauth_answer(request, o);
  }
  if (o.authenticate) {
    auto principal = o.authenticate(std::string{request.header("authorization").value_or("")});
    if (!principal)
      return http_response{
          401,
          {{"www-authenticate", o.www_authenticate}, {"content-type", "application/json"}},
          R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Unauthorized"},"id":null})"};
    request.principal = std::move(*principal);
  }
  return std::nullopt;
}

} // namespace mcp::actors
