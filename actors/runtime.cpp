#include "actors/broker.hpp"
#include "actors/runtime_internals.hpp"
#include "protocol/mcp_model.hpp"
#include "protocol/versions.hpp"

#include <caf/all.hpp>

#include <limits>

namespace mcp {

namespace {

// Which lists changed between two catalogs: bit 0 tools, 1 resources, 2 prompts.
int changed_lists(const server& before, const server& after) {
  protocol::page all{0, std::numeric_limits<std::size_t>::max()};
  auto v = protocol::v2025_11_25;
  int mask = 0;
  if (protocol::tools_page(before, all, v) != protocol::tools_page(after, all, v))
    mask |= 1;
  if (protocol::resources_page(before, all, v) != protocol::resources_page(after, all, v) ||
      protocol::templates_page(before, all, v) != protocol::templates_page(after, all, v))
    mask |= 2;
  if (protocol::prompts_page(before, all, v) != protocol::prompts_page(after, all, v))
    mask |= 4;
  return mask;
}

std::unique_ptr<actors::entropy> make_entropy(const runtime_options& options) {
  return options.seed ? actors::make_seeded_entropy(*options.seed) : actors::make_system_entropy();
}

} // namespace

server_runtime::internals::internals(server definition, runtime_options options)
  : bounds(options.bounds), current(std::move(definition)), random(make_entropy(options)),
    event_logs(options.event_logs ? std::move(options.event_logs)
               : options.cluster  ? options.cluster->event_logs()
                                  : memory_event_logs(options.bounds.stream_events_max)),
    observer(std::move(options.log)), pool(options.bounds.handler_threads), system(config) {
  actors::broker_config bc{std::make_shared<const server>(current),
                           &bounds,
                           &pool,
                           random.get(),
                           &event_logs,
                           &observer,
                           std::move(options.cluster)};
  broker = system.spawn(actors::broker, std::move(bc));
}

server_runtime::server_runtime(server definition, runtime_options options)
  : impl_(std::make_unique<internals>(std::move(definition), std::move(options))) {}

server_runtime::~server_runtime() {
  stop();
  impl_->pool.join();
}

void server_runtime::update(const std::function<void(server&)>& change) {
  std::lock_guard<std::mutex> guard{impl_->update_mutex};
  auto next = impl_->current;
  change(next);
  auto mask = changed_lists(impl_->current, next);
  impl_->current = next;
  caf::anon_send(impl_->broker, actors::catalog_atom::value,
                 actors::catalog_ptr{std::make_shared<const server>(std::move(next))}, mask);
}

void server_runtime::resource_updated(const std::string& uri) {
  caf::anon_send(impl_->broker, actors::updated_atom::value, uri);
}

std::size_t server_runtime::session_count() {
  caf::scoped_actor self{impl_->system};
  std::size_t count = 0;
  self->request(impl_->broker, caf::infinite, actors::count_atom::value)
      .receive([&](std::size_t n) { count = n; }, [](caf::error&) {});
  return count;
}

void server_runtime::stop() {
  if (impl_->stopped)
    return;
  impl_->stopped = true;
  caf::scoped_actor self{impl_->system};
  self->request(impl_->broker, caf::infinite, actors::stop_atom::value)
      .receive([](bool) {}, [](caf::error&) {});
}

const limits& server_runtime::bounds() const { return impl_->bounds; }

} // namespace mcp
