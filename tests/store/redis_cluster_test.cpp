// The Redis cluster store against a real redis-server on a free loopback port: the
// directory, leases, mailboxes, shared event logs, and what happens while Redis is away.
#include "tests/support/eventually.hpp"

#include <mcp/redis.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(s);
  return ntohs(a.sin_port);
}

// redis-server in the foreground, without persistence: a restart comes back empty.
class redis_process {
public:
  explicit redis_process(std::string password = {})
    : port_(free_port()), password_(std::move(password)) {
    start();
  }
  ~redis_process() { kill(); }

  void start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      auto port = std::to_string(port_);
      // An empty requirepass is no password.
      ::execlp("redis-server", "redis-server", "--bind", "127.0.0.1", "--port", port.c_str(),
               "--save", "", "--appendonly", "no", "--logfile", "/dev/null", "--requirepass",
               password_.c_str(), nullptr);
      ::_exit(127);
    }
    REQUIRE(mcp::test::eventually([&] { return listening(); }, std::chrono::seconds{10}));
  }
  void kill() {
    if (pid_ <= 0)
      return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  bool listening() const {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port_));
    bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
  }
  mcp::redis_options options(const std::string& instance) const {
    mcp::redis_options o;
    o.url = "redis://" + (password_.empty() ? "" : ":" + password_ + "@") +
            "127.0.0.1:" + std::to_string(port_);
    o.instance = instance;
    o.lease_ms = 600;
    o.events_per_stream_max = 4;
    o.call_timeout_ms = 1000;
    return o;
  }

private:
  int port_;
  std::string password_;
  pid_t pid_ = -1;
};

mcp::session_record record(const std::string& id, const std::string& owner) {
  return {id, owner, "streamable", "alice", "2025-11-25", R"({"ready":true})"};
}

struct inbox {
  std::mutex mutex;
  std::vector<std::string> got;
  std::function<void(std::string)> sink() {
    return [this](std::string e) {
      std::lock_guard<std::mutex> guard{mutex};
      got.push_back(std::move(e));
    };
  }
  std::vector<std::string> read() {
    std::lock_guard<std::mutex> guard{mutex};
    return got;
  }
};

} // namespace

TEST_CASE("redis cluster: directory, leases, takeover and release") {
  redis_process redis;
  auto a = mcp::redis_cluster(redis.options("a"));
  auto b = mcp::redis_cluster(redis.options("b"));
  CHECK(mcp::test::eventually([&] { return b->alive("a") && a->alive("b"); }));
  CHECK_FALSE(a->alive("nobody"));

  REQUIRE(a->put(record("s1", "a")));
  mcp::session_record found;
  REQUIRE(b->find("s1", found) == mcp::lookup::found);
  CHECK(found.owner == "a");
  CHECK(found.principal == "alice");
  CHECK(found.version == "2025-11-25");
  CHECK(found.state == R"({"ready":true})");
  CHECK(b->find("s2", found) == mcp::lookup::missing);

  CHECK_FALSE(b->take_over("s1", "someone-else")); // only from the owner it saw
  CHECK(b->take_over("s1", "a"));
  CHECK_FALSE(a->take_over("s1", "a")); // b got there first
  b->find("s1", found);
  CHECK(found.owner == "b");
  a->drop("s1"); // not a's any more: nothing happens
  CHECK(mcp::test::eventually([&] { return b->find("s1", found) == mcp::lookup::found; }));

  b->release("s1");
  CHECK(mcp::test::eventually(
      [&] { return b->find("s1", found) == mcp::lookup::found && found.owner.empty(); }));
  CHECK(a->take_over("s1", ""));
  a->drop("s1");
  CHECK(mcp::test::eventually([&] { return b->find("s1", found) == mcp::lookup::missing; }));

  // A stopped instance gives its lease back at once.
  a.reset();
  CHECK_FALSE(b->alive("a"));
}

TEST_CASE("redis cluster: mailboxes and broadcasts") {
  redis_process redis;
  auto a = mcp::redis_cluster(redis.options("a"));
  auto b = mcp::redis_cluster(redis.options("b"));
  inbox to_a, to_b, bounced;
  a->deliver_to(to_a.sink(), [&](const std::string& instance, std::string e) {
    bounced.sink()(instance + " " + e);
  });
  b->deliver_to(to_b.sink(), nullptr);
  std::string binary{"5:write,\0\xff\n", 12};
  // The subscription may take a moment: post until the first one arrives.
  REQUIRE(mcp::test::eventually([&] {
    a->post("b", "hello");
    return !to_b.read().empty();
  }));
  REQUIRE(a->post("b", binary));
  CHECK(mcp::test::eventually([&] { return to_b.read().back() == binary; }));
  a->broadcast("news");
  CHECK(mcp::test::eventually([&] { return to_b.read().back() == "news"; }));
  CHECK(to_a.read().empty()); // not to itself
  // Nobody reads that mailbox: the envelope comes back to its sender.
  REQUIRE(a->post("nobody", "lost"));
  // (The first hellos, posted before b's subscription was up, came back too.)
  CHECK(mcp::test::eventually(
      [&] { return !bounced.read().empty() && bounced.read().back() == "nobody lost"; }));
}

TEST_CASE("redis cluster: an event log written by one instance is replayed by another") {
  redis_process redis;
  auto a = mcp::redis_cluster(redis.options("a"));
  auto b = mcp::redis_cluster(redis.options("b"));
  auto written = a->event_logs()("s1");
  auto read = b->event_logs()("s1");
  for (std::uint64_t n = 1; n <= 3; ++n)
    written->append(3, n, "event " + std::to_string(n));
  written->append(0, 1, "get 1");
  // The writer's own reads come after its writes (one connection, in order)...
  CHECK(*written->replay(3, 1) == std::vector<std::string>{"event 2", "event 3"});
  // ...and another instance sees them once they are in Redis.
  CHECK(mcp::test::eventually([&] {
    return read->streams() == std::map<std::uint64_t, std::uint64_t>{{0, 1}, {3, 3}};
  }));
  CHECK(*read->replay(3, 1) == std::vector<std::string>{"event 2", "event 3"});
  for (std::uint64_t n = 4; n <= 10; ++n)
    written->append(3, n, "event " + std::to_string(n));
  // Bounded: the last four stay.
  CHECK(*written->replay(3, 0) ==
        std::vector<std::string>{"event 7", "event 8", "event 9", "event 10"});
  written->forget(3);
  CHECK(written->replay(3, 0)->empty());
  // Dropping the session removes its logs.
  a->put(record("s1", "a"));
  a->drop("s1");
  CHECK(mcp::test::eventually([&] { return read->streams().empty(); }));
}

TEST_CASE("redis cluster: Redis away means clear failures; Redis back means recovery") {
  redis_process redis;
  auto a = mcp::redis_cluster(redis.options("a"));
  auto b = mcp::redis_cluster(redis.options("b"));
  REQUIRE(a->put(record("s1", "a")));
  auto log = a->event_logs()("s1");
  redis.kill();
  mcp::session_record found;
  CHECK(mcp::test::eventually([&] { return b->find("s1", found) == mcp::lookup::unavailable; }));
  CHECK_FALSE(log->replay(0, 0).has_value());
  CHECK_FALSE(b->put(record("s2", "b")));
  CHECK_FALSE(b->alive("a"));
  redis.start(); // empty: the instances write their leases and sessions again
  CHECK(mcp::test::eventually(
      [&] { return b->find("s1", found) == mcp::lookup::found && found.owner == "a"; },
      std::chrono::seconds{10}));
  CHECK(mcp::test::eventually([&] { return b->alive("a"); }));
  CHECK(b->put(record("s2", "b")));
}

TEST_CASE("redis cluster: a password in the URL is sent; a wrong one is a clear error at start") {
  redis_process redis{"s3cret"};
  auto a = mcp::redis_cluster(redis.options("a"));
  REQUIRE(a->put(record("s1", "a")));
  mcp::session_record found;
  CHECK(a->find("s1", found) == mcp::lookup::found);
  auto wrong = redis.options("b");
  wrong.url = "redis://:nope@" + wrong.url.substr(wrong.url.find('@') + 1);
  CHECK_THROWS_WITH(mcp::redis_cluster(wrong), Catch::Contains("WRONGPASS"));
  auto none = redis.options("c");
  none.url = "redis://" + none.url.substr(none.url.find('@') + 1);
  CHECK_THROWS_WITH(mcp::redis_cluster(none), Catch::Contains("NOAUTH"));
}

TEST_CASE("redis cluster: URLs that cannot name a Redis are refused") {
  for (auto url : {"http://127.0.0.1:6379", "redis://127.0.0.1:99999", "redis://:0/",
                   "redis://user@127.0.0.1", "redis://127.0.0.1/x"}) {
    mcp::redis_options o;
    o.url = url;
    CHECK_THROWS_AS(mcp::redis_cluster(o), std::invalid_argument);
  }
}
