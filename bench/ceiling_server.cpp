// ceiling_server: a bare Boost.Beast keep-alive HTTP server that answers every request with
// one fixed JSON-RPC result, doing nothing else. It is the ceiling for one HTTP
// request/response on this machine: no MCP, no JSON parsing, no actors. One I/O thread,
// like bench_server's HTTP edge.
//
//   ceiling_server --port 0      prints its URL, serves until killed
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstring>
#include <iostream>
#include <memory>
#include <string>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

const std::string body =
    R"({"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"hello"}]}})";

class session : public std::enable_shared_from_this<session> {
public:
  explicit session(tcp::socket socket) : stream_(std::move(socket)) {}

  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec)
                         self->write();
                     });
  }

private:
  void write() {
    response_ = {http::status::ok, request_.version()};
    response_.set(http::field::content_type, "application/json");
    response_.keep_alive(request_.keep_alive());
    response_.body() = body;
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (!ec && self->response_.keep_alive())
                          self->read();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

void accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket socket) {
    if (!ec)
      std::make_shared<session>(std::move(socket))->read();
    accept(acceptor);
  });
}

} // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  if (argc == 3 && std::strcmp(argv[1], "--port") == 0)
    port = static_cast<unsigned short>(std::stoul(argv[2]));
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), port}};
  accept(acceptor);
  std::cout << "ceiling_server: http://127.0.0.1:" << acceptor.local_endpoint().port() << "/mcp"
            << std::endl;
  ioc.run();
}
