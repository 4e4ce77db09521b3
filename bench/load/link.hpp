// One keep-alive HTTP/1.1 connection of the load client, driven by C++20 coroutines on a
// single-threaded io_context: whole exchanges (POST -> response) and SSE streams (GET or
// POST -> events until the stream ends).
//
//   load::link l{executor};
//   co_await l.connect(where, source);
//   auto res = co_await l.exchange(load::post(where, session, body));
//   co_await l.stream(load::get(where, session), on_head, on_event);
#pragma once

#include "protocol/sse.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <string>

namespace load {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

struct endpoint {
  std::string host;
  unsigned short port = 0;
  std::string path; // of the MCP endpoint, e.g. /mcp
};
endpoint parse_url(const std::string& url);

// A POST of a JSON-RPC message to `path` (the endpoint unless given); `session` and
// `version` become Mcp-Session-Id and MCP-Protocol-Version when not empty.
request post(const endpoint& where, const std::string& session, const std::string& version,
             std::string body, const std::string& path = {});
// A GET that opens an SSE stream at `path` (the endpoint unless given).
request get(const endpoint& where, const std::string& session, const std::string& version,
            const std::string& last_event_id = {}, const std::string& path = {});

// Returns false to end the stream early.
using event_handler = std::function<bool(const mcp::sse::event&)>;
using head_handler = std::function<void(const http::response_header<>&)>;

class link {
public:
  explicit link(net::any_io_executor executor) : stream_(std::move(executor)) {}

  // Connects from `source` (any port): spreading many connections over several loopback
  // source addresses lifts the limit of one address's ephemeral ports.
  net::awaitable<void> connect(const endpoint& where,
                               const net::ip::address& source = net::ip::make_address("127.0.0.1"));
  net::awaitable<response> exchange(request req);
  // Sends `req`, tells `on_head` the response head, then each SSE event to `on_event`.
  // Returns when the stream ends or `on_event` returns false.
  net::awaitable<void> stream(request req, head_handler on_head, event_handler on_event);
  void close();

private:
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// The SSE events in a whole body (a POST answered with a stream that has ended).
std::vector<mcp::sse::event> events_of(const std::string& body);

} // namespace load
