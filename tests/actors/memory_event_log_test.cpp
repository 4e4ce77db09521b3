// The in-memory event log: the last N events of each stream, oldest first, streams apart.
#include <mcp/event_log.hpp>

#include <catch2/catch.hpp>

namespace {

std::string framed(std::uint64_t n) { return "id: 1-" + std::to_string(n) + "\n\n"; }

std::vector<std::string> framed_range(std::uint64_t first, std::uint64_t last) {
  std::vector<std::string> out;
  for (auto n = first; n <= last; ++n)
    out.push_back(framed(n));
  return out;
}

} // namespace

TEST_CASE("event log: a stream keeps its last events, oldest first, past many wraps") {
  auto log = mcp::memory_event_logs(4)("session");
  for (std::uint64_t n = 1; n <= 3; ++n)
    log->append(7, n, framed(n));
  CHECK(*log->replay(7, 0) == framed_range(1, 3)); // not full yet
  for (std::uint64_t n = 4; n <= 11; ++n)
    log->append(7, n, framed(n));
  CHECK(*log->replay(7, 0) == framed_range(8, 11));
  CHECK(*log->replay(7, 9) == framed_range(10, 11));
  CHECK(log->replay(7, 11)->empty());
}

TEST_CASE("event log: streams are kept apart and forgotten one by one") {
  auto log = mcp::memory_event_logs(2)("session");
  log->append(0, 1, "get-1");
  log->append(3, 1, "post-1");
  log->append(0, 2, "get-2");
  CHECK(*log->replay(0, 0) == std::vector<std::string>{"get-1", "get-2"});
  CHECK(*log->replay(3, 0) == std::vector<std::string>{"post-1"});
  log->forget(3);
  CHECK(log->replay(3, 0)->empty());
  CHECK(*log->replay(0, 1) == std::vector<std::string>{"get-2"});
  CHECK(log->streams() == std::map<std::uint64_t, std::uint64_t>{{0, 2}});
}

TEST_CASE("event log: a bound of zero keeps nothing") {
  auto log = mcp::memory_event_logs(0)("session");
  log->append(0, 1, "event");
  CHECK(log->replay(0, 0)->empty());
}
