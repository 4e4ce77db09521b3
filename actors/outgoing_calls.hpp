// The requests a session sent to its peer and still waits for: one outgoing_request
// actor each. The owner routes the encoded request (call() returns it) like any other
// outbound message, and hands replies back here.
#pragma once

#include "actors/messages.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace mcp::actors {

class outgoing_calls {
public:
  std::size_t size() const { return calls_.size(); }

  // Registers a call of `method`; its reply (or deadline) fulfils `slot`. Returns the
  // encoded request to send.
  std::string call(caf::event_based_actor* self, const std::string& method,
                   const std::string& params, reply_slot_ptr slot,
                   std::chrono::milliseconds deadline);
  // Hands a response to the call that waits for it; false when none does.
  bool route_reply(caf::event_based_actor* self, const jsonrpc::message& response);
  // The call ended by itself (its deadline): its wire id, so that the peer can be told.
  std::optional<jsonrpc::request_id> forget(const std::string& key);
  // Cancels the call that answers `slot`; its wire id, or nullopt when it already ended.
  std::optional<jsonrpc::request_id> cancel(caf::event_based_actor* self, const reply_slot* slot,
                                            const std::string& reason);
  // Fails every call (the session is closing).
  void cancel_all(caf::event_based_actor* self, const std::string& reason);

private:
  struct entry {
    caf::actor request;
    const reply_slot* slot; // identifies the call to its caller; never dereferenced
    jsonrpc::request_id id;
  };
  std::int64_t next_id_ = 1;
  std::map<std::string, entry> calls_;
};

// Writes to a channel (stdio, in-process) with acknowledgement-based flow control.
class channel_writer {
public:
  channel_writer(caf::actor channel, std::size_t unacknowledged_max)
    : channel_(std::move(channel)), unacknowledged_max_(unacknowledged_max) {}

  const caf::actor& channel() const { return channel_; }
  std::size_t unacknowledged() const { return next_seq_ - 1 - acked_; }
  std::uint64_t dropped() const { return dropped_; }

  // Writes one message. A droppable one (progress, log) is dropped and counted while
  // `unacknowledged_max` writes are unacknowledged; others are always written.
  bool write(caf::event_based_actor* self, std::string text, bool droppable);
  void acknowledge(std::uint64_t seq);

private:
  caf::actor channel_;
  std::size_t unacknowledged_max_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t acked_ = 0;
  std::uint64_t dropped_ = 0;
};

} // namespace mcp::actors
