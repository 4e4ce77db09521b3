// The simulator runs the real broker, sessions, client sessions and HTTP channels over a
// virtual network: one seed replays one run exactly, a saved run replays anywhere, its
// invariants catch a deliberately injected bug, and the shrinker reduces that failure to
// a fault schedule a person can read.
#include "actors/buggify.hpp"
#include "sim/runner.hpp"
#include "sim/saved_run.hpp"
#include "sim/scenario.hpp"
#include "sim/shrink.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace mcp::sim;

namespace {

std::string scenario_text(const std::string& name) {
  std::ifstream in{std::string{MCP_SCENARIOS_DIR} + "/" + name + ".json"};
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

scenario load(const std::string& name) {
  auto s = parse_scenario(scenario_text(name));
  INFO(name << ": " << (std::holds_alternative<std::string>(s) ? std::get<std::string>(s) : ""));
  REQUIRE(std::holds_alternative<scenario>(s));
  return std::get<scenario>(std::move(s));
}

std::string parse_error(const std::string& text) {
  auto s = parse_scenario(text);
  REQUIRE(std::holds_alternative<std::string>(s));
  return std::get<std::string>(s);
}

} // namespace

TEST_CASE("sim: the same seed gives the same trace, byte for byte", "[sim]") {
  auto s = load("cut-and-resume");
  auto first = run(s, {42});
  auto again = run(s, {42});
  REQUIRE(first.ok());
  CHECK(first.trace == again.trace);
  CHECK(first.trace_hash == again.trace_hash);
  CHECK(first.counters.cuts > 0);
  CHECK(first.counters.resumptions > 0);
  auto other = run(s, {43});
  CHECK(other.trace_hash != first.trace_hash);
}

TEST_CASE("sim: a saved run replays exactly from its fault lists", "[sim]") {
  auto text = scenario_text("partition-heal");
  auto s = load("partition-heal");
  run_options o{9};
  auto original = run(s, o);
  auto saved = load_run(save_run(text, o, original));
  REQUIRE(std::holds_alternative<saved_run>(saved));
  auto& loaded = std::get<saved_run>(saved);
  CHECK(loaded.trace_hash == original.trace_hash);
  auto replayed = run(loaded.parsed, loaded.options);
  CHECK(replayed.trace_hash == original.trace_hash);
  CHECK(replayed.faults.size() == original.faults.size());
}

TEST_CASE("sim: an injected replay bug is caught by a sweep and shrunk", "[sim]") {
  if (!mcp::actors::buggify::available()) {
    WARN("this build has no injected bugs (Release)");
    return;
  }
  auto s = load("cut-and-resume");
  // Without the bug, the seeds pass; with it, the invariants fail on some of them.
  std::optional<run_options> failing;
  run_result failed;
  for (std::uint64_t seed = 1; seed <= 20 && !failing; ++seed) {
    INFO("seed " << seed);
    REQUIRE(run(s, {seed}).ok());
    run_options o{seed};
    o.injected_bug = "replay_skips_event";
    auto r = run(s, o);
    if (!r.ok()) {
      failing = o;
      failed = std::move(r);
    }
  }
  REQUIRE(failing);
  auto small = shrink(s, *failing, failed.call_faults());
  REQUIRE(small.options.replay);
  INFO("shrunk from " << failed.call_faults().size() << " call faults in " << small.runs
                      << " runs");
  CHECK(small.options.replay->size() <= 3);
  CHECK(small.options.replay->size() < failed.call_faults().size());
  CHECK_FALSE(small.failing.ok());
  // The small schedule fails on its own, and only because of the bug.
  CHECK_FALSE(run(s, small.options).ok());
  auto fixed = small.options;
  fixed.injected_bug.clear();
  CHECK(run(s, fixed).ok());
}

TEST_CASE("sim: a replay from the wrong stream is caught on the wire", "[sim]") {
  if (!mcp::actors::buggify::available()) {
    WARN("this build has no injected bugs (Release)");
    return;
  }
  auto s = load("replay-isolation");
  bool crossed = false;
  for (std::uint64_t seed = 1; seed <= 20 && !crossed; ++seed) {
    run_options o{seed};
    o.injected_bug = "replay_wrong_stream";
    for (auto& v : run(s, o).violations)
      crossed = crossed || v.find("of another stream") != std::string::npos;
  }
  CHECK(crossed);
}

TEST_CASE("sim: scenario files are checked key by key", "[sim]") {
  CHECK(parse_error(R"({"clients":[{"workload":[]}],"faults":{"cut":2}})") ==
        "faults.cut: must be a number in [0, 1]");
  CHECK(parse_error(R"({"clients":[{"workload":[]}],"fautls":{}})") == "fautls: unknown key");
  CHECK(parse_error(R"({"clients":[{"workload":[{"op":"jump"}]}]})")
            .rfind("clients[0].workload[0].op: unknown \"jump\"", 0) == 0);
  CHECK(parse_error(R"({"clients":[{}],"schedule":[{"fault":"cut","call":3}]})") ==
        "schedule[0]: the schedule holds timed faults; call faults come from rates");
  CHECK(parse_error(
            R"({"clients":[{}],"schedule":[{"fault":"client_crash","at_ms":5,"client":4}]})") ==
        "schedule[0].client: no such client");
  CHECK(parse_error(R"({"clients":[]})") == "clients: at least one client group is needed");
  CHECK(parse_error("{").rfind("not JSON", 0) == 0);
}

TEST_CASE("sim: every shipped scenario parses", "[sim]") {
  for (auto name : {"cut-and-resume", "drops-duplicates-reorder", "partition-heal",
                    "reconnect-storm", "server-crash-restart", "client-crash-restart",
                    "expiry-reinitialize", "proxy-buffering-honoured", "proxy-buffering-ignored",
                    "idle-timeout-keepalive", "idle-timeout-no-keepalive", "slow-consumer",
                    "replay-isolation", "clock-jump", "legacy-sse-drops", "buggify"}) {
    INFO(name);
    load(name);
  }
}
