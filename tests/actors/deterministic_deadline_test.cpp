// The actors on CAF's deterministic scheduler with a virtual clock: a request deadline
// fires exactly at its virtual time, and a cancelled request never answers, whatever its
// handler does afterwards.
#include "actors/broker.hpp"
#include "actors/messages.hpp"

#include "tests/support/json_assert.hpp"
#include "tests/support/rpc_text.hpp"
#include "tests/support/test_server.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <catch2/catch.hpp>

using namespace mcp;
using namespace std::chrono_literals;

namespace {

struct virtual_time_fixture {
  std::shared_ptr<test::gate> blocker = std::make_shared<test::gate>();
  limits bounds;
  actors::handler_pool pool{1}; // the blocking handler needs a worker
  std::unique_ptr<actors::entropy> random = actors::make_seeded_entropy(7);
  event_log_factory event_logs = memory_event_logs(bounds.stream_events_max);
  actors::telemetry observer{log_options{log_severity::off, {}}};
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  caf::scheduler::test_coordinator* sched = nullptr;
  caf::actor broker;
  caf::actor channel;
  std::vector<std::string> written;

  virtual_time_fixture() {
    bounds.request_timeout_ms = 1000;
    config.set("scheduler.policy", caf::atom("testing"));
    system = std::make_unique<caf::actor_system>(config);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(system->scheduler());
    auto catalog = std::make_shared<const server>(test::make_test_server(blocker));
    broker =
        system->spawn(actors::broker, actors::broker_config{catalog, &bounds, &pool, random.get(),
                                                            &event_logs, &observer});
    channel = recording_channel(written);
    sched->run();
  }

  // A channel that records what the server writes to it and acknowledges each write.
  caf::actor recording_channel(std::vector<std::string>& out) {
    return system->spawn([out = &out](caf::event_based_actor* self) -> caf::behavior {
      return {
          [=](actors::write_atom, const std::string& text, std::uint64_t seq) {
            out->push_back(text);
            if (seq != 0)
              self->send(caf::actor_cast<caf::actor>(self->current_sender()),
                         actors::written_atom::value, seq);
          },
          [=](actors::close_atom) { self->quit(); },
      };
    });
  }

  ~virtual_time_fixture() {
    blocker->open();
    pool.join();
    caf::anon_send(broker, actors::closed_atom::value, channel);
    caf::anon_send_exit(broker, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(channel, caf::exit_reason::user_shutdown);
    sched->run();
    while (sched->has_pending_timeout()) {
      sched->trigger_timeouts();
      sched->run();
    }
  }

  void send(const std::string& text) {
    caf::anon_send(broker, actors::inbound_atom::value, channel, text);
    sched->run();
  }

  // Texts written since the last call.
  std::vector<std::string> take() {
    auto out = std::move(written);
    written.clear();
    return out;
  }

  void start() {
    send(test::initialize_text("2025-11-25"));
    send(test::initialized_text);
    REQUIRE(take().size() == 1);
  }
};

} // namespace

TEST_CASE("a request deadline fires exactly at its virtual time", "[virtual-time]") {
  virtual_time_fixture f;
  f.start();
  f.send(test::request(2, "tools/call", R"({"name":"block"})"));
  REQUIRE(f.blocker->entered());
  CHECK(f.take().empty());

  f.sched->advance_time(999ms);
  f.sched->run();
  CHECK(f.take().empty()); // one virtual millisecond early: nothing

  f.sched->advance_time(1ms);
  f.sched->run();
  auto replies = f.take();
  REQUIRE(replies.size() == 1);
  auto reply = test::parse(replies[0]);
  CHECK(test::int_at(*reply, "/id") == 2);
  CHECK(test::int_at(*reply, "/error/code") == -32001);
  CHECK(test::str_at(*reply, "/error/message") == "request timed out after 1000 ms");

  // The handler finishing late must not produce a second response.
  f.blocker->open();
  f.pool.join();
  f.sched->run();
  CHECK(f.take().empty());
}

TEST_CASE("a cancelled request never answers, not even at its deadline", "[virtual-time]") {
  virtual_time_fixture f;
  f.start();
  f.send(test::request(2, "tools/call", R"({"name":"block"})"));
  REQUIRE(f.blocker->entered());
  f.send(test::cancel_text(2));
  f.blocker->open();
  f.pool.join();
  f.sched->run();
  f.sched->advance_time(5s);
  f.sched->run();
  CHECK(f.take().empty());

  f.send(test::request(3, "ping"));
  auto replies = f.take();
  REQUIRE(replies.size() == 1);
  CHECK(test::int_at(*test::parse(replies[0]), "/id") == 3);
}

// Found by bench/soak.py: a broadcast that reached a session just after it ended was
// answered with an error by CAF's `drop`, and the error ended the broker, and with it every
// session of the server.
TEST_CASE("a broadcast to a session that just ended does not end the broker", "[virtual-time]") {
  virtual_time_fixture f;
  f.start();
  // In the broker's mailbox: the session's end, then a broadcast the broker forwards to the
  // session before it hears that the session retired.
  caf::anon_send(f.broker, actors::ended_atom::value, f.channel);
  caf::anon_send(f.broker, actors::updated_atom::value, std::string{"test://doc"});
  f.sched->run();
  // The broker still admits and serves a new session.
  std::vector<std::string> second_out;
  auto second = f.recording_channel(second_out);
  caf::anon_send(f.broker, actors::inbound_atom::value, second,
                 test::initialize_text("2025-11-25"));
  f.sched->run();
  REQUIRE(second_out.size() == 1);
  CHECK(test::int_at(*test::parse(second_out[0]), "/id") == 1);
  caf::anon_send(f.broker, actors::closed_atom::value, second);
  f.sched->run();
}
