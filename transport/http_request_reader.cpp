#include "transport/http_request_reader.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include <cctype>

namespace mcp::transport {

namespace http = boost::beast::http;
namespace net = boost::asio;

void apply_bounds(request_parser& parser, std::size_t body_bytes_max) {
  parser.body_limit(body_bytes_max);
  parser.header_limit(header_bytes_max);
}

std::optional<actors::http_response> read_failure_response(boost::beast::error_code ec,
                                                           std::size_t body_bytes_max) {
  auto text = [](int status, std::string body) {
    return actors::http_response{status, {{"content-type", "text/plain"}}, std::move(body)};
  };
  if (ec == http::error::body_limit)
    return text(413, "Payload Too Large: the body exceeds " + std::to_string(body_bytes_max) +
                         " bytes\n");
  if (ec == http::error::header_limit)
    return text(431, "Request Header Fields Too Large\n");
  if (ec == http::error::end_of_stream || ec == boost::beast::error::timeout ||
      ec == net::error::eof || ec == net::error::connection_reset ||
      ec == net::error::operation_aborted)
    return std::nullopt;
  return text(400, "Bad Request: " + ec.message() + "\n");
}

actors::http_request to_request(http::request<http::string_body>&& req) {
  actors::http_request out;
  out.method = std::string{req.method_string()};
  out.target = std::string{req.target()};
  for (auto& field : req) {
    std::string name{field.name_string()};
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string{field.value()});
  }
  out.body = std::move(req.body());
  return out;
}

} // namespace mcp::transport
