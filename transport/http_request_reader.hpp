// Reading one request off the wire: Beast's parser with the edge's bounds, what a read
// that failed is answered with, and the edge interface's http_request made from it. Kept
// apart from the connection so that the fuzz target reads bytes exactly as the server does.
//
//   mcp::transport::request_parser p;
//   mcp::transport::apply_bounds(p, body_bytes_max);
//   ... read into p ...
//   if (ec) answer = mcp::transport::read_failure_response(ec, body_bytes_max);
//   else request = mcp::transport::to_request(p.release());
#pragma once

#include "actors/http_exchange.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <optional>

namespace mcp::transport {

using request_parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// A request's head (request line and every header) may not be larger.
inline constexpr std::size_t header_bytes_max = 16 * 1024;

void apply_bounds(request_parser& parser, std::size_t body_bytes_max);

// The answer to a request that could not be read (413, 431, 400 naming the error), after
// which the connection closes; nullopt when the peer went away or timed out (no answer).
std::optional<actors::http_response> read_failure_response(boost::beast::error_code ec,
                                                           std::size_t body_bytes_max);

// Header names in lower case, values as sent.
actors::http_request to_request(boost::beast::http::request<boost::beast::http::string_body>&& req);

} // namespace mcp::transport
