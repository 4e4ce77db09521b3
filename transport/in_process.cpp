// The in-process pair: one bridge actor is the channel of both sessions, a client
// session and a server session, and carries texts between them without any I/O.
#include <mcp/client.hpp>

#include "actors/client_internals.hpp"
#include "actors/messages.hpp"
#include "actors/runtime_internals.hpp"

#include <caf/all.hpp>

namespace mcp {

namespace {

using namespace actors;

struct bridge_state {
  caf::actor client;
  static inline const char* name = "mcp.in_process_bridge";
};

caf::behavior bridge(caf::stateful_actor<bridge_state>* self, caf::actor broker) {
  auto me = [self] { return caf::actor_cast<caf::actor>(self); };
  auto from_client = [self] { return self->current_sender() == self->state.client.address(); };
  return {
      [=](connect_atom, const caf::actor& client) { self->state.client = client; },
      [=](write_atom, std::string& text, std::uint64_t seq) {
        if (seq != 0)
          self->send(caf::actor_cast<caf::actor>(self->current_sender()), written_atom::value, seq);
        if (from_client())
          self->send(broker, inbound_atom::value, me(), std::move(text));
        else
          self->send(self->state.client, inbound_atom::value, std::move(text));
      },
      [=](close_atom) {
        if (from_client())
          self->send(broker, closed_atom::value, me());
        else
          self->send(self->state.client, closed_atom::value);
        self->quit();
      },
  };
}

} // namespace

std::unique_ptr<client> connect_in_process(server_runtime& runtime, client_options options) {
  auto& rt = runtime.internal();
  auto channel = rt.system.spawn(bridge, rt.broker);
  return std::make_unique<client>(
      std::make_unique<client::internals>(rt.system, channel, std::move(options)));
}

} // namespace mcp
