#include "bench/load/link.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <netinet/in.h>

#include <stdexcept>

namespace load {

endpoint parse_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    throw std::invalid_argument("not an http:// URL: " + url);
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  auto colon = authority.rfind(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("no port in URL: " + url);
  return {authority.substr(0, colon),
          static_cast<unsigned short>(std::stoul(authority.substr(colon + 1))),
          slash == std::string::npos ? "/" : rest.substr(slash)};
}

namespace {

request base(http::verb verb, const endpoint& where, const std::string& session,
             const std::string& version, const std::string& path) {
  request req{verb, path.empty() ? where.path : path, 11};
  req.set(http::field::host, where.host + ":" + std::to_string(where.port));
  req.keep_alive(true);
  if (!session.empty())
    req.set("Mcp-Session-Id", session);
  if (!version.empty())
    req.set("MCP-Protocol-Version", version);
  return req;
}

} // namespace

request post(const endpoint& where, const std::string& session, const std::string& version,
             std::string body, const std::string& path) {
  auto req = base(http::verb::post, where, session, version, path);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::accept, "application/json, text/event-stream");
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

request get(const endpoint& where, const std::string& session, const std::string& version,
            const std::string& last_event_id, const std::string& path) {
  auto req = base(http::verb::get, where, session, version, path);
  req.set(http::field::accept, "text/event-stream");
  if (!last_event_id.empty())
    req.set("Last-Event-ID", last_event_id);
  return req;
}

net::awaitable<void> link::connect(const endpoint& where, const net::ip::address& source) {
  auto& socket = stream_.socket();
  socket.open(source.is_v6() ? net::ip::tcp::v6() : net::ip::tcp::v4());
  // The port is chosen at connect() (IP_BIND_ADDRESS_NO_PORT), as for an unbound socket:
  // ports in TIME_WAIT towards other peers stay usable.
  socket.set_option(net::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>{true});
  socket.bind({source, 0});
  co_await stream_.async_connect({net::ip::make_address(where.host), where.port},
                                 net::use_awaitable);
  socket.set_option(net::ip::tcp::no_delay(true));
}

net::awaitable<response> link::exchange(request req) {
  co_await http::async_write(stream_, req, net::use_awaitable);
  response res;
  co_await http::async_read(stream_, buffer_, res, net::use_awaitable);
  co_return res;
}

net::awaitable<void> link::stream(request req, head_handler on_head, event_handler on_event) {
  co_await http::async_write(stream_, req, net::use_awaitable);
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  co_await http::async_read_header(stream_, buffer_, parser, net::use_awaitable);
  on_head(parser.get().base());
  mcp::sse::parser sse;
  std::vector<mcp::sse::event> events;
  char chunk[16 * 1024];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof chunk;
    beast::error_code ec;
    co_await http::async_read_some(stream_, buffer_, parser,
                                   net::redirect_error(net::use_awaitable, ec));
    if (ec && ec != http::error::need_buffer)
      co_return; // the stream ended (closed or reset)
    auto n = sizeof chunk - parser.get().body().size;
    events.clear();
    sse.feed({chunk, n}, events);
    for (auto& e : events)
      if (!on_event(e))
        co_return;
  }
}

void link::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

std::vector<mcp::sse::event> events_of(const std::string& body) {
  mcp::sse::parser sse;
  std::vector<mcp::sse::event> events;
  sse.feed(body, events);
  sse.finish();
  return events;
}

} // namespace load
