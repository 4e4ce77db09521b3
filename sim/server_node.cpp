#include "sim/server_node.hpp"

#include "actors/broker.hpp"
#include "sim/workload_server.hpp"

#include <caf/all.hpp>

namespace mcp::sim {

namespace {

constexpr std::int64_t never_ms = 24LL * 3600 * 1000;

} // namespace

server_node::server_node(caf::actor_system& system, network& net, const scenario& s,
                         std::uint64_t seed)
  : system_(system), net_(net), seed_(seed) {
  bounds_.handler_threads = 0;
  bounds_.stream_events_max = s.server.stream_events_max;
  bounds_.outbound_messages_max = s.server.outbound_messages_max;
  bounds_.request_timeout_ms = s.server.request_timeout_ms;
  auto http = std::make_shared<http_options>();
  http->retry_ms = s.server.retry_ms;
  http->keepalive_ms = s.server.keepalive_ms;
  http->session_idle_ms = s.server.session_idle_ms > 0 ? s.server.session_idle_ms : never_ms;
  http->json_responses = s.server.json_responses;
  http_ = std::move(http);
  catalog_ = std::make_shared<const server>(make_workload_server(s));
}

server_node::~server_node() = default;

void server_node::start() {
  ++incarnation_;
  randoms_.push_back(
      actors::make_seeded_entropy(seed_ * 1'000 + static_cast<std::uint64_t>(incarnation_)));
  event_logs_.push_back(
      std::make_unique<event_log_factory>(memory_event_logs(bounds_.stream_events_max)));
  broker_ = system_.spawn(actors::broker,
                          actors::broker_config{catalog_, &bounds_, &pool_, randoms_.back().get(),
                                                event_logs_.back().get(), &observer_});
  caf::anon_send(broker_, actors::http_atom::value, http_);
  net_.set_server(broker_);
  net_.record("server start " + std::to_string(incarnation_));
}

void server_node::crash() {
  if (!broker_)
    return;
  net_.record("server crash " + std::to_string(incarnation_));
  // Linked sessions die with the broker; their memory (event logs) goes with them.
  caf::anon_send_exit(broker_, caf::exit_reason::kill);
  broker_ = nullptr;
  net_.set_server(nullptr);
  net_.cut_all("the server crashed");
}

} // namespace mcp::sim
