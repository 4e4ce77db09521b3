// A TCP proxy on 127.0.0.1 for fault tests of real clients: it forwards both ways, and
// cuts every connection whose request contains `marker` after `cut_after_bytes` bytes of
// the answer have passed, as a dying link or a proxy with a byte budget would.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace mcp::test {

class cutting_proxy {
public:
  cutting_proxy(std::uint16_t upstream_port, std::string marker, std::size_t cut_after_bytes)
    : upstream_port_(upstream_port), marker_(std::move(marker)), cut_after_(cut_after_bytes),
      acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread{[this] { ioc_.run(); }};
  }
  ~cutting_proxy() {
    ioc_.stop();
    thread_.join();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int cuts() const { return cuts_; }

private:
  using tcp = boost::asio::ip::tcp;

  struct link : std::enable_shared_from_this<link> {
    link(boost::asio::io_context& ioc, cutting_proxy& p) : client(ioc), server(ioc), proxy(p) {}
    tcp::socket client;
    tcp::socket server;
    cutting_proxy& proxy;
    std::array<char, 8192> up{};
    std::array<char, 8192> down{};
    std::string request_seen;
    bool marked = false;
    std::size_t answered = 0;

    void start() {
      server.async_connect({boost::asio::ip::make_address("127.0.0.1"), proxy.upstream_port_},
                           [self = shared_from_this()](auto ec) {
                             if (ec)
                               return self->close();
                             self->pump_up();
                             self->pump_down();
                           });
    }
    void pump_up() {
      client.async_read_some(boost::asio::buffer(up), [self = shared_from_this()](auto ec, auto n) {
        if (ec)
          return self->close();
        if (!self->marked) {
          self->request_seen.append(self->up.data(), n);
          self->marked = self->request_seen.find(self->proxy.marker_) != std::string::npos;
        }
        boost::asio::async_write(self->server, boost::asio::buffer(self->up.data(), n),
                                 [self](auto e, auto) {
                                   if (e)
                                     return self->close();
                                   self->pump_up();
                                 });
      });
    }
    void pump_down() {
      server.async_read_some(
          boost::asio::buffer(down), [self = shared_from_this()](auto ec, auto n) {
            if (ec)
              return self->close();
            std::size_t pass = n;
            bool cut = false;
            if (self->marked && self->answered + n >= self->proxy.cut_after_) {
              pass = self->proxy.cut_after_ - std::min(self->answered, self->proxy.cut_after_);
              cut = true;
            }
            self->answered += pass;
            boost::asio::async_write(self->client, boost::asio::buffer(self->down.data(), pass),
                                     [self, cut](auto e, auto) {
                                       if (e || cut) {
                                         if (cut)
                                           ++self->proxy.cuts_;
                                         return self->close();
                                       }
                                       self->pump_down();
                                     });
          });
    }
    void close() {
      boost::system::error_code ignored;
      client.close(ignored);
      server.close(ignored);
    }
  };

  void accept() {
    auto l = std::make_shared<link>(ioc_, *this);
    acceptor_.async_accept(l->client, [this, l](auto ec) {
      if (ec)
        return;
      l->start();
      accept();
    });
  }

  std::uint16_t upstream_port_;
  std::string marker_;
  std::size_t cut_after_;
  std::atomic<int> cuts_{0};
  boost::asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

} // namespace mcp::test
