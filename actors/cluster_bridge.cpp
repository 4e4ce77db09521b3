#include "actors/cluster_bridge.hpp"

#include "actors/cluster_envelope.hpp"
#include "actors/session_http.hpp"

#include <caf/all.hpp>

#include <map>

namespace mcp::actors {

namespace {

using gone_atom = caf::atom_constant<caf::atom("gone")>;
using abandon_atom = caf::atom_constant<caf::atom("abandon")>; // quit without a word

// A relay acknowledges a stream's writes to the owner in steps of this many.
constexpr std::uint64_t ack_every = 8;

http_response refusal(int status, const std::string& message) {
  return http_detail::error_response(status, -32000, message, {});
}

envelope make_envelope(envelope::kind what, const std::string& from, std::uint64_t exchange) {
  envelope e;
  e.what = what;
  e.from = from;
  e.exchange = exchange;
  return e;
}

// On the holder: stands for a remote session to one local exchange. The exchange
// acknowledges writes to their sender, so acknowledgements come here and go on to the
// owner's proxy.
struct relay_state {
  std::uint64_t acked = 0; // the last acknowledgement sent to the owner
  static inline const char* name = "mcp.cluster_relay";
};

caf::behavior relay(caf::stateful_actor<relay_state>* self, caf::actor exchange,
                    std::shared_ptr<cluster> shared, std::string owner, std::uint64_t number,
                    std::chrono::milliseconds answer_timeout) {
  self->monitor(exchange);
  auto tell_owner = [=](envelope::kind what, std::uint64_t seq = 0) {
    auto e = make_envelope(what, shared->instance(), number);
    e.seq = seq;
    shared->post(owner, encode(e));
  };
  self->set_down_handler([=](const caf::down_msg&) {
    tell_owner(envelope::kind::gone); // the client went away
    self->quit();
  });
  auto streaming = caf::message_handler{
      [=](write_atom, std::string& bytes, std::uint64_t seq) {
        self->send(exchange, write_atom::value, std::move(bytes), seq);
      },
      [=](written_atom, std::uint64_t seq) {
        // Acknowledgements are cumulative: one in every `ack_every` writes is enough for
        // the owner's bound on unacknowledged events, and saves a publish per event.
        if (seq >= self->state.acked + ack_every) {
          self->state.acked = seq;
          tell_owner(envelope::kind::ack, seq);
        }
      },
      [=](close_atom) {
        self->send(exchange, close_atom::value);
        self->quit();
      },
      [=](gone_atom) { // the owner died, or the store is unreachable: the client resumes
        self->send(exchange, close_atom::value);
        self->quit();
      },
  };
  return {
      [=](respond_atom, http_response& r) {
        self->send(exchange, respond_atom::value, std::move(r));
        self->quit();
      },
      [=](abandon_atom) { self->quit(); }, // the bridge sends the request elsewhere
      [=](open_atom, http_response& head) {
        self->send(exchange, open_atom::value, std::move(head));
        self->become(streaming);
      },
      [=](gone_atom) {
        self->send(exchange, respond_atom::value,
                   refusal(503, "Service Unavailable: the instance running this session stopped "
                                "or cannot be reached; retry"));
        self->quit();
      },
      caf::after(answer_timeout) >>
          [=] {
            self->send(exchange, respond_atom::value,
                       refusal(504, "Gateway Timeout: the instance running this session did "
                                    "not answer"));
            tell_owner(envelope::kind::gone);
            self->quit();
          },
  };
}

// On the owner: stands for a remote exchange to the session.
struct proxy_state {
  caf::actor ack_to; // the session writing the stream
  static inline const char* name = "mcp.cluster_proxy";
};

caf::behavior proxy(caf::stateful_actor<proxy_state>* self, std::shared_ptr<cluster> shared,
                    std::string holder, std::uint64_t number) {
  auto tell_holder = [=](envelope e) {
    e.from = shared->instance();
    e.exchange = number;
    if (!shared->post(holder, encode(e)))
      self->quit(); // unreachable: the session sees its exchange end
  };
  return {
      [=](respond_atom, http_response& r) {
        envelope e;
        e.what = envelope::kind::respond;
        e.response = std::move(r);
        tell_holder(std::move(e));
        self->quit();
      },
      [=](open_atom, http_response& head) {
        envelope e;
        e.what = envelope::kind::open;
        e.response = std::move(head);
        tell_holder(std::move(e));
      },
      [=](write_atom, std::string& bytes, std::uint64_t seq) {
        self->state.ack_to = caf::actor_cast<caf::actor>(self->current_sender());
        envelope e;
        e.what = envelope::kind::write;
        e.seq = seq;
        e.bytes = std::move(bytes);
        tell_holder(std::move(e));
      },
      [=](close_atom) {
        envelope e;
        e.what = envelope::kind::close;
        tell_holder(std::move(e));
        self->quit();
      },
      [=](written_atom, std::uint64_t seq) {
        if (self->state.ack_to)
          self->send(self->state.ack_to, written_atom::value, seq);
      },
      [=](gone_atom) { self->quit(); },
  };
}

using proxy_key = std::pair<std::string, std::uint64_t>; // holder, its exchange number

struct bridge_state {
  bridge_config config;
  std::uint64_t next_exchange = 1;
  struct relay_entry {
    caf::actor relay;
    std::string owner;
    caf::actor exchange;
    bool retried = false; // sent again after its first owner's mailbox was not read
  };
  std::map<std::uint64_t, relay_entry> relays; // by number
  std::map<proxy_key, caf::actor> proxies;
  std::map<caf::actor_addr, std::uint64_t> relay_of;
  std::map<caf::actor_addr, proxy_key> proxy_of;
  // What the store said within the last liveness period: sessions' owners, and whether
  // instances are alive. A session changes owner only when its owner is dead or released
  // it, and then that owner answers no relayed request: a stale entry costs one retry.
  std::map<std::string, std::string> owner_of;
  std::map<std::string, bool> alive;

  static inline const char* name = "mcp.cluster_bridge";
};

using bridge_actor = caf::stateful_actor<bridge_state>;

void relay_to(bridge_actor* self, const std::string& owner, const caf::actor& exchange,
              http_request& request, bool retried) {
  auto& st = self->state;
  auto number = st.next_exchange++;
  auto e = make_envelope(envelope::kind::request, st.config.shared->instance(), number);
  e.request = std::move(request);
  if (!st.config.shared->post(owner, encode(e))) {
    ++st.config.observer->stats.cluster_store_errors;
    self->send(exchange, respond_atom::value,
               refusal(503, "Service Unavailable: the shared session store is unreachable"));
    return;
  }
  // The answer comes back through this bridge, which reads it after this handler.
  auto r = self->spawn(relay, exchange, st.config.shared, owner, number, st.config.answer_timeout);
  self->monitor(r);
  st.relays.emplace(number, bridge_state::relay_entry{r, owner, exchange, retried});
  st.relay_of.emplace(r.address(), number);
  ++st.config.observer->stats.cluster_relayed;
}

// A request for a session this instance does not run: relay it to its owner, take the
// session over if the owner is dead, or refuse.
bool is_alive(bridge_actor* self, const std::string& instance) {
  auto& st = self->state;
  auto it = st.alive.find(instance);
  if (it == st.alive.end())
    it = st.alive.emplace(instance, st.config.shared->alive(instance)).first;
  return it->second;
}

void forward(bridge_actor* self, const caf::actor& exchange, http_request& request,
             const std::string& id, bool retried = false) {
  auto& st = self->state;
  auto& shared = *st.config.shared;
  if (auto known = st.owner_of.find(id);
      known != st.owner_of.end() && is_alive(self, known->second))
    return relay_to(self, known->second, exchange, request, retried);
  auto respond = [&](int status, const std::string& message, int code = -32000) {
    self->send(exchange, respond_atom::value,
               http_detail::error_response(status, code, message, {}));
  };
  for (int attempt = 0; attempt < 2; ++attempt) {
    session_record record;
    auto found = shared.find(id, record);
    if (found == lookup::unavailable) {
      ++st.config.observer->stats.cluster_store_errors;
      return respond(503, "Service Unavailable: the shared session store is unreachable");
    }
    if (found == lookup::missing)
      return respond(404, "Session not found", -32001);
    // Ours: the session may be on its way to the broker (taken over a moment ago, by an
    // earlier request). The broker looks again, after that; if it is not there, it ended.
    if (record.owner == shared.instance()) {
      request.relayed = true;
      self->send(st.config.broker, http_atom::value, exchange, std::move(request));
      return;
    }
    // Released (its owner stopped gracefully) or dead: this instance takes it over.
    if (!record.owner.empty() && is_alive(self, record.owner)) {
      st.owner_of[id] = record.owner;
      return relay_to(self, record.owner, exchange, request, retried);
    }
    // A legacy session was its one stream, which ended with its owner.
    if (record.kind != "streamable")
      return respond(404, "Session not found", -32001);
    if (shared.take_over(id, record.owner)) {
      ++st.config.observer->stats.cluster_takeovers;
      st.config.observer->log.write(log_severity::warning, "session_taken_over",
                                    {{"session", id}, {"previous_owner", record.owner}});
      record.owner = shared.instance();
      self->send(st.config.broker, restore_atom::value, std::move(record), exchange,
                 std::move(request));
      return;
    }
    // Another instance took it first (or the store failed): look again.
  }
  respond(503, "Service Unavailable: the session is changing instance; retry");
}

void on_envelope(bridge_actor* self, const std::string& text) {
  auto& st = self->state;
  auto e = decode_envelope(text);
  if (!e) {
    st.config.observer->log.write(log_severity::error, "cluster_bad_envelope",
                                  {{"bytes", std::to_string(text.size())}});
    return;
  }
  auto to_relay = [&](auto... xs) {
    if (auto it = st.relays.find(e->exchange); it != st.relays.end())
      self->send(it->second.relay, xs...);
  };
  auto to_proxy = [&](auto... xs) {
    if (auto it = st.proxies.find({e->from, e->exchange}); it != st.proxies.end())
      self->send(it->second, xs...);
  };
  switch (e->what) {
  case envelope::kind::request: {
    auto p = self->spawn(proxy, st.config.shared, e->from, e->exchange);
    self->monitor(p);
    proxy_key key{e->from, e->exchange};
    st.proxies.emplace(key, p);
    st.proxy_of.emplace(p.address(), key);
    e->request.relayed = true;
    self->send(st.config.broker, http_atom::value, p, std::move(e->request));
    return;
  }
  case envelope::kind::respond:
    return to_relay(respond_atom::value, std::move(e->response));
  case envelope::kind::open:
    return to_relay(open_atom::value, std::move(e->response));
  case envelope::kind::write:
    return to_relay(write_atom::value, std::move(e->bytes), e->seq);
  case envelope::kind::close:
    return to_relay(close_atom::value);
  case envelope::kind::ack:
    return to_proxy(written_atom::value, e->seq);
  case envelope::kind::gone:
    return to_proxy(gone_atom::value);
  case envelope::kind::updated:
    self->send(st.config.broker, updated_atom::value, std::move(e->bytes), e->from);
    return;
  }
}

// One of our envelopes reached no instance (its mailbox was not being read): the relay or
// proxy waiting on that exchange ends now instead of at a timeout, and its client retries
// or resumes.
void on_bounce(bridge_actor* self, const std::string& instance, const std::string& text) {
  auto& st = self->state;
  auto e = decode_envelope(text);
  if (!e)
    return;
  ++st.config.observer->stats.cluster_store_errors;
  if (e->what == envelope::kind::request) {
    st.alive.erase(instance); // asked again
    for (auto it = st.owner_of.begin(); it != st.owner_of.end();)
      it = it->second == instance ? st.owner_of.erase(it) : std::next(it);
    auto it = st.relays.find(e->exchange);
    if (it == st.relays.end())
      return;
    if (it->second.retried)
      return self->send(it->second.relay, gone_atom::value);
    // The owner stopped (or its mailbox is reconnecting): look the session up again, once;
    // it may have been released or taken over meanwhile.
    auto entry = it->second;
    self->send(entry.relay, abandon_atom::value);
    st.relay_of.erase(entry.relay.address());
    st.relays.erase(it);
    auto id = e->request.header("mcp-session-id");
    if (!id)
      id = e->request.query("sessionId");
    forward(self, entry.exchange, e->request, std::string{id.value_or("")}, true);
  } else if (e->what != envelope::kind::ack && e->what != envelope::kind::gone) {
    if (auto it = st.proxies.find({instance, e->exchange}); it != st.proxies.end())
      self->send(it->second, gone_atom::value);
  }
}

// The relays and proxies of a peer whose lease lapsed end: their clients resume
// elsewhere, their sessions wait for a reconnect.
void check_peers(bridge_actor* self) {
  auto& st = self->state;
  st.owner_of.clear();
  st.alive.clear();
  for (auto& [number, entry] : st.relays)
    if (!is_alive(self, entry.owner))
      self->send(entry.relay, gone_atom::value);
  for (auto& [key, p] : st.proxies)
    if (!is_alive(self, key.first))
      self->send(p, gone_atom::value);
}

caf::behavior bridge(bridge_actor* self, bridge_config config) {
  self->state.config = std::move(config);
  auto broker = self->state.config.broker;
  self->monitor(broker);
  self->set_down_handler([=](const caf::down_msg& down) {
    auto& st = self->state;
    if (down.source == broker.address()) {
      // The instance is over: so are its relays and proxies.
      st.config.shared->deliver_to(nullptr, nullptr);
      for (auto& [number, entry] : st.relays)
        self->send(entry.relay, gone_atom::value);
      for (auto& [key, p] : st.proxies)
        self->send(p, gone_atom::value);
      return self->quit();
    }
    if (auto it = st.relay_of.find(down.source); it != st.relay_of.end()) {
      st.relays.erase(it->second);
      st.relay_of.erase(it);
    } else if (auto p = st.proxy_of.find(down.source); p != st.proxy_of.end()) {
      st.proxies.erase(p->second);
      st.proxy_of.erase(p);
    }
  });
  auto period = self->state.config.liveness_period;
  self->delayed_send(self, period, tick_atom::value);
  return {
      [=](forward_atom, const caf::actor& exchange, http_request& request, const std::string& id) {
        forward(self, exchange, request, id);
      },
      [=](envelope_atom, const std::string& text) { on_envelope(self, text); },
      [=](bounced_atom, const std::string& instance, const std::string& text) {
        on_bounce(self, instance, text);
      },
      [=](updated_atom, const std::string& uri) {
        envelope e;
        e.what = envelope::kind::updated;
        e.from = self->state.config.shared->instance();
        e.bytes = uri;
        self->state.config.shared->broadcast(encode(e));
      },
      [=](tick_atom) {
        check_peers(self);
        self->delayed_send(self, period, tick_atom::value);
      },
  };
}

} // namespace

caf::actor spawn_bridge(caf::actor_system& system, bridge_config config) {
  auto shared = config.shared;
  auto b = shared->blocking() ? system.spawn<caf::detached>(bridge, std::move(config))
                              : system.spawn(bridge, std::move(config));
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(b);
  shared->deliver_to(
      [weak](std::string envelope) {
        if (auto strong = caf::actor_cast<caf::actor>(weak))
          caf::anon_send(strong, envelope_atom::value, std::move(envelope));
      },
      [weak](const std::string& instance, std::string envelope) {
        if (auto strong = caf::actor_cast<caf::actor>(weak))
          caf::anon_send(strong, bounced_atom::value, instance, std::move(envelope));
      });
  return b;
}

} // namespace mcp::actors
