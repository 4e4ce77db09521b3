#include "transport/http_connection.hpp"

#include "actors/http_policy.hpp"
#include "actors/messages.hpp"
#include "transport/http_request_reader.hpp"

#include <caf/all.hpp>

#include <boost/asio/dispatch.hpp>

#include <sstream>

namespace mcp::transport {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

// Bytes a client may send while its response is pending (pipelining is not served).
constexpr std::size_t pending_input_bytes_max = 64 * 1024;
// Queued writes gathered into one send.
constexpr std::size_t writes_per_send_max = 64;

// The exchange actor: the actors' handle on one request of this connection. It posts
// what it receives onto the connection's strand and ends with the response.
caf::behavior exchange(caf::event_based_actor* self, std::weak_ptr<http_connection> weak,
                       std::shared_ptr<strand_gate> gate) {
  auto post = [weak, gate](auto f) { gate->post(weak, std::move(f)); };
  return {
      [=](actors::respond_atom, actors::http_response& r) {
        post([r = std::move(r)](http_connection& c) mutable { c.respond(std::move(r)); });
        self->quit();
      },
      [=](actors::open_atom, actors::http_response& head) {
        post([h = std::move(head)](http_connection& c) mutable { c.open_stream(std::move(h)); });
      },
      [=](actors::write_atom, std::string& bytes, std::uint64_t seq) {
        auto ack_to = caf::actor_cast<caf::actor>(self->current_sender());
        auto data = std::make_shared<const std::string>(std::move(bytes));
        post([data, seq, ack_to](http_connection& c) { c.write_chunk(data, seq, ack_to); });
      },
      [=](actors::written_atom, std::uint64_t seq, const caf::actor& ack_to) {
        self->send(ack_to, actors::written_atom::value, seq);
      },
      [=](actors::close_atom) {
        post([](http_connection& c) { c.finish_stream(); });
        self->quit();
      },
      [=](actors::closed_atom) { self->quit(); }, // the client went away
  };
}

} // namespace

http_connection::http_connection(net::ip::tcp::socket socket, http_edge edge)
  : edge_(std::move(edge)), stream_(std::move(socket)) {
  ++edge_.observer->stats.connections_open;
}

http_connection::~http_connection() { --edge_.observer->stats.connections_open; }

void http_connection::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void http_connection::read_request() {
  if (closed_)
    return;
  parser_.emplace();
  apply_bounds(*parser_, edge_.body_bytes_max);
  method_.clear();
  path_.clear();
  session_.clear();
  // The whole request must arrive within the bound however it is dribbled; a stream, once
  // answered, has no timeout (keep-alive comments keep intermediaries awake instead).
  stream_.expires_after(std::chrono::milliseconds{edge_.options->request_read_timeout_ms});
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
}

void http_connection::on_request(beast::error_code ec) {
  if (ec) {
    auto answer = read_failure_response(ec, edge_.body_bytes_max);
    if (!answer)
      return fail();
    keep_alive_ = false;
    return respond(std::move(*answer));
  }
  stream_.expires_never();
  keep_alive_ = parser_->keep_alive();
  auto request = to_request(parser_->release());
  parser_.reset();
  if (edge_.observer->log.enabled(log_severity::info)) {
    method_ = request.method;
    path_ = std::string{request.path()};
    session_ = std::string{request.header("mcp-session-id").value_or("")};
  }
  if (auto answer = actors::edge_answer(request, *edge_.options, cors_origin_))
    return respond(std::move(*answer));
  exchange_ = edge_.system.spawn(exchange, weak_from_this(), edge_.gate);
  caf::anon_send(edge_.broker, actors::http_atom::value, exchange_, std::move(request));
  watch_peer();
}

// While a response is pending nothing should arrive; a read that ends means the client
// closed the connection, which the actors learn when the exchange ends.
void http_connection::watch_peer() {
  if (watching_ || closed_)
    return;
  watching_ = true;
  // Nothing is expected here, so a held stream keeps a small buffer (memory per idle
  // session); the request's larger one is given back.
  buffer_.shrink_to_fit();
  stream_.async_read_some(buffer_.prepare(128),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->watching_ = false;
                            if (ec)
                              return self->fail();
                            self->buffer_.commit(n);
                            if (self->buffer_.size() > pending_input_bytes_max)
                              return self->fail();
                            if (self->exchange_)
                              self->watch_peer();
                            else
                              self->read_request();
                          });
}

namespace {

template <class Header> std::string serialize(const Header& head) {
  std::ostringstream out;
  out << head;
  return out.str();
}

} // namespace

void http_connection::respond(actors::http_response r) {
  if (r.status >= 400) {
    auto why = actors::rejection_of_status(r.status);
    edge_.observer->stats.reject(why);
    edge_.observer->log.write(log_severity::info, "http_rejected",
                              {{"status", std::to_string(r.status)},
                               {"reason", actors::to_string(why)},
                               {"method", method_},
                               {"path", path_},
                               {"session", session_}});
  }
  http::response<http::empty_body> res{static_cast<http::status>(r.status), 11};
  for (auto& [name, value] : r.headers)
    res.set(name, value);
  add_cors(res);
  res.keep_alive(keep_alive_);
  res.content_length(r.body.size());
  enqueue({serialize(res.base()), std::make_shared<const std::string>(std::move(r.body)), false,
           [this] { end_exchange(); }});
}

void http_connection::open_stream(actors::http_response head) {
  http::response<http::empty_body> res{static_cast<http::status>(head.status), 11};
  for (auto& [name, value] : head.headers)
    res.set(name, value);
  add_cors(res);
  res.keep_alive(keep_alive_);
  res.chunked(true);
  enqueue({serialize(res.base()), nullptr, false, {}});
}

void http_connection::write_chunk(std::shared_ptr<const std::string> bytes, std::uint64_t seq,
                                  caf::actor ack_to) {
  std::ostringstream size;
  size << std::hex << bytes->size() << "\r\n";
  auto empty = bytes->empty(); // a chunk of size 0 would end the stream
  enqueue({empty ? std::string{} : size.str(), empty ? nullptr : std::move(bytes), !empty,
           [seq, ack_to, exchange = exchange_] {
             // Through the exchange, so that the session knows which stream is acknowledged.
             if (seq != 0 && ack_to && exchange)
               caf::anon_send(exchange, actors::written_atom::value, seq, ack_to);
           }});
}

void http_connection::finish_stream() {
  enqueue({"0\r\n\r\n", nullptr, false, [this] { end_exchange(); }});
}

void http_connection::enqueue(outgoing w) {
  if (closed_)
    return;
  writes_.push_back(std::move(w));
  if (!writing_)
    write_next();
}

// Everything queued goes out in one gathered write: a short POST stream (head, priming
// event, response, last chunk) is one send instead of four.
void http_connection::write_next() {
  in_flight_.clear();
  if (writes_.empty() || closed_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  std::vector<net::const_buffer> buffers;
  while (!writes_.empty() && in_flight_.size() < writes_per_send_max) {
    in_flight_.push_back(std::move(writes_.front()));
    writes_.pop_front();
  }
  static const std::string crlf = "\r\n";
  for (auto& w : in_flight_) {
    buffers.push_back(net::buffer(w.prefix));
    if (w.body)
      buffers.push_back(net::buffer(*w.body));
    if (w.chunk)
      buffers.push_back(net::buffer(crlf));
  }
  net::async_write(stream_, buffers,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     if (ec)
                       return self->fail();
                     for (auto& w : self->in_flight_)
                       if (w.then)
                         w.then();
                     self->write_next();
                   });
}

void http_connection::end_exchange() {
  exchange_ = nullptr;
  if (shutting_down_)
    return fail();
  if (!keep_alive_) {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    closed_ = true;
    return;
  }
  if (!watching_)
    read_request();
}

void http_connection::fail() {
  if (closed_)
    return;
  closed_ = true;
  if (exchange_)
    caf::anon_send(exchange_, actors::closed_atom::value);
  exchange_ = nullptr;
  writes_.clear();
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

template <class Response> void http_connection::add_cors(Response& res) {
  if (cors_origin_ && res.find("access-control-allow-origin") == res.end())
    for (auto& [name, value] : actors::cors_headers(*cors_origin_))
      res.set(name, value);
}

void http_connection::shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->shutting_down_ = true;
    if (!self->exchange_)
      self->fail();
  });
}

} // namespace mcp::transport
