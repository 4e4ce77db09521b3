#include <mcp/http.hpp>

#include "actors/messages.hpp"
#include "actors/runtime_internals.hpp"
#include "transport/http_connection.hpp"

#include <caf/all.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

namespace mcp {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct http_server::impl {
  impl(server_runtime& rt, http_options opts)
    : runtime(rt), options(std::make_shared<const http_options>(std::move(opts))),
      acceptor(net::make_strand(ioc)) {}

  void accept() {
    acceptor.async_accept(
        net::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
          if (ec == net::error::operation_aborted || !acceptor.is_open())
            return; // the server is stopping
          if (ec) {
            // Out of descriptors (EMFILE) or a connection reset before it was accepted: keep
            // accepting, after a pause that lets connections close.
            retry_timer.expires_after(std::chrono::milliseconds{50});
            retry_timer.async_wait([this](boost::system::error_code e) {
              if (!e)
                accept();
            });
            return;
          }
          // An SSE response is several small writes (head, events, last chunk); with Nagle's
          // algorithm each waits for the peer's delayed ACK (40 ms on Linux).
          boost::system::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          auto& rt = runtime.internal();
          bool over_cap = false;
          std::shared_ptr<transport::http_connection> c;
          {
            std::lock_guard<std::mutex> guard{mutex};
            connections.remove_if([](auto& w) { return w.expired(); });
            over_cap = connections.size() >= options->connections_max;
            if (!over_cap) {
              c = std::make_shared<transport::http_connection>(
                  std::move(socket),
                  transport::http_edge{rt.system, rt.broker, rt.bounds.message_bytes_max, options,
                                       gate, &rt.observer});
              connections.push_back(c);
            }
          }
          if (over_cap) {
            // A flood would be a flood of lines too: logged at the 1st, 2nd, 4th, 8th... refusal.
            auto n = rt.observer.stats.reject(actors::rejection::connection_cap);
            if ((n & (n - 1)) == 0)
              rt.observer.log.write(log_severity::warning, "connection_refused",
                                    {{"reason", "connections_max"},
                                     {"limit", std::to_string(options->connections_max)},
                                     {"refused_so_far", std::to_string(n)}});
            refuse(std::move(socket));
          } else
            c->start();
          accept();
        });
  }

  // A connection over the cap: told why, then closed, without reading its request.
  static void refuse(tcp::socket socket) {
    static const std::string answer =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 1\r\n"
        "Connection: close\r\nContent-Length: 42\r\n\r\n"
        "Service Unavailable: too many connections\n";
    auto s = std::make_shared<tcp::socket>(std::move(socket));
    net::async_write(*s, net::buffer(answer), [s](boost::system::error_code, std::size_t) {
      boost::system::error_code ignored;
      s->shutdown(tcp::socket::shutdown_both, ignored);
      s->close(ignored);
    });
  }

  server_runtime& runtime;
  std::shared_ptr<const http_options> options;
  std::shared_ptr<transport::strand_gate> gate = std::make_shared<transport::strand_gate>();
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer retry_timer{acceptor.get_executor()};
  std::uint16_t port = 0;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::condition_variable stopped_cv;
  bool stopped = false;
  bool joined = false;
  std::list<std::weak_ptr<transport::http_connection>> connections;
};

namespace {

tcp::endpoint resolve(net::io_context& ioc, const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (!ec)
    return {address, port};
  tcp::resolver resolver{ioc};
  auto results = resolver.resolve(host, std::to_string(port));
  return *results.begin();
}

} // namespace

http_server::http_server(server_runtime& runtime, http_options options)
  : impl_(std::make_unique<impl>(runtime, std::move(options))) {
  auto& rt = runtime.internal();
  caf::anon_send(rt.broker, actors::http_atom::value, impl_->options);
  auto endpoint = resolve(impl_->ioc, impl_->options->host, impl_->options->port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(net::socket_base::max_listen_connections);
  impl_->port = acceptor.local_endpoint().port();
  impl_->accept();
  auto threads = std::max<std::size_t>(1, impl_->options->io_threads);
  for (std::size_t i = 0; i < threads; ++i)
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

http_server::~http_server() { stop(); }

std::uint16_t http_server::port() const { return impl_->port; }

std::string http_server::url() const {
  auto host = impl_->options->host;
  if (host.find(':') != std::string::npos)
    host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(impl_->port) + impl_->options->endpoint;
}

void http_server::stop() {
  {
    std::lock_guard<std::mutex> guard{impl_->mutex};
    if (impl_->stopped)
      return;
    impl_->stopped = true;
  }
  net::post(impl_->acceptor.get_executor(), [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->retry_timer.cancel();
  });
  // Sessions answer what is pending and close their streams; then the sockets go, each
  // once its last response is written (bounded: a client that stopped reading is cut).
  impl_->runtime.stop();
  auto open_connections = [&] {
    std::lock_guard<std::mutex> guard{impl_->mutex};
    impl_->connections.remove_if([](auto& w) { return w.expired(); });
    return impl_->connections;
  };
  for (auto& weak : open_connections())
    if (auto c = weak.lock())
      c->shutdown();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{2};
  while (!open_connections().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  impl_->ioc.stop();
  for (auto& t : impl_->threads)
    t.join();
  // Exchange actors may outlive this server; from here on they reach no connection.
  impl_->gate->close();
  std::lock_guard<std::mutex> guard{impl_->mutex};
  impl_->joined = true;
  impl_->stopped_cv.notify_all();
}

void http_server::wait() {
  std::unique_lock<std::mutex> guard{impl_->mutex};
  impl_->stopped_cv.wait(guard, [this] { return impl_->joined; });
}

} // namespace mcp
