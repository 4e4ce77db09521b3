// Checks what reaches each simulated client, byte by byte, independently of the client's
// own code: an SSE event is never delivered twice to the same client (a resumption
// replays only what came after Last-Event-ID), a resumed stream carries events of the
// stream it names and of no other (nor of another session), and no JSON-RPC response
// reaches a client twice. Violations are kept as sentences for the run's report.
#pragma once

#include "protocol/sse.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace mcp::sim {

class wire_check {
public:
  // A response began for `call` of client `client` (an incarnation: a restarted client is
  // a new one). `session` is the Mcp-Session-Id it belongs to, `resume_from` the
  // Last-Event-ID it asked for, if any.
  void opened(std::uint64_t call, int client, std::string session, std::string resume_from,
              bool streaming);
  // Body bytes the client received.
  void received(std::uint64_t call, std::string_view bytes);
  void ended(std::uint64_t call);

  const std::vector<std::string>& violations() const { return violations_; }
  std::uint64_t replayed_events() const { return replayed_; }

private:
  struct call_view {
    int client = 0;
    std::string session;
    std::string resume_from;
    bool streaming = false;
    std::string body; // JSON responses, up to their end
    sse::parser events;
  };
  void message(const call_view& c, std::uint64_t call, std::string_view data);
  void violation(std::uint64_t call, const std::string& what);

  std::map<std::uint64_t, call_view> calls_;
  std::set<std::tuple<int, std::string, std::string>> events_seen_;    // client, session, id
  std::set<std::tuple<int, std::string, std::string>> responses_seen_; // ... request id
  std::vector<std::string> violations_;
  std::uint64_t replayed_ = 0;
};

} // namespace mcp::sim
