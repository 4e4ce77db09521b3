// A small HTTP/1.1 client for tests of the real server on 127.0.0.1: whole responses,
// and SSE streams read event by event. Every read is bounded in time (never a timed
// assertion: a bound against hangs).
#pragma once

#include "protocol/sse.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>

namespace mcp::test {

struct http_reply {
  int status = 0;
  std::map<std::string, std::string> headers; // names in lower case
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

class http_client {
public:
  using headers_t = std::map<std::string, std::string>;

  explicit http_client(std::uint16_t port)
    : host_("127.0.0.1:" + std::to_string(port)), stream_(ioc_) {
    stream_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  // Sends a request and reads the whole response.
  http_reply send(const std::string& method, const std::string& target, const headers_t& headers,
                  const std::string& body = {}) {
    write(method, target, headers, body);
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bool done = false;
    boost::beast::error_code error;
    boost::beast::http::async_read(stream_, buffer_, parser, [&](auto ec, auto) {
      error = ec;
      done = true;
    });
    run_until(done);
    http_reply r;
    if (!done || error)
      return r;
    auto& res = parser.get();
    r.status = static_cast<int>(res.result_int());
    for (auto& f : res)
      r.headers[lower(std::string{f.name_string()})] = std::string{f.value()};
    r.body = res.body();
    return r;
  }

  // Sends a request and reads only the response head; the body is then read with
  // next_event() (an SSE stream) or rest() (anything else).
  http_reply open(const std::string& method, const std::string& target, const headers_t& headers,
                  const std::string& body = {}) {
    write(method, target, headers, body);
    parser_.emplace();
    parser_->body_limit(boost::none);
    bool done = false;
    boost::beast::error_code error;
    boost::beast::http::async_read_header(stream_, buffer_, *parser_, [&](auto ec, auto) {
      error = ec;
      done = true;
    });
    run_until(done);
    http_reply r;
    if (!done || error)
      return r;
    r.status = static_cast<int>(parser_->get().result_int());
    for (auto& f : parser_->get())
      r.headers[lower(std::string{f.name_string()})] = std::string{f.value()};
    return r;
  }

  // The next SSE event of the opened stream; nullopt when it ended or after `bound`.
  std::optional<sse::event> next_event(std::chrono::milliseconds bound = std::chrono::seconds{10}) {
    auto deadline = std::chrono::steady_clock::now() + bound;
    while (events_.empty() && !ended_) {
      if (!read_some(deadline))
        break;
    }
    if (events_.empty())
      return std::nullopt;
    auto e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

  // True when the opened stream ends (the server closed it) within `bound`.
  bool stream_ends(std::chrono::milliseconds bound = std::chrono::seconds{10}) {
    auto deadline = std::chrono::steady_clock::now() + bound;
    while (!ended_)
      if (!read_some(deadline))
        break;
    return ended_;
  }

  const std::string& last_event_id() const { return sse_.last_event_id(); }
  std::optional<std::uint64_t> retry_ms() const { return sse_.retry_ms(); }

  // Drops the connection (a client that goes away mid-stream).
  void disconnect() {
    boost::beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  // Sends raw bytes and returns at once (a client that dribbles its request).
  bool write_raw(const std::string& bytes) {
    boost::beast::error_code error;
    boost::asio::write(stream_.socket(), boost::asio::buffer(bytes), error);
    return !error;
  }

  // True when the server closes the connection within `bound` (whatever it sent first).
  bool closed_by_peer(std::chrono::milliseconds bound = std::chrono::seconds{10}) {
    char chunk[4096];
    auto deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
      bool done = false;
      boost::beast::error_code error;
      stream_.socket().async_read_some(boost::asio::buffer(chunk), [&](auto ec, auto) {
        error = ec;
        done = true;
      });
      if (!run_until(done, std::chrono::duration_cast<std::chrono::milliseconds>(
                               deadline - std::chrono::steady_clock::now())))
        return false;
      if (error)
        return error == boost::asio::error::eof || error == boost::asio::error::connection_reset;
    }
    return false;
  }

  // Sends raw bytes (for malformed requests) and reads whatever comes back until close. The
  // server may answer and close before it has read them all (413): that write error is
  // expected, and the answer is still there to read.
  std::string raw(const std::string& bytes) {
    write_raw(bytes);
    std::string out;
    char chunk[4096];
    for (;;) {
      bool done = false;
      std::size_t n = 0;
      boost::beast::error_code error;
      stream_.socket().async_read_some(boost::asio::buffer(chunk), [&](auto ec, auto size) {
        error = ec;
        n = size;
        done = true;
      });
      run_until(done);
      if (!done || error)
        return out;
      out.append(chunk, n);
    }
  }

private:
  static std::string lower(std::string s) {
    for (auto& c : s)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  void write(const std::string& method, const std::string& target, const headers_t& headers,
             const std::string& body) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, host_);
    for (auto& [name, value] : headers)
      req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
  }

  // Runs the pending operation; false when it had to be cancelled after `bound`.
  bool run_until(bool& done, std::chrono::milliseconds bound = std::chrono::seconds{10}) {
    ioc_.restart();
    ioc_.run_for(bound);
    if (done)
      return true;
    stream_.cancel();
    ioc_.restart();
    ioc_.run_for(std::chrono::seconds{1});
    return false;
  }

  bool read_some(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !parser_)
      return false;
    char chunk[8192];
    parser_->get().body().data = chunk;
    parser_->get().body().size = sizeof chunk;
    bool done = false;
    boost::beast::error_code error;
    boost::beast::http::async_read_some(stream_, buffer_, *parser_, [&](auto ec, auto) {
      error = ec;
      done = true;
    });
    bool in_time = run_until(done, left);
    auto n = sizeof chunk - parser_->get().body().size;
    if (!in_time) {
      // Nothing came within the bound: the stream is still open, just quiet.
      std::vector<sse::event> events;
      sse_.feed({chunk, n}, events);
      events_.insert(events_.end(), events.begin(), events.end());
      return false;
    }
    std::vector<sse::event> events;
    sse_.feed({chunk, n}, events);
    events_.insert(events_.end(), events.begin(), events.end());
    if (error == boost::beast::http::error::need_buffer)
      return true;
    if (error || parser_->is_done())
      ended_ = true;
    return true;
  }

  std::string host_; // as a browser or SDK sends it: with the port
  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::buffer_body>> parser_;
  sse::parser sse_;
  std::deque<sse::event> events_;
  bool ended_ = false;
};

} // namespace mcp::test
