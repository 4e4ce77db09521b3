// The simulated network: it replaces the HTTP edges on both sides at once. A client
// call (the client edge seam) becomes a server exchange (the server edge seam) of the
// very same broker, sessions and channels, carried with virtual-time latency and faults.
// Every random choice comes from one seed; every delivery is written to a trace, so that
// a seed replays one run exactly and two runs of it can be compared.
//
//   sim::network net{system, broker, seed, {0.3 /* cut */, 1, 20 /* latency ms */}};
//   http_channel_config cfg{&net, "sim", 0, "/mcp", ...};   // the client's edge
//   ... run the scheduler ...
//   auto h = net.trace_hash();
#pragma once

#include "actors/entropy.hpp"
#include "actors/http_client_edge.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mcp::sim {

struct fault_plan {
  double cut_probability = 0;      // a response stream is cut at a random byte
  std::int64_t latency_ms_min = 1; // one way, per call
  std::int64_t latency_ms_max = 20;
};

class network final : public actors::http_client_edge {
public:
  network(caf::actor_system& system, caf::actor broker, std::uint64_t seed, fault_plan plan);

  caf::actor start(actors::http_call call, caf::actor reply_to) override;

  // What the network carried, in order: one line per delivery, with its virtual time.
  const std::vector<std::string>& trace() const { return trace_; }
  std::uint64_t trace_hash() const;
  std::uint64_t cuts() const { return cuts_; }

  // Used by the simulated calls (all run on the deterministic scheduler's one thread).
  std::uint64_t random() { return random_->next(); }
  const fault_plan& plan() const { return plan_; }
  const caf::actor& broker() const { return broker_; }
  void record(std::string line) { trace_.push_back(std::move(line)); }
  void count_cut() { ++cuts_; }

private:
  caf::actor_system& system_;
  caf::actor broker_;
  std::unique_ptr<actors::entropy> random_;
  fault_plan plan_;
  std::vector<std::string> trace_;
  std::uint64_t cuts_ = 0;
};

} // namespace mcp::sim
