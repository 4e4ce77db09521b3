#include "sim/network.hpp"

#include "actors/messages.hpp"

#include <caf/all.hpp>

#include <deque>

namespace mcp::sim {

namespace {

using namespace actors;

using arrive_atom = caf::atom_constant<caf::atom("arrive")>;
using idle_atom = caf::atom_constant<caf::atom("idle")>;
using cut_atom = caf::atom_constant<caf::atom("cut")>;

// How long a client waits for a connection to an unreachable host before giving up.
constexpr std::int64_t connect_timeout_ms = 1'000;
// A cut comes at a random byte within this many (most answers here are shorter).
constexpr std::uint64_t cut_span_bytes = 600;

// Something on its way to the client, after the call's one-way latency.
struct delivery {
  enum class kind { head, bytes, ended, failed } what;
  http_response head;
  std::string bytes; // body bytes, or the failure's reason
};

struct sim_call_state {
  network* net = nullptr;
  int client_index = 0;
  std::uint64_t number = 0;
  int instance = -1; // the server instance it reached, once it did
  http_call call;
  caf::actor client;
  call_plan plan;
  std::size_t carried = 0;  // body bytes that left the server
  bool server_done = false; // the exchange ended, or the connection died
  bool client_gone = false; // the client closed the call
  bool buffering = false;   // a proxy holds the body until it has enough
  std::string held;         // what the proxy holds
  std::uint64_t idle_generation = 0;
  std::deque<delivery> on_the_way;
  static inline const char* name = "mcp.sim.call";
};

using sim_call_actor = caf::stateful_actor<sim_call_state>;

std::string session_of(const http_request& request, const http_response& head) {
  if (auto sid = request.header("mcp-session-id"))
    return std::string{*sid};
  for (auto& [name, value] : head.headers)
    if (name == "mcp-session-id")
      return value;
  return {};
}

bool says_no_buffering(const http_response& head) {
  for (auto& [name, value] : head.headers)
    if (name == "x-accel-buffering" && value == "no")
      return true;
  return false;
}

void trace(sim_call_actor* self, const std::string& what) {
  auto& st = self->state;
  st.net->record("c" + std::to_string(st.client_index) + " #" + std::to_string(st.number) + " " +
                 what);
}

void maybe_quit(sim_call_actor* self) {
  auto& st = self->state;
  if (st.server_done && st.on_the_way.empty()) {
    st.net->track(st.client_index, st.number, caf::actor_cast<caf::actor>(self), false);
    self->quit();
  }
}

void send_to_client(sim_call_actor* self, delivery d, std::int64_t extra_ms = 0) {
  auto& st = self->state;
  st.on_the_way.push_back(std::move(d));
  self->delayed_send(self, std::chrono::milliseconds{st.plan.latency_ms + extra_ms},
                     arrive_atom::value);
}

// The proxy's idle timer restarts whenever bytes pass.
void bytes_passed(sim_call_actor* self) {
  auto& st = self->state;
  auto idle = st.net->proxy().idle_timeout_ms;
  if (idle > 0)
    self->delayed_send(self, std::chrono::milliseconds{idle}, idle_atom::value,
                       ++st.idle_generation);
}

void flush_held(sim_call_actor* self) {
  auto& st = self->state;
  if (!st.held.empty())
    send_to_client(self, {delivery::kind::bytes, {}, std::exchange(st.held, {})});
}

// The exchange is over: the body ended, or the connection died with `failure`.
void finish(sim_call_actor* self, const std::string* failure) {
  auto& st = self->state;
  if (st.server_done)
    return;
  st.server_done = true;
  flush_held(self); // a proxy passes on what it held, then ends or resets
  if (failure != nullptr) {
    trace(self, "reset after " + std::to_string(st.carried) + " bytes: " + *failure);
    st.net->link_event_at(st.client_index, "cut", *failure);
    send_to_client(self, {delivery::kind::failed, {}, *failure});
  } else {
    trace(self, "ended after " + std::to_string(st.carried) + " bytes");
    send_to_client(self, {delivery::kind::ended, {}, {}});
  }
}

void cut(sim_call_actor* self, const std::string& why) {
  ++self->state.net->counters().cuts;
  finish(self, &why);
}

// Body bytes from the server, cut short when this call is one that dies.
void carry(sim_call_actor* self, const std::string& bytes) {
  auto& st = self->state;
  if (st.server_done)
    return;
  auto pass = bytes.size();
  if (st.plan.cut_after && st.carried + pass > *st.plan.cut_after)
    pass = *st.plan.cut_after - st.carried;
  st.carried += pass;
  bytes_passed(self);
  if (pass > 0) {
    st.held.append(bytes, 0, pass);
    if (!st.buffering || st.held.size() >= st.net->proxy().buffer_bytes)
      flush_held(self);
  }
  if (pass < bytes.size())
    cut(self, "cut at byte " + std::to_string(st.carried));
}

void head_from_server(sim_call_actor* self, http_response head) {
  auto& st = self->state;
  auto& proxy = st.net->proxy();
  st.buffering =
      proxy.buffer_bytes > 0 && !(proxy.honours_accel_buffering && says_no_buffering(head));
  bytes_passed(self);
  send_to_client(self, {delivery::kind::head, std::move(head), {}});
}

// A delivery reached the client: hand it over, and let the wire check see it.
void arrive(sim_call_actor* self) {
  auto& st = self->state;
  auto d = std::move(st.on_the_way.front());
  st.on_the_way.pop_front();
  if (!st.client_gone) {
    auto& checks = st.net->checks();
    auto id = st.call.id;
    switch (d.what) {
    case delivery::kind::head: {
      auto resume = st.call.request.header("last-event-id").value_or("");
      auto streaming = false;
      for (auto& [name, value] : d.head.headers)
        if (name == "content-type" && value.rfind("text/event-stream", 0) == 0)
          streaming = true;
      checks.opened(st.number, st.client_index, session_of(st.call.request, d.head),
                    std::string{resume}, streaming);
      self->send(st.client, open_atom::value, id, std::move(d.head));
      break;
    }
    case delivery::kind::bytes:
      checks.received(st.number, d.bytes);
      self->send(st.client, chunk_atom::value, id, std::move(d.bytes));
      break;
    case delivery::kind::ended:
      checks.ended(st.number);
      self->send(st.client, ended_atom::value, id);
      break;
    case delivery::kind::failed:
      checks.ended(st.number);
      self->send(st.client, closed_atom::value, id, std::move(d.bytes));
      break;
    }
  }
  maybe_quit(self);
}

// A second copy of a POST, as a retrying proxy sends it: the server handles it, and what
// it answers goes nowhere.
caf::behavior ghost_call(caf::event_based_actor* self, caf::actor broker, http_request request) {
  self->send(broker, http_atom::value, caf::actor_cast<caf::actor>(self), std::move(request));
  return {
      [=](respond_atom, const http_response&) { self->quit(); },
      [=](open_atom, const http_response&) {},
      [=](write_atom, const std::string&, std::uint64_t seq) {
        if (seq != 0)
          self->send(caf::actor_cast<caf::actor>(self->current_sender()), written_atom::value, seq);
      },
      [=](close_atom) { self->quit(); },
  };
}

// One call on the simulated network: the client's connection and the server's exchange.
caf::behavior sim_call(sim_call_actor* self, network* net, int client_index, std::uint64_t number,
                       http_call call, caf::actor client) {
  auto& st = self->state;
  st.net = net;
  st.client_index = client_index;
  st.number = number;
  st.call = std::move(call);
  st.client = std::move(client);
  st.plan = net->plan_call(number);
  net->track(client_index, number, caf::actor_cast<caf::actor>(self), true);
  self->delayed_send(self, std::chrono::milliseconds{st.plan.latency_ms + st.plan.hold_ms},
                     run_atom::value);
  return {
      [=](run_atom) {
        auto& s = self->state;
        auto& c = s.call;
        trace(self, c.request.method + " " + c.request.target +
                        (c.request.header("last-event-id")
                             ? " from " + std::string{*c.request.header("last-event-id")}
                             : std::string{}));
        if (auto from = c.request.header("last-event-id")) {
          ++net->counters().resumptions;
          net->link_event_at(s.client_index, "resume", "from " + std::string{*from});
        }
        if (net->partitioned()) {
          ++net->counters().refused;
          s.server_done = true;
          trace(self, "unreachable");
          return send_to_client(self, {delivery::kind::failed, {}, "connect timed out"},
                                connect_timeout_ms);
        }
        auto server = net->pick_server(s.instance);
        if (!server) {
          ++net->counters().refused;
          s.server_done = true;
          trace(self, "refused");
          return send_to_client(self, {delivery::kind::failed, {}, "connection refused"});
        }
        if (s.plan.drop) {
          s.server_done = true;
          trace(self, "dropped");
          return send_to_client(self, {delivery::kind::failed, {}, "connection reset"});
        }
        // What an HTTP/1.1 client always sends, lower-cased as the server edge delivers it.
        auto request = c.request;
        request.headers.emplace_back("host", c.host + ":" + std::to_string(c.port));
        if (s.plan.duplicate) {
          trace(self, "duplicated");
          self->spawn(ghost_call, server, request);
        }
        bytes_passed(self);
        if (s.instance > 0)
          trace(self, "to instance " + std::to_string(s.instance));
        self->send(server, http_atom::value, caf::actor_cast<caf::actor>(self), std::move(request));
      },
      [=](respond_atom, http_response& r) {
        trace(self, "respond " + std::to_string(r.status) + " " + std::to_string(r.body.size()));
        auto body = std::move(r.body);
        head_from_server(self, http_response{r.status, std::move(r.headers), {}});
        carry(self, body);
        finish(self, nullptr);
      },
      [=](open_atom, http_response& head) {
        trace(self, "open " + std::to_string(head.status));
        head_from_server(self, std::move(head));
      },
      [=](write_atom, const std::string& bytes, std::uint64_t seq) {
        if (self->state.server_done)
          return; // the connection is gone: the server learns it when this actor ends
        if (seq != 0) {
          auto writer = caf::actor_cast<caf::actor>(self->current_sender());
          auto delay = net->ack_delay_ms();
          if (delay > 0)
            self->delayed_send(writer, std::chrono::milliseconds{delay}, written_atom::value, seq);
          else
            self->send(writer, written_atom::value, seq);
        }
        trace(self, "write " + std::to_string(bytes.size()));
        carry(self, bytes);
      },
      [=](close_atom) {
        auto& s = self->state;
        if (self->current_sender() == s.client.address()) {
          // The client is done with the call: what is still on its way is discarded.
          if (!s.server_done)
            trace(self, "abandoned");
          s.client_gone = true;
          s.server_done = true;
          s.on_the_way.clear();
          return maybe_quit(self);
        }
        finish(self, nullptr);
      },
      [=](arrive_atom) { arrive(self); },
      [=](idle_atom, std::uint64_t generation) {
        auto& s = self->state;
        if (generation != s.idle_generation || s.server_done)
          return;
        ++net->counters().idle_cuts;
        std::string why = "idle timeout";
        finish(self, &why);
      },
      [=](cut_atom, const std::string& why) { cut(self, why); },
      [=](cut_atom, const std::string& why, int instance) {
        if (self->state.instance == instance)
          cut(self, why);
      },
  };
}

} // namespace

class network::client_link final : public actors::http_client_edge {
public:
  client_link(network& net, int index) : net_(net), index_(index) {}
  caf::actor start(actors::http_call call, caf::actor reply_to) override {
    return net_.system_.spawn(sim_call, &net_, index_, ++net_.counters_.calls, std::move(call),
                              std::move(reply_to));
  }

private:
  network& net_;
  int index_;
};

network::network(caf::actor_system& system, std::uint64_t seed, fault_rates rates,
                 proxy_settings proxy, std::optional<std::vector<fault>> replay)
  : system_(system), random_(actors::make_seeded_entropy(seed)), rates_(rates), proxy_(proxy) {
  if (replay) {
    replay_.emplace();
    for (auto& f : *replay)
      if (!is_timed(f.what))
        (*replay_)[f.call].push_back(f);
  }
}

network::~network() = default;

actors::http_client_edge* network::link(int index) {
  while (static_cast<int>(links_.size()) <= index)
    links_.push_back(std::make_unique<client_link>(*this, static_cast<int>(links_.size())));
  return links_[static_cast<std::size_t>(index)].get();
}

call_plan network::plan_call(std::uint64_t number) {
  auto chance = [&](double p) {
    // Always drawn, so that one fault's probability does not shift the others' draws.
    auto draw = static_cast<double>(random_->next() % 1'000'000) / 1'000'000.0;
    return draw < p;
  };
  call_plan plan;
  auto span = static_cast<std::uint64_t>(rates_.latency_ms_max - rates_.latency_ms_min + 1);
  plan.latency_ms = rates_.latency_ms_min + static_cast<std::int64_t>(random_->next() % span);
  auto faulty = rates_.until_ms < 0 || now_ms() < rates_.until_ms;
  auto cut = chance(rates_.cut);
  auto cut_at = random_->next() % cut_span_bytes;
  auto drop = chance(rates_.drop);
  auto duplicate = chance(rates_.duplicate);
  auto reorder = chance(rates_.reorder);
  auto hold = 1 + static_cast<std::int64_t>(random_->next() %
                                            static_cast<std::uint64_t>(rates_.reorder_ms));
  std::vector<fault> chosen;
  if (replay_) {
    if (auto it = replay_->find(number); it != replay_->end())
      chosen = it->second;
  } else if (faulty) {
    auto add = [&](bool on, fault::kind k, std::uint64_t value) {
      if (on)
        chosen.push_back(fault{k, -1, 0, -1, number, value});
    };
    add(drop, fault::kind::drop, 0);
    add(!drop && duplicate, fault::kind::duplicate, 0);
    add(!drop && reorder, fault::kind::reorder, static_cast<std::uint64_t>(hold));
    add(!drop && cut, fault::kind::cut, cut_at);
  }
  for (auto& f : chosen) {
    faults_.push_back(f);
    switch (f.what) {
    case fault::kind::drop:
      plan.drop = true;
      ++counters_.drops;
      break;
    case fault::kind::duplicate:
      plan.duplicate = true;
      ++counters_.duplicates;
      break;
    case fault::kind::reorder:
      plan.hold_ms = static_cast<std::int64_t>(f.value);
      ++counters_.reorders;
      break;
    case fault::kind::cut:
      plan.cut_after = static_cast<std::size_t>(f.value);
      break;
    default:
      break;
    }
  }
  return plan;
}

void network::set_partitioned(bool on) {
  partitioned_ = on;
  record(on ? "partition" : "heal");
  if (on)
    cut_all("partitioned");
}

void network::cut_all(const std::string& why) {
  for (auto& [index, calls] : live_calls_)
    for (auto& [number, call] : calls)
      caf::anon_send(call, cut_atom::value, why);
}

void network::set_server(int instance, caf::actor broker) {
  if (servers_.size() <= static_cast<std::size_t>(instance))
    servers_.resize(static_cast<std::size_t>(instance) + 1);
  servers_[static_cast<std::size_t>(instance)] = std::move(broker);
}

caf::actor network::pick_server(int& instance) {
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    auto k = (next_server_ + i) % servers_.size();
    if (servers_[k]) {
      next_server_ = k + 1;
      instance = static_cast<int>(k);
      return servers_[k];
    }
  }
  return nullptr;
}

void network::cut_instance(int instance, const std::string& why) {
  for (auto& [index, calls] : live_calls_)
    for (auto& [number, call] : calls)
      caf::anon_send(call, cut_atom::value, why, instance);
}

void network::cut_client(int index, const std::string& why) {
  if (auto it = live_calls_.find(index); it != live_calls_.end())
    for (auto& [number, call] : it->second)
      caf::anon_send(call, cut_atom::value, why);
}

void network::track(int client, std::uint64_t call, const caf::actor& handle, bool live) {
  if (live)
    live_calls_[client].emplace(call, handle);
  else
    live_calls_[client].erase(call);
}

std::int64_t network::ack_delay_ms() const {
  auto faulty = rates_.until_ms < 0 || now_ms() < rates_.until_ms;
  return faulty ? rates_.ack_delay_ms : 0;
}

std::int64_t network::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             system_.clock().now().time_since_epoch())
      .count();
}

void network::record(const std::string& line) {
  trace_.push_back(std::to_string(now_ms()) + " " + line);
}

std::uint64_t network::trace_hash() const {
  // FNV-1a over every line: stable across runs, platforms and standard libraries.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (auto& line : trace_) {
    for (unsigned char c : line) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    h ^= '\n';
    h *= 0x100000001b3ULL;
  }
  return h;
}

} // namespace mcp::sim
