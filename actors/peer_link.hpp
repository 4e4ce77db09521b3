// The half of a session that faces its peer, the same for server and client sessions:
// writes with acknowledgement-based flow control, and the table of requests we sent.
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

class peer_link {
public:
  peer_link(caf::actor channel, std::size_t outbound_max)
    : channel_(std::move(channel)), outbound_max_(outbound_max) {}

  const caf::actor& channel() const { return channel_; }
  std::size_t unacknowledged() const { return next_seq_ - 1 - acked_; }
  std::uint64_t dropped() const { return dropped_; }
  std::size_t outgoing_count() const { return outgoing_.size(); }

  // Writes one message. A droppable one (progress, log) is dropped and counted when
  // `outbound_max` writes are still unacknowledged; responses are always written.
  bool write(caf::event_based_actor* self, std::string text, bool droppable);
  void acknowledge(std::uint64_t seq);

  // Sends `method` to the peer; its reply (or deadline) fulfils `slot`. Returns the id
  // used on the wire.
  jsonrpc::request_id call(caf::event_based_actor* self, const std::string& method,
                           const std::string& params, reply_slot_ptr slot,
                           std::chrono::milliseconds deadline);
  // Hands a response to the request that waits for it; false when none does.
  bool route_reply(caf::event_based_actor* self, const jsonrpc::message& response);
  // The outgoing request ended by itself (deadline).
  void forget(const std::string& key) { outgoing_.erase(key); }
  // Cancels the outgoing request that answers `slot`; its wire id, or nullopt when it
  // already ended.
  std::optional<jsonrpc::request_id> cancel(caf::event_based_actor* self, const reply_slot* slot,
                                            const std::string& reason);
  // Fails every outgoing request (the session is closing).
  void cancel_all(caf::event_based_actor* self, const std::string& reason);

private:
  caf::actor channel_;
  std::size_t outbound_max_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t acked_ = 0;
  std::uint64_t dropped_ = 0;
  std::int64_t next_outgoing_id_ = 1;
  struct outgoing {
    caf::actor request;
    const reply_slot* slot; // identifies the call to its caller; never dereferenced
    jsonrpc::request_id id;
  };
  std::map<std::string, outgoing> outgoing_;
};

} // namespace mcp::actors
