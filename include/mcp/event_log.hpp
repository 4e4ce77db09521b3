// Where a session's SSE events wait for a client that reconnects with Last-Event-ID.
// One log per session, so that a replay can never reach another session's events; the
// default keeps them in memory, bounded per stream. A shared external store (so that a
// client can resume on another server instance) implements the same interface.
//
//   mcp::runtime_options o;
//   o.event_logs = [](const std::string& session_id) {
//     return std::make_unique<my_redis_log>(pool, session_id);
//   };
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mcp {

class event_log {
public:
  virtual ~event_log() = default;
  // Keeps one framed event of a stream (event numbers increase per stream).
  virtual void append(std::uint64_t stream, std::uint64_t event, const std::string& framed) = 0;
  // The stream's kept events after `event`, oldest first; nullopt when the store cannot
  // be read now (the client gets an error rather than a silent gap).
  virtual std::optional<std::vector<std::string>> replay(std::uint64_t stream,
                                                         std::uint64_t event) const = 0;
  // Forgets a stream that can no longer be resumed.
  virtual void forget(std::uint64_t stream) = 0;
  // Every stream kept, with its last event: where a session taken over by another
  // instance continues numbering.
  virtual std::map<std::uint64_t, std::uint64_t> streams() const = 0;
  // The requests (JSON ids) whose answers a stream carries: an instance that takes the
  // session over answers those still unanswered, so that each gets exactly one answer.
  virtual void note_requests(std::uint64_t stream, const std::vector<std::string>& ids) = 0;
  virtual std::vector<std::string> noted_requests(std::uint64_t stream) const = 0;
};

using event_log_factory = std::function<std::unique_ptr<event_log>(const std::string& session_id)>;

// Keeps the last `events_per_stream_max` events of each stream in memory.
event_log_factory memory_event_logs(std::size_t events_per_stream_max);

} // namespace mcp
