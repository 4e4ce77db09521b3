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

} // namespace mcp::actors
