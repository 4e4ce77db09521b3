#include "actors/broker.hpp"

#include "actors/session.hpp"
#include "protocol/jsonrpc.hpp"

#include <caf/all.hpp>

namespace mcp::actors {

namespace {

void finish_stop_if_idle(broker_actor* self) {
  auto& st = self->state;
  if (!st.stopping || !st.channel_of_session.empty())
    return;
  for (auto& waiter : st.stop_waiters)
    waiter.deliver(true);
  self->quit();
}

// A new channel: admit a session for it, or refuse with an error on the channel.
caf::actor admit(broker_actor* self, const caf::actor& channel) {
  auto& st = self->state;
  if (st.stopping || st.channel_of_session.size() >= st.config.bounds->sessions_max) {
    ++st.rejected_sessions;
    auto why = st.stopping ? std::string{"the server is stopping"}
                           : "the server is at its limit of " +
                                 std::to_string(st.config.bounds->sessions_max) + " sessions";
    // Sequence number 0: unsequenced, not acknowledged (no session tracks this channel).
    self->send(channel, write_atom::value,
               jsonrpc::encode_error(std::nullopt, {jsonrpc::code::overloaded, why, {}}),
               std::uint64_t{0});
    return {};
  }
  session_config config{st.config.random->session_id(), channel, st.config.catalog,
                        st.config.bounds, st.config.pool};
  auto s = self->spawn(session, std::move(config));
  self->monitor(s);
  st.session_of_channel.emplace(channel, s);
  st.channel_of_session.emplace(s.address(), channel);
  return s;
}

} // namespace

caf::behavior broker(broker_actor* self, broker_config config) {
  self->state.config = std::move(config);
  self->set_down_handler([=](const caf::down_msg& down) {
    auto& st = self->state;
    auto it = st.channel_of_session.find(down.source);
    if (it == st.channel_of_session.end())
      return;
    st.session_of_channel.erase(it->second);
    st.channel_of_session.erase(it);
    finish_stop_if_idle(self);
  });
  return {
      [=](inbound_atom, const caf::actor& channel, std::string& text) {
        auto& sessions = self->state.session_of_channel;
        auto it = sessions.find(channel);
        auto target = it != sessions.end() ? it->second : admit(self, channel);
        if (target)
          self->send(target, inbound_atom::value, std::move(text));
      },
      [=](closed_atom, const caf::actor& channel) {
        auto& sessions = self->state.session_of_channel;
        auto it = sessions.find(channel);
        if (it != sessions.end())
          self->send(it->second, closed_atom::value);
      },
      [=](ended_atom, const caf::actor& channel) {
        auto& sessions = self->state.session_of_channel;
        auto it = sessions.find(channel);
        if (it != sessions.end())
          self->send(it->second, ended_atom::value);
        else
          self->send(channel, close_atom::value); // no session: nothing to answer
      },
      [=](catalog_atom, catalog_ptr& catalog, int changed) {
        self->state.config.catalog = catalog;
        for (auto& [channel, s] : self->state.session_of_channel)
          self->send(s, catalog_atom::value, catalog, changed);
      },
      [=](updated_atom, const std::string& uri) {
        for (auto& [channel, s] : self->state.session_of_channel)
          self->send(s, updated_atom::value, uri);
      },
      [=](count_atom) { return self->state.session_of_channel.size(); },
      [=](stop_atom) {
        auto& st = self->state;
        st.stopping = true;
        st.stop_waiters.push_back(self->make_response_promise());
        for (auto& [channel, s] : st.session_of_channel)
          self->send(s, stop_atom::value);
        finish_stop_if_idle(self);
      },
  };
}

} // namespace mcp::actors
