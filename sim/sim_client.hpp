// One simulated client application: the real client (client session + HTTP channel) over
// a link of the simulated network, running its workload one operation at a time,
// re-subscribing when its session is replaced, and checking every answer it gets. A crash
// kills its actors at once; a restart is a new incarnation on a new link.
#pragma once

#include "sim/network.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

#include <mcp/client.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mcp::sim {

class sim_client {
public:
  sim_client(int slot, const client_group& group, caf::actor_system& system, network& net,
             std::uint64_t seed, std::function<int()> next_link);
  ~sim_client();

  void start();
  void crash();
  bool alive() const { return static_cast<bool>(client_); }
  // Collects finished calls and starts what comes next; true when anything changed.
  bool step();
  // When this client next wants to act on its own (a wait ends, a probe is due); -1: never.
  std::int64_t wake_ms() const;
  bool workload_done() const;
  // From now on, an echo call that must succeed, repeated until it does.
  void probe_from(std::int64_t faults_end_ms);
  bool probed() const { return report_.recovery_ms >= 0 || !alive(); }
  void close();

  // Subscription bookkeeping for the lossless check.
  bool subscription_intact() const { return subscribed_ok_ms_ >= 0 && !subscription_broken_; }
  std::int64_t subscribe_sent_ms() const { return subscribe_sent_ms_; }
  std::int64_t subscribe_ok_ms() const { return subscribed_ok_ms_; }

  client_report& report() { return report_; }
  const std::vector<std::string>& violations() const { return violations_; }
  std::string label() const { return "c" + std::to_string(slot_); }

private:
  struct in_flight;
  void begin(const operation& op, int copy);
  void begin_call(std::string kind, std::string method, std::string params, int steps = 0);
  bool finish(in_flight& f);
  void event(std::string what, std::string detail, std::int64_t length_ms = 0,
             std::int64_t at_ms = -1);
  std::int64_t now() const { return net_.now_ms(); }

  int slot_;
  client_group group_;
  caf::actor_system& system_;
  network& net_;
  std::uint64_t seed_;
  std::function<int()> next_link_;
  int incarnation_ = 0;
  limits bounds_;
  std::unique_ptr<actors::entropy> random_;
  std::unique_ptr<client> client_;
  // Dead incarnations: their actors may still hold pointers into them until the run ends.
  std::vector<std::unique_ptr<client>> old_clients_;
  std::vector<std::unique_ptr<actors::entropy>> old_randoms_;
  int link_ = -1;
  caf::actor session_, channel_;
  bool initialized_ = false;
  bool replaced_ = false; // the session was replaced: subscribe again
  std::vector<std::unique_ptr<in_flight>> flying_;
  std::size_t next_op_ = 0;
  int repeat_done_ = 0;
  std::int64_t wake_ms_ = -1;
  std::int64_t probe_from_ms_ = -1;
  std::int64_t next_probe_ms_ = -1;
  std::set<std::string> subscriptions_;
  std::int64_t subscribe_sent_ms_ = -1;
  std::int64_t subscribed_ok_ms_ = -1;
  bool subscription_broken_ = false;
  int call_counter_ = 0;
  client_report report_;
  std::vector<std::string> violations_;
};

} // namespace mcp::sim
