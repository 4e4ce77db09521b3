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
  : system_(system), net_(net), seed_(seed), slots_(static_cast<std::size_t>(s.server.instances)) {
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
  if (s.server.instances > 1)
    hub_ = std::make_unique<memory_cluster_hub>(bounds_.stream_events_max);
}

server_node::~server_node() = default;

caf::actor server_node::any_broker() const {
  for (auto& s : slots_)
    if (s.broker && !s.stopping)
      return s.broker;
  return nullptr;
}

void server_node::start(int instance) {
  auto& s = slots_[static_cast<std::size_t>(instance)];
  unroute(instance);
  ++s.incarnation;
  // Seeds as a single server always had them; each instance's differ.
  randoms_.push_back(actors::make_seeded_entropy(seed_ * 1'000 +
                                                 static_cast<std::uint64_t>(s.incarnation) +
                                                 static_cast<std::uint64_t>(instance) * 100));
  std::shared_ptr<cluster> shared;
  if (hub_) {
    shared = hub_->join("i" + std::to_string(instance) + "." + std::to_string(s.incarnation));
    event_logs_.push_back(std::make_unique<event_log_factory>(shared->event_logs()));
  } else {
    event_logs_.push_back(
        std::make_unique<event_log_factory>(memory_event_logs(bounds_.stream_events_max)));
  }
  s.broker = system_.spawn(actors::broker,
                           actors::broker_config{catalog_, &bounds_, &pool_, randoms_.back().get(),
                                                 event_logs_.back().get(), &observer_, shared});
  caf::anon_send(s.broker, actors::http_atom::value, http_);
  net_.set_server(instance, s.broker);
  net_.record(hub_
                  ? "server " + std::to_string(instance) + " start " + std::to_string(s.incarnation)
                  : "server start " + std::to_string(s.incarnation));
}

void server_node::stop(int instance) {
  auto& s = slots_[static_cast<std::size_t>(instance)];
  if (!s.broker || s.stopping)
    return;
  net_.record(hub_ ? "server " + std::to_string(instance) + " stop " + std::to_string(s.incarnation)
                   : "server stop " + std::to_string(s.incarnation));
  // The broker drains its sessions and ends; its store membership ends with it.
  caf::anon_send(s.broker, actors::stop_atom::value);
  s.stopping = true;
}

void server_node::unroute(int instance) {
  auto& s = slots_[static_cast<std::size_t>(instance)];
  if (!s.stopping)
    return;
  s.stopping = false;
  s.broker = nullptr;
  net_.set_server(instance, nullptr);
}

void server_node::crash(int instance) {
  auto& s = slots_[static_cast<std::size_t>(instance)];
  if (!s.broker)
    return;
  net_.record(hub_
                  ? "server " + std::to_string(instance) + " crash " + std::to_string(s.incarnation)
                  : "server crash " + std::to_string(s.incarnation));
  if (hub_)
    hub_->leave("i" + std::to_string(instance) + "." + std::to_string(s.incarnation));
  // Linked sessions die with the broker; their memory (event logs) goes with them.
  caf::anon_send_exit(s.broker, caf::exit_reason::kill);
  s.broker = nullptr;
  net_.set_server(instance, nullptr);
  if (hub_)
    net_.cut_instance(instance, "the server instance crashed");
  else
    net_.cut_all("the server crashed");
}

} // namespace mcp::sim
