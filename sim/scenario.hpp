// A scenario: what the simulator runs. Server settings, clients and their workloads, the
// network's fault probabilities and a schedule of timed faults, how long to run, and the
// bounds the run must stay within. Read from a JSON file (docs/scenarios.md has the
// format); unknown keys are errors, so a typo cannot silently turn a fault off.
//
//   auto s = mcp::sim::parse_scenario(text);          // std::variant<scenario, std::string>
//   if (auto* error = std::get_if<std::string>(&s)) ... // "faults.cut: must be in [0, 1]"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mcp::sim {

struct server_settings {
  std::int64_t retry_ms = 100;        // SSE retry field sent to clients
  std::int64_t keepalive_ms = 15'000; // 0: no keep-alive comments
  std::int64_t session_idle_ms = 0;   // 0: sessions do not expire
  std::size_t stream_events_max = 1024;
  std::size_t outbound_messages_max = 256;
  std::int64_t request_timeout_ms = 60'000;
  bool json_responses = false;
  // Server instances behind a round-robin balancer, sharing sessions through one store
  // (the in-memory cluster store); 1: a single server, no store.
  int instances = 1;
};

// One step of a client's workload; `repeat` times in a row, `parallel` at once.
struct operation {
  enum class kind { echo, progress, subscribe, wait } what = kind::echo;
  int steps = 3;       // progress: notifications before the answer
  std::string uri;     // subscribe
  std::int64_t ms = 0; // wait
  int repeat = 1;
  int parallel = 1;
};

struct client_group {
  int count = 1;
  std::string transport = "streamable"; // or "legacy" (2024-11-05 HTTP+SSE)
  std::string protocol = "2025-11-25";
  bool get_stream = true;
  std::int64_t call_timeout_ms = 30'000;
  std::vector<operation> workload;
};

// The application publishing resource updates to subscribers.
struct publisher {
  std::string uri;
  std::int64_t every_ms = 0; // 0: no publisher
  int count = 0;
};

// Probabilities apply to each HTTP call until `until_ms`.
struct fault_rates {
  std::int64_t latency_ms_min = 1; // one way, per call, uniform
  std::int64_t latency_ms_max = 20;
  double cut = 0;       // the response is cut at a random byte (a reset mid-event)
  double drop = 0;      // the request never reaches the server
  double duplicate = 0; // the request reaches the server twice (a retrying proxy)
  double reorder = 0;   // the request is held back so that later ones overtake it
  std::int64_t reorder_ms = 100;
  std::int64_t ack_delay_ms = 0; // a slow reader: the socket drains this late
  std::int64_t until_ms = -1;    // -1: the whole run
};

// A proxy between clients and server, for the whole run.
struct proxy_settings {
  std::size_t buffer_bytes = 0;        // holds a response's bytes until this many (0: none)
  bool honours_accel_buffering = true; // `X-Accel-Buffering: no` turns buffering off
  std::int64_t idle_timeout_ms = 0;    // kills a response that carried nothing for this long
};

// One fault of a run. Timed faults (`at_ms`) come from the scenario's schedule and are
// anchors: the shrinker keeps them. Call faults (`call` = the n-th HTTP call of the run)
// are what the rates produced; a saved run replays them exactly and the shrinker drops them.
struct fault {
  enum class kind {
    cut,
    drop,
    duplicate,
    reorder, // per call
    partition,
    server_crash,
    server_stop, // graceful: running calls finish, sessions are handed over (a cluster)
    client_crash,
    clock_jump // timed
  } what = kind::cut;
  std::int64_t at_ms = -1; // timed faults
  std::int64_t for_ms = 0; // partition length, downtime of a crash; clock_jump: the jump
  int client = -1;         // client_crash: which client (index over all clients)
  std::uint64_t call = 0;  // call faults: the call's number (1-based)
  std::uint64_t value = 0; // cut: bytes carried before the cut; reorder: extra delay ms
  int instance = 0;        // server_crash, server_stop: which server instance
};

const char* fault_name(fault::kind k);
bool is_timed(fault::kind k);

struct expectations {
  std::int64_t recovery_ms_max = 10'000; // after the last fault, every client answers by then
  bool lossless = true;     // progress and subscription notifications all arrive, exactly once
  int calls_failed_max = 0; // calls that may end in an error (lost sessions, dead streams)
  int sessions_replaced_min = 0;
  int sessions_replaced_max = 1'000'000;
  std::int64_t idle_cuts_max = 1'000'000;
};

struct scenario {
  std::string name;
  std::string about;
  server_settings server;
  std::vector<client_group> clients;
  publisher publish;
  fault_rates rates;
  proxy_settings proxy;
  std::vector<fault> schedule; // timed faults, anchors
  bool buggify = false;        // switch on the BUGGIFY points of our own code (test builds)
  std::int64_t run_ms = 10'000;
  expectations expect;
};

std::variant<scenario, std::string> parse_scenario(const std::string& text);

// A fault as one JSON object, and back (for saved failures).
std::string to_json(const fault& f);
std::variant<fault, std::string> parse_fault(const std::string& json_object);

} // namespace mcp::sim
