#include "transport/http_client_edge.hpp"

#include "actors/messages.hpp"
#include "transport/strand_gate.hpp"

#include <caf/all.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <thread>

namespace mcp::transport {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto connect_timeout = std::chrono::seconds{10};
constexpr std::size_t read_chunk_bytes = 16 * 1024;

// One call: connect, write the request, read the head, then the body piece by piece.
class client_call : public std::enable_shared_from_this<client_call> {
public:
  client_call(net::io_context& ioc, actors::http_call call, caf::actor reply_to)
    : stream_(net::make_strand(ioc)), resolver_(stream_.get_executor()), call_(std::move(call)),
      reply_to_(std::move(reply_to)) {}

  void start() {
    resolver_.async_resolve(
        call_.host, std::to_string(call_.port),
        [self = shared_from_this()](beast::error_code e, tcp::resolver::results_type results) {
          if (e)
            return self->fail("resolve " + self->call_.host + ": " + e.message());
          self->connect(results);
        });
  }

  void connect(const tcp::resolver::results_type& results) {
    stream_.expires_after(connect_timeout);
    stream_.async_connect(results, [self = shared_from_this()](beast::error_code e, auto) {
      if (e)
        return self->fail("connect: " + e.message());
      beast::error_code ignored; // small writes must not wait for delayed ACKs (Nagle)
      self->stream_.socket().set_option(tcp::no_delay(true), ignored);
      self->write();
    });
  }

  // On the strand (through the gate).
  void abandon() {
    done_ = true;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  net::any_io_executor executor() { return stream_.get_executor(); }

private:
  void write() {
    auto& r = call_.request;
    request_.method_string(r.method);
    request_.target(r.target);
    request_.version(11);
    request_.set(http::field::host, call_.host + ":" + std::to_string(call_.port));
    for (auto& [name, value] : r.headers)
      request_.set(name, value);
    request_.body() = r.body;
    request_.prepare_payload();
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code e, auto) {
      if (e)
        return self->fail("write: " + e.message());
      self->stream_.expires_never();
      self->read_head();
    });
  }

  void read_head() {
    parser_.body_limit(boost::none);
    http::async_read_header(
        stream_, buffer_, parser_, [self = shared_from_this()](beast::error_code e, auto) {
          if (e)
            return self->fail("response head: " + e.message());
          actors::http_response head;
          head.status = static_cast<int>(self->parser_.get().result_int());
          for (auto& f : self->parser_.get()) {
            std::string name{f.name_string()};
            for (auto& c : name)
              c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            head.headers.emplace_back(std::move(name), std::string{f.value()});
          }
          caf::anon_send(self->reply_to_, actors::open_atom::value, self->call_.id,
                         std::move(head));
          self->read_body();
        });
  }

  void read_body() {
    if (done_)
      return;
    if (parser_.is_done())
      return finish();
    parser_.get().body().data = chunk_;
    parser_.get().body().size = sizeof chunk_;
    http::async_read_some(stream_, buffer_, parser_,
                          [self = shared_from_this()](beast::error_code e, auto) {
                            auto n = sizeof self->chunk_ - self->parser_.get().body().size;
                            if (n > 0)
                              caf::anon_send(self->reply_to_, actors::chunk_atom::value,
                                             self->call_.id, std::string{self->chunk_, n});
                            if (e && e != http::error::need_buffer)
                              return self->fail("response body: " + e.message());
                            self->read_body();
                          });
  }

  void finish() {
    done_ = true;
    caf::anon_send(reply_to_, actors::ended_atom::value, call_.id);
  }

  void fail(std::string reason) {
    if (done_)
      return;
    done_ = true;
    caf::anon_send(reply_to_, actors::closed_atom::value, call_.id, std::move(reason));
  }

  beast::tcp_stream stream_;
  tcp::resolver resolver_;
  beast::flat_buffer buffer_;
  actors::http_call call_;
  caf::actor reply_to_;
  http::request<http::string_body> request_;
  http::response_parser<http::buffer_body> parser_;
  char chunk_[read_chunk_bytes];
  bool done_ = false;
};

// The actors' handle on a call: closing it abandons the connection.
caf::behavior call_handle(caf::event_based_actor* self, std::weak_ptr<client_call> call,
                          std::shared_ptr<strand_gate> gate) {
  return {
      [=](actors::close_atom) {
        gate->post(call, [](client_call& c) { c.abandon(); });
        self->quit();
      },
  };
}

} // namespace

struct beast_client_edge::impl {
  explicit impl(caf::actor_system& sys) : system(sys), work(net::make_work_guard(ioc)) {
    thread = std::thread{[this] { ioc.run(); }};
  }
  caf::actor_system& system;
  std::shared_ptr<strand_gate> gate = std::make_shared<strand_gate>();
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> work;
  std::thread thread;
};

beast_client_edge::beast_client_edge(caf::actor_system& system)
  : impl_(std::make_unique<impl>(system)) {}

beast_client_edge::~beast_client_edge() { stop(); }

caf::actor beast_client_edge::start(actors::http_call call, caf::actor reply_to) {
  std::weak_ptr<client_call> handle;
  auto id = call.id;
  auto started = impl_->gate->enter([&] {
    auto c = std::make_shared<client_call>(impl_->ioc, std::move(call), reply_to);
    handle = c;
    net::post(c->executor(), [c] { c->start(); });
  });
  if (!started)
    caf::anon_send(reply_to, actors::closed_atom::value, id, std::string{"the client is stopped"});
  return impl_->system.spawn(call_handle, handle, impl_->gate);
}

void beast_client_edge::stop() {
  if (!impl_->thread.joinable())
    return;
  impl_->work.reset();
  impl_->ioc.stop();
  impl_->thread.join();
  // Call handles may outlive this edge; from here on they reach no connection.
  impl_->gate->close();
}

} // namespace mcp::transport
