#include "actors/oauth_policy.hpp"

#include "actors/http_policy.hpp"
#include "protocol/json_writer.hpp"

#include <algorithm>

namespace mcp::actors {

namespace {

constexpr std::string_view well_known = "/.well-known/oauth-protected-resource";

std::string resource_of(const http_request& r, const http_options& o) {
  if (!o.oauth->resource.empty())
    return o.oauth->resource;
  return "http://" + std::string{r.header("host").value_or("127.0.0.1")} + o.endpoint;
}

std::string path_of(const std::string& url) {
  auto scheme_end = url.find("://");
  auto path = scheme_end == std::string::npos ? std::string::npos : url.find('/', scheme_end + 3);
  return path == std::string::npos ? std::string{} : url.substr(path);
}

std::string quoted(std::string_view s) {
  std::string out{"\""};
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (auto& s : items)
    out += (out.empty() ? "" : " ") + s;
  return out;
}

http_response metadata(const std::string& resource, const oauth_resource& o) {
  protocol::json_writer w;
  w.begin_object().member("resource", resource);
  w.key("authorization_servers").begin_array();
  for (auto& s : o.authorization_servers)
    w.string(s);
  w.end_array();
  if (!o.scopes_supported.empty()) {
    w.key("scopes_supported").begin_array();
    for (auto& s : o.scopes_supported)
      w.string(s);
    w.end_array();
  }
  w.key("bearer_methods_supported").begin_array().string("header").end_array();
  w.optional_member("resource_name", o.resource_name);
  w.end_object();
  // Public, and read by browser-based clients from any origin.
  return {200,
          {{"content-type", "application/json"},
           {"cache-control", "max-age=3600"},
           {"access-control-allow-origin", "*"}},
          w.str()};
}

// RFC 6750 §3: `Bearer resource_metadata="..."[, error="..."][, scope="..."]`.
http_response challenge(int status, const std::string& resource, const oauth_resource& o,
                        std::string_view error, std::string_view description) {
  auto value = "Bearer resource_metadata=" + quoted(protected_resource_metadata_url(resource));
  if (!error.empty())
    value += ", error=" + quoted(error) + ", error_description=" + quoted(description);
  if (!o.required_scopes.empty())
    value += ", scope=" + quoted(joined(o.required_scopes));
  protocol::json_writer w;
  w.begin_object().member("jsonrpc", "2.0").key("error").begin_object();
  w.key("code").integer(-32000);
  w.member("message", description.empty() ? std::string_view{"Unauthorized"} : description);
  w.end_object().key("id").null().end_object();
  return {status, {{"www-authenticate", value}, {"content-type", "application/json"}}, w.str()};
}

} // namespace

std::string protected_resource_metadata_url(const std::string& resource) {
  auto path = path_of(resource);
  auto origin = resource.substr(0, resource.size() - path.size());
  return origin + std::string{well_known} + (path == "/" ? std::string{} : path);
}

std::optional<http_response> oauth_answer(http_request& request, const http_options& o) {
  auto& auth = *o.oauth;
  auto resource = resource_of(request, o);
  auto path = request.path();
  if (path == well_known || path == std::string{well_known} + path_of(resource)) {
    if (request.method != "GET")
      return http_response{
          405, {{"allow", "GET"}, {"content-type", "text/plain"}}, "Method Not Allowed\n"};
    return metadata(resource, auth);
  }
  // Only the header carries tokens: MCP forbids them in the query string.
  auto header = request.header("authorization");
  if (!header)
    return challenge(401, resource, auth, {}, {});
  constexpr std::string_view scheme = "bearer ";
  auto start = header->find_first_not_of(' ', scheme.size());
  if (header->size() <= scheme.size() || lower(header->substr(0, scheme.size())) != scheme ||
      start == std::string_view::npos)
    return challenge(400, resource, auth, "invalid_request",
                     "the Authorization header must be: Bearer <token>");
  auto token = std::string{header->substr(start)};
  auto info = auth.verify ? auth.verify(token, resource) : std::nullopt;
  if (!info)
    return challenge(401, resource, auth, "invalid_token", "the token is not valid");
  if (!info->audience.empty() && info->audience != resource)
    return challenge(401, resource, auth, "invalid_token", "the token is for another resource");
  if (info->expires && *info->expires <= std::chrono::system_clock::now())
    return challenge(401, resource, auth, "invalid_token", "the token has expired");
  for (auto& needed : auth.required_scopes)
    if (std::find(info->scopes.begin(), info->scopes.end(), needed) == info->scopes.end())
      return challenge(403, resource, auth, "insufficient_scope",
                       "the token lacks the scope " + needed);
  request.principal = std::move(info->subject);
  return std::nullopt;
}

} // namespace mcp::actors

namespace mcp {

token_verifier static_token_verifier(std::map<std::string, token_info> tokens) {
  return [tokens = std::move(tokens)](const std::string& token,
                                      const std::string&) -> std::optional<token_info> {
    auto it = tokens.find(token);
    if (it == tokens.end())
      return std::nullopt;
    return it->second;
  };
}

} // namespace mcp
