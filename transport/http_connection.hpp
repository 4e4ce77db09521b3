// One TCP connection of the HTTP edge (Boost.Beast). It reads one request at a time,
// hands it to the broker through a new exchange actor, and writes what that actor posts
// back: a whole response, or a chunked SSE stream. It owns its socket, its buffer and its
// write queue, and nothing else; everything runs on its strand.
#pragma once

#include "actors/http_exchange.hpp"
#include "actors/telemetry.hpp"
#include "transport/strand_gate.hpp"

#include <mcp/http.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace mcp::transport {

struct http_edge {
  caf::actor_system& system;
  caf::actor broker;
  std::size_t body_bytes_max;
  std::shared_ptr<const http_options> options;
  std::shared_ptr<strand_gate> gate; // closed by the server before its io_context goes
  actors::telemetry* observer;       // owned by the runtime, which outlives the server
};

class http_connection : public std::enable_shared_from_this<http_connection> {
public:
  http_connection(boost::asio::ip::tcp::socket socket, http_edge edge);
  ~http_connection();

  void start();
  // Called on the strand by the exchange actor.
  void respond(actors::http_response response);
  void open_stream(actors::http_response head);
  void write_chunk(std::shared_ptr<const std::string> bytes, std::uint64_t seq, caf::actor ack_to);
  void finish_stream();
  // Ends the connection once the response being written is out (server shutdown: the
  // sessions have ended, so every response ends soon); safe from any thread.
  void shutdown();

  boost::asio::any_io_executor executor() { return stream_.get_executor(); }

private:
  // Bytes to send: a response head (and body), or one chunk of a stream.
  struct outgoing {
    std::string prefix;                      // a head, or a chunk's size line
    std::shared_ptr<const std::string> body; // may be null
    bool chunk = false;                      // a CRLF ends it
    std::function<void()> then;              // once it is written
  };

  void read_request();
  void on_request(boost::beast::error_code ec);
  void watch_peer();
  void enqueue(outgoing w);
  void write_next();
  void end_exchange();
  void fail();
  template <class Response> void add_cors(Response& res);

  http_edge edge_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  caf::actor exchange_;                    // the request being answered, if any
  std::optional<std::string> cors_origin_; // the allowed Origin of that request
  bool keep_alive_ = false;
  // What the request being answered was, for the log line of a refusal (kept only when
  // that line would be written).
  std::string method_, path_, session_;
  bool watching_ = false; // a read that notices the peer closing is in flight
  bool writing_ = false;
  bool closed_ = false;
  bool shutting_down_ = false; // the server stops: no request after this response
  std::deque<outgoing> writes_;
  std::vector<outgoing> in_flight_; // what the write in progress sends
};

} // namespace mcp::transport
