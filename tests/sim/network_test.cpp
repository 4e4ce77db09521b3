// The simulator carries the real broker, sessions, client session and HTTP channel over
// a virtual network on CAF's deterministic scheduler: one seed replays one run exactly,
// and streams cut at random bytes are resumed without losing or repeating anything.
#include "actors/broker.hpp"
#include "actors/client_internals.hpp"
#include "actors/http_channel.hpp"
#include "protocol/mcp_model.hpp"
#include "sim/network.hpp"

#include "tests/support/test_server.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <catch2/catch.hpp>

using namespace mcp;

namespace {

struct run_result {
  std::uint64_t hash = 0;
  std::uint64_t cuts = 0;
  int completed = 0;      // calls answered with the right text
  int unresumable = 0;    // cut before any event id: failed, with that reason
  int progress_exact = 0; // completed calls that saw exactly their 3 progress notifications
  std::vector<std::string> other_failures;
};

constexpr int calls = 6;

run_result run_scenario(std::uint64_t seed, double cut_probability) {
  limits bounds;
  bounds.handler_threads = 0; // handlers inline: deterministic
  actors::handler_pool pool{0};
  auto random = actors::make_seeded_entropy(seed);
  auto event_logs = memory_event_logs(bounds.stream_events_max);
  caf::actor_system_config config;
  config.set("scheduler.policy", caf::atom("testing"));
  caf::actor_system system{config};
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(system.scheduler());
  auto catalog = std::make_shared<const server>(test::make_test_server());
  auto broker = system.spawn(
      actors::broker, actors::broker_config{catalog, &bounds, &pool, random.get(), &event_logs});
  auto options = std::make_shared<http_options>();
  options->retry_ms = 50;
  caf::anon_send(broker, actors::http_atom::value, std::shared_ptr<const http_options>{options});
  run_result result;
  {
    sim::network net{system, broker, seed, {cut_probability, 1, 20}};
    client_options co;
    co.bounds = bounds;
    co.reconnect = {10, 200, 20};
    limits channel_bounds = bounds;
    auto client_random = actors::make_seeded_entropy(seed + 1);
    auto make_client = [&] {
      actors::http_channel_config cc{
          &net,         "127.0.0.1",         80, "/mcp", &channel_bounds,
          co.reconnect, client_random.get(), {}, {},     http_transport::streamable,
          true};
      auto channel = system.spawn(actors::http_channel, std::move(cc));
      return std::make_unique<client>(std::make_unique<client::internals>(system, channel, co));
    };
    auto c = make_client();
    // Runs the scheduler, jumping virtual time from timer to timer, until `done`.
    auto run_until = [&](auto done) {
      for (int step = 0; step < 200'000; ++step) {
        sched.run();
        if (done())
          return true;
        if (!sched.has_pending_timeout())
          return false;
        sched.trigger_timeout();
      }
      return false;
    };
    auto ready = [](std::future<peer_reply>& f) {
      return f.wait_for(std::chrono::seconds{0}) == std::future_status::ready;
    };
    // An initialize whose answer is cut before any event id cannot be resumed: the
    // application starts over with a new client, as a real one would.
    bool initialized = false;
    for (int attempt = 0; attempt < 10 && !initialized; ++attempt) {
      if (attempt > 0)
        c = make_client();
      auto init =
          c->call_async("initialize", {protocol::initialize_params(co.info, "2025-11-25", "{}")});
      REQUIRE(run_until([&] { return ready(init.reply()); }));
      initialized = init.reply().get().ok();
    }
    REQUIRE(initialized);
    c->notify("notifications/initialized");
    for (int i = 0; i < calls; ++i) {
      int seen = 0;
      auto call = c->call_async("tools/call", {R"({"name":"progress"})"}, std::nullopt,
                                [&](double, std::optional<double>, const std::string&) { ++seen; });
      REQUIRE(run_until([&] { return ready(call.reply()); }));
      auto reply = call.reply().get();
      if (reply.ok() && get_string((*find_member(*reply.result, "content"))[0], "text") == "done") {
        ++result.completed;
        if (seen == 3)
          ++result.progress_exact;
      } else if (reply.error_message.find("no event id to resume from") != std::string::npos) {
        ++result.unresumable;
      } else {
        result.other_failures.push_back(reply.error_message);
      }
    }
    c->close();
    caf::anon_send(broker, actors::stop_atom::value);
    run_until([] { return false; });
    result.hash = net.trace_hash();
    result.cuts = net.cuts();
  }
  sched.run();
  return result;
}

} // namespace

TEST_CASE("sim: the same seed replays the same run, byte for byte", "[sim]") {
  auto first = run_scenario(42, 0.4);
  auto again = run_scenario(42, 0.4);
  CHECK(first.hash == again.hash);
  CHECK(first.cuts == again.cuts);
  auto other = run_scenario(43, 0.4);
  CHECK(other.hash != first.hash);
}

TEST_CASE("sim: streams cut at random bytes lose and repeat nothing over 20 seeds", "[sim]") {
  std::uint64_t cuts = 0;
  int resumed_runs = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed << " (replay: run_scenario(" << seed << ", 0.5))");
    auto r = run_scenario(seed, 0.5);
    // Every call ends exactly once: answered, or refused because its stream died before
    // it could be resumed. An answered call saw each progress notification once.
    CHECK(r.completed + r.unresumable == calls);
    CHECK(r.other_failures.empty());
    for (auto& failure : r.other_failures)
      UNSCOPED_INFO(failure);
    CHECK(r.progress_exact == r.completed);
    resumed_runs += r.cuts > static_cast<std::uint64_t>(r.unresumable) ? 1 : 0;
    cuts += r.cuts;
  }
  CHECK(cuts > 0);
  CHECK(resumed_runs > 0); // cuts after an event id happened, and were survived
}
