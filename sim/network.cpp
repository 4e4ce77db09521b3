#include "sim/network.hpp"

#include "actors/messages.hpp"

#include <caf/all.hpp>

namespace mcp::sim {

namespace {

using namespace actors;

struct sim_call_state {
  http_call call;
  caf::actor client;
  std::chrono::milliseconds latency{0};
  std::optional<std::size_t> cut_after; // body bytes this call may carry, if it is cut
  std::size_t carried = 0;
  bool ended = false;
  static inline const char* name = "mcp.sim.call";
};

// One call on the simulated network: the client's call and the server's exchange at once.
caf::behavior sim_call(caf::stateful_actor<sim_call_state>* self, network* net, http_call call,
                       caf::actor client) {
  auto& st = self->state;
  st.call = std::move(call);
  st.client = std::move(client);
  auto& plan = net->plan();
  auto span = static_cast<std::uint64_t>(plan.latency_ms_max - plan.latency_ms_min + 1);
  st.latency = std::chrono::milliseconds{plan.latency_ms_min +
                                         static_cast<std::int64_t>(net->random() % span)};
  if (static_cast<double>(net->random() % 10'000) < plan.cut_probability * 10'000)
    st.cut_after = net->random() % 600;
  auto now_ms = [self] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               self->clock().now().time_since_epoch())
        .count();
  };
  auto trace = [=](const std::string& what) {
    net->record(std::to_string(now_ms()) + " call " + std::to_string(self->state.call.id) + " " +
                what);
  };
  // To the client, after the call's one-way latency (equal delays keep the order).
  auto to_client = [=](auto... xs) {
    self->delayed_send(self->state.client, self->state.latency, xs...);
  };
  auto finish = [=](bool cut) {
    auto& s = self->state;
    s.ended = true;
    if (cut) {
      net->count_cut();
      trace("cut after " + std::to_string(s.carried) + " bytes");
      to_client(closed_atom::value, s.call.id, std::string{"simulated cut"});
    } else {
      trace("ended");
      to_client(ended_atom::value, s.call.id);
    }
    self->quit();
  };
  // Body bytes to the client, cut short when this call is one that dies.
  auto carry = [=](const std::string& bytes) {
    auto& s = self->state;
    auto pass = bytes.size();
    if (s.cut_after && s.carried + pass > *s.cut_after)
      pass = *s.cut_after - s.carried;
    if (pass > 0)
      to_client(chunk_atom::value, s.call.id, bytes.substr(0, pass));
    s.carried += pass;
    if (pass < bytes.size())
      finish(true);
    return pass == bytes.size();
  };
  self->delayed_send(self, st.latency, run_atom::value);
  return {
      [=](run_atom) {
        auto& c = self->state.call;
        trace(c.request.method + " " + c.request.target);
        // What an HTTP/1.1 client always sends, lower-cased as the server edge delivers it.
        auto request = c.request;
        request.headers.emplace_back("host", c.host + ":" + std::to_string(c.port));
        self->send(net->broker(), http_atom::value, caf::actor_cast<caf::actor>(self),
                   std::move(request));
      },
      [=](respond_atom, http_response& r) {
        trace("respond " + std::to_string(r.status) + " " + std::to_string(r.body.size()));
        to_client(open_atom::value, self->state.call.id, http_response{r.status, r.headers, {}});
        if (r.body.empty() || carry(r.body))
          finish(false);
      },
      [=](open_atom, http_response& head) {
        trace("open " + std::to_string(head.status));
        to_client(open_atom::value, self->state.call.id, std::move(head));
      },
      [=](write_atom, const std::string& bytes, std::uint64_t seq) {
        if (seq != 0)
          self->send(caf::actor_cast<caf::actor>(self->current_sender()), written_atom::value, seq);
        trace("write " + std::to_string(bytes.size()));
        carry(bytes);
      },
      [=](close_atom) {
        // From the client: it abandons the call. From the server: the stream's end.
        if (self->current_sender() == self->state.client.address()) {
          trace("abandoned");
          self->quit();
          return;
        }
        finish(false);
      },
  };
}

} // namespace

network::network(caf::actor_system& system, caf::actor broker, std::uint64_t seed, fault_plan plan)
  : system_(system), broker_(std::move(broker)), random_(actors::make_seeded_entropy(seed)),
    plan_(plan) {}

caf::actor network::start(actors::http_call call, caf::actor reply_to) {
  return system_.spawn(sim_call, this, std::move(call), std::move(reply_to));
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
