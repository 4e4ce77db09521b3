// Who may talk to the HTTP server: the DNS-rebinding defences (Host and Origin
// allow-lists) and the CORS answers that let allowed browser pages use it.
#pragma once

#include <mcp/http.hpp>

#include "actors/http_exchange.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mcp::actors {

std::string lower(std::string_view s);

// The Host header names an allowed host (any port). A missing Host is not allowed.
bool host_allowed(std::optional<std::string_view> host, const http_options& o);

// The Origin (scheme://host[:port]) is allowed (any port).
bool origin_allowed(std::string_view origin, const http_options& o);

// CORS headers for a response to a request from `origin` (already allowed).
header_list cors_headers(std::string_view origin);

// The answer to a CORS preflight (OPTIONS) from an allowed origin.
http_response cors_preflight(std::string_view origin);

// What the edge answers itself, before a request reaches the broker: CORS preflights and
// authentication (401 without a principal). Sets `cors_origin` to the request's Origin when
// it is allowed, and `request.principal` when authentication is configured; nullopt means
// the request goes on to the broker.
std::optional<http_response> edge_answer(http_request& request, const http_options& o,
                                         std::optional<std::string>& cors_origin);

} // namespace mcp::actors
