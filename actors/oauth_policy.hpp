// The OAuth 2.1 resource server of mcp/auth.hpp as the edge applies it: the RFC 9728
// metadata document, and the bearer-token check with its RFC 6750 challenges.
#pragma once

#include "actors/http_exchange.hpp"

#include <mcp/http.hpp>

#include <optional>
#include <string>

namespace mcp::actors {

// RFC 9728 §3.1: the metadata of resource "https://h/p" is at
// "https://h/.well-known/oauth-protected-resource/p".
std::string protected_resource_metadata_url(const std::string& resource);

// With o.oauth set: the metadata document for a GET of its well-known path; else the
// challenge (401/403/400) for a request whose bearer token is missing, invalid, for another
// resource, expired or short of a scope; else nullopt, with `request.principal` set to the
// token's subject.
std::optional<http_response> oauth_answer(http_request& request, const http_options& o);

} // namespace mcp::actors
