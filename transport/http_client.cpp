// connect_http: a client of a Streamable HTTP endpoint, with its own actor system, the
// Beast client edge and an http_channel between them and the client session.
#include <mcp/client.hpp>

#include "actors/client_internals.hpp"
#include "actors/entropy.hpp"
#include "actors/http_channel.hpp"
#include "actors/messages.hpp"
#include "transport/http_client_edge.hpp"

#include <caf/all.hpp>

#include <stdexcept>

namespace mcp {

namespace {

struct endpoint {
  std::string host;
  std::uint16_t port;
  std::string path;
};

endpoint parse_url(const std::string& url) {
  constexpr std::string_view scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    throw std::invalid_argument("connect_http needs an http:// URL: " + url);
  auto rest = std::string_view{url}.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  endpoint e{{}, 80, slash == std::string_view::npos ? "/" : std::string{rest.substr(slash)}};
  auto colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    e.host = std::string{authority.substr(1, close - 1)};
    colon = authority.find(':', close);
  } else {
    e.host = std::string{authority.substr(0, colon)};
  }
  if (colon != std::string_view::npos) {
    auto port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(std::string{port}) > 65535)
      throw std::invalid_argument("bad port in URL: " + url);
    e.port = static_cast<std::uint16_t>(std::stoul(std::string{port}));
  }
  if (e.host.empty())
    throw std::invalid_argument("no host in URL: " + url);
  return e;
}

// Everything an HTTP client owns. Teardown order matters: the actors (which call the
// edge) finish first, then the edge's I/O thread (which messages the actors), then the
// actor system.
struct http_resources final : client::internals::resources {
  limits bounds; // the channel's copy: it lives as long as the channel
  caf::actor_system_config config;
  caf::actor_system system{config};
  std::unique_ptr<actors::entropy> random = actors::make_system_entropy();
  std::unique_ptr<transport::beast_client_edge> edge =
      std::make_unique<transport::beast_client_edge>(system);

  ~http_resources() override {
    system.await_all_actors_done();
    edge.reset();
  }
};

} // namespace

std::unique_ptr<client> connect_http(const std::string& url, client_options options) {
  auto where = parse_url(url);
  auto owned = std::make_unique<http_resources>();
  owned->bounds = options.bounds;
  actors::http_channel_config config{owned->edge.get(),
                                     where.host,
                                     where.port,
                                     where.path,
                                     &owned->bounds,
                                     options.reconnect,
                                     owned->random.get(),
                                     options.on_session_replaced,
                                     options.on_transport,
                                     options.transport,
                                     options.open_get_stream};
  auto channel = owned->system.spawn(actors::http_channel, std::move(config));
  auto& system = owned->system;
  return std::make_unique<client>(std::make_unique<client::internals>(
      system, std::move(channel), std::move(options), std::move(owned)));
}

} // namespace mcp
