#include "actors/broker.hpp"

#include "actors/cluster_bridge.hpp"

#include "actors/session_http.hpp"
#include "protocol/jsonrpc.hpp"

#include <caf/all.hpp>

namespace mcp::actors {

namespace {

void finish_stop_if_idle(broker_actor* self) {
  auto& st = self->state;
  if (!st.stopping || !st.sessions.empty())
    return;
  for (auto& waiter : st.stop_waiters)
    waiter.deliver(true);
  self->quit();
}

template <class... Ts> void to_all_sessions(broker_actor* self, const Ts&... xs) {
  for (auto& [id, s] : self->state.session_of_id)
    self->send(s, xs...);
}

} // namespace

caf::actor admit(broker_actor* self, session_kind kind, caf::actor channel, std::string& why,
                 std::string principal, const session_record* restored) {
  auto& st = self->state;
  if (st.stopping || st.sessions.size() >= st.config.bounds->sessions_max) {
    why = st.stopping ? std::string{"the server is stopping"}
                      : "the server is at its limit of " +
                            std::to_string(st.config.bounds->sessions_max) + " sessions";
    return {};
  }
  session_config config{caf::actor_cast<caf::actor>(self),
                        restored != nullptr ? restored->id : st.config.random->session_id(),
                        kind,
                        channel,
                        st.config.catalog,
                        st.config.bounds,
                        st.config.pool,
                        st.http,
                        principal,
                        st.config.event_logs,
                        st.config.observer,
                        kind == session_kind::stateless ? nullptr : st.config.shared.get()};
  if (restored != nullptr)
    config.restored = *restored;
  auto id = config.id;
  ++st.config.observer->stats.sessions_opened;
  // One stateless session per request: only worth a line when debugging.
  st.config.observer->log.write(
      kind == session_kind::stateless ? log_severity::debug : log_severity::info, "session_opened",
      {{"session", id}, {"kind", to_string(kind)}, {"principal", principal}});
  // Linked: sessions do not outlive their broker (a crashed server loses them all);
  // the broker traps its sessions' exits and learns of their end from the monitor.
  auto s = self->spawn<caf::linked>(session, std::move(config));
  self->monitor(s);
  if (channel)
    st.session_of_channel.emplace(channel, s);
  st.session_of_id.emplace(id, s);
  st.sessions.emplace(s.address(),
                      session_entry{id, kind, std::move(channel), std::move(principal)});
  return s;
}

caf::behavior broker(broker_actor* self, broker_config config) {
  self->state.config = std::move(config);
  if (auto& shared = self->state.config.shared) {
    bridge_config bc{shared, caf::actor_cast<caf::actor>(self), self->state.config.observer};
    // A relayed request is answered by its deadline at the latest; past that, its owner is
    // not answering.
    bc.answer_timeout =
        std::chrono::milliseconds{self->state.config.bounds->request_timeout_ms + 10'000};
    self->state.bridge = spawn_bridge(self->system(), std::move(bc));
  }
  self->set_exit_handler([](const caf::exit_msg&) {});
  // An error sent back by an actor that did not expect one of our messages must not end
  // the broker (CAF's default), and with it every session: it is logged and dropped.
  self->set_error_handler([=](caf::error& e) {
    self->state.config.observer->log.write(log_severity::error, "broker_error",
                                           {{"error", caf::to_string(e)}});
  });
  // A session that retired, or died without retiring, is no longer routed to.
  auto forget = [=](const caf::actor_addr& session) {
    auto& st = self->state;
    auto it = st.sessions.find(session);
    if (it == st.sessions.end())
      return;
    if (it->second.channel)
      st.session_of_channel.erase(it->second.channel);
    st.session_of_id.erase(it->second.id);
    st.sessions.erase(it);
    ++st.config.observer->stats.sessions_closed;
  };
  self->set_down_handler([=](const caf::down_msg& down) {
    forget(down.source);
    finish_stop_if_idle(self);
  });
  auto session_of = [=](const caf::actor& channel) {
    auto& map = self->state.session_of_channel;
    auto it = map.find(channel);
    return it == map.end() ? caf::actor{} : it->second;
  };
  return {
      [=](inbound_atom, const caf::actor& channel, std::string& text) {
        auto target = session_of(channel);
        std::string why;
        if (!target)
          target = admit(self, session_kind::channel, channel, why);
        if (target) {
          self->send(target, inbound_atom::value, std::move(text));
          return;
        }
        // Sequence number 0: unsequenced, not acknowledged (no session tracks it).
        self->send(channel, write_atom::value,
                   jsonrpc::encode_error(std::nullopt, {jsonrpc::code::overloaded, why, {}}),
                   std::uint64_t{0});
      },
      [=](closed_atom, const caf::actor& channel) {
        if (auto s = session_of(channel))
          self->send(s, closed_atom::value);
      },
      [=](ended_atom, const caf::actor& channel) {
        if (auto s = session_of(channel))
          self->send(s, ended_atom::value);
        else
          self->send(channel, close_atom::value); // no session: nothing to answer
      },
      [=](http_atom, std::shared_ptr<const http_options>& options) {
        self->state.http = std::move(options);
      },
      [=](http_atom, const caf::actor& exchange, http_request& request) {
        route_http(self, exchange, request);
      },
      [=](catalog_atom, catalog_ptr& catalog, int changed) {
        self->state.config.catalog = catalog;
        to_all_sessions(self, catalog_atom::value, catalog, changed);
      },
      [=](updated_atom, const std::string& uri) {
        to_all_sessions(self, updated_atom::value, uri);
        if (self->state.bridge)
          self->send(self->state.bridge, updated_atom::value, uri);
      },
      [=](updated_atom, const std::string& uri, const std::string&) {
        to_all_sessions(self, updated_atom::value, uri); // from another instance
      },
      [=](restore_atom, session_record& record, const caf::actor& exchange, http_request& request) {
        std::string why;
        if (auto s = admit(self, session_kind::streamable, {}, why, record.principal, &record))
          return self->send(s, http_atom::value, exchange, std::move(request));
        self->send(exchange, respond_atom::value,
                   http_detail::error_response(503, jsonrpc::code::overloaded,
                                               "Service Unavailable: " + why, {}));
      },
      [=](retire_atom, const caf::actor& session) {
        forget(session.address());
        // Nothing is routed to it after this message, which it reads last.
        self->send(session, retire_atom::value);
        finish_stop_if_idle(self);
      },
      [=](count_atom) { return self->state.sessions.size(); },
      [=](stop_atom) {
        auto& st = self->state;
        st.stopping = true;
        st.stop_waiters.push_back(self->make_response_promise());
        to_all_sessions(self, stop_atom::value);
        finish_stop_if_idle(self);
      },
  };
}

} // namespace mcp::actors
