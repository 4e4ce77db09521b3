// The simulated network: it replaces the HTTP edges on both sides at once. A client
// call (the client edge seam) becomes a server exchange (the server edge seam) of the
// very same broker, sessions and channels, carried with virtual-time latency and faults:
// drops, duplicates, reordering, cuts at any byte, partitions, a buffering proxy, an idle
// timeout, slow readers, and crashes of either side. Every random choice comes from one
// seed; every delivery is written to a trace, so a seed replays one run exactly.
//
//   sim::network net{system, broker, seed, rates, proxy};
//   http_channel_config cfg{net.link(0), "sim", 80, "/mcp", ...};   // client 0's edge
//   ... run the scheduler ...
//   auto h = net.trace_hash();
#pragma once

#include "actors/entropy.hpp"
#include "actors/http_client_edge.hpp"
#include "sim/scenario.hpp"
#include "sim/wire_check.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mcp::sim {

// What happens to one call; drawn from the rates, or replayed from a saved schedule.
struct call_plan {
  std::int64_t latency_ms = 1;
  bool drop = false;
  bool duplicate = false;
  std::int64_t hold_ms = 0;             // reorder: held back this long
  std::optional<std::size_t> cut_after; // body bytes carried before a cut
};

struct network_counters {
  std::uint64_t calls = 0;
  std::uint64_t cuts = 0;      // cut by a fault (rates, partition, crash)
  std::uint64_t idle_cuts = 0; // cut by the proxy's idle timeout
  std::uint64_t drops = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t reorders = 0;
  std::uint64_t refused = 0;     // the server was down or unreachable
  std::uint64_t resumptions = 0; // GETs with Last-Event-ID
  std::uint64_t replayed_events = 0;
};

// A network event of one client link, for the per-client timeline of a report.
struct link_event {
  int link = 0;
  std::int64_t at_ms = 0;
  std::string what; // "resume", "cut", "refused"
  std::string detail;
};

class network {
public:
  // Call faults come from `rates` (drawn from `seed`), or, when `replay` is given, exactly
  // from that list (the calls it does not name get none).
  network(caf::actor_system& system, std::uint64_t seed, fault_rates rates, proxy_settings proxy,
          std::optional<std::vector<fault>> replay = std::nullopt);
  ~network();
  network(const network&) = delete;
  network& operator=(const network&) = delete;

  // The client edge of client `index`: its calls are traced and checked under that index.
  actors::http_client_edge* link(int index);

  // The server side: one broker per server instance, behind a round-robin balancer that
  // skips instances that are down. No broker: that instance is down.
  void set_server(int instance, caf::actor broker);
  // The instance the next connection goes to (its number in `instance`); null when every
  // instance is down and the connection is refused.
  caf::actor pick_server(int& instance);
  // Timed faults.
  void set_partitioned(bool on);
  bool partitioned() const { return partitioned_; }
  void cut_all(const std::string& why);                    // every connection in flight dies
  void cut_instance(int instance, const std::string& why); // those to one server instance
  void cut_client(int index, const std::string& why);

  // What the network carried, in order: one line per event, with its virtual time.
  const std::vector<std::string>& trace() const { return trace_; }
  std::uint64_t trace_hash() const;
  const network_counters& counters() const { return counters_; }
  network_counters& counters() { return counters_; }
  // The call faults this run had: replaying them gives the same run.
  const std::vector<fault>& faults() const { return faults_; }
  wire_check& checks() { return checks_; }
  const std::vector<link_event>& link_events() const { return link_events_; }
  void link_event_at(int link, std::string what, std::string detail) {
    link_events_.push_back({link, now_ms(), std::move(what), std::move(detail)});
  }

  // Used by the simulated calls (all run on the deterministic scheduler's one thread).
  call_plan plan_call(std::uint64_t number);
  const proxy_settings& proxy() const { return proxy_; }
  std::int64_t ack_delay_ms() const;
  std::int64_t now_ms() const;
  void record(const std::string& line);
  void track(int client, std::uint64_t call, const caf::actor& handle, bool live);

private:
  class client_link;
  caf::actor_system& system_;
  std::vector<caf::actor> servers_;
  std::size_t next_server_ = 0;
  std::unique_ptr<actors::entropy> random_;
  fault_rates rates_;
  proxy_settings proxy_;
  std::optional<std::map<std::uint64_t, std::vector<fault>>> replay_;
  bool partitioned_ = false;
  std::vector<std::unique_ptr<client_link>> links_;
  std::map<int, std::map<std::uint64_t, caf::actor>> live_calls_; // by number: a stable order
  std::vector<link_event> link_events_;
  std::vector<std::string> trace_;
  std::vector<fault> faults_;
  network_counters counters_;
  wire_check checks_;
};

} // namespace mcp::sim
