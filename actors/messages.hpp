// Every message that crosses between actors, and between actors and the edge, declared
// once. The edge half of this file is the seam that transport/ (and later sim/) speak;
// docs/architecture.md draws it.
#pragma once

#include <mcp/context.hpp>
#include <mcp/http.hpp>
#include <mcp/server.hpp>

#include "protocol/jsonrpc.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include <future>
#include <memory>
#include <mutex>

namespace mcp::actors {

// --- the edge seam: a channel carries whole JSON-RPC texts both ways --------------------
//
// edge -> broker   (inbound_atom, caf::actor channel, std::string text)
//                  one inbound text (a line on stdio); the broker routes it to the
//                  channel's session, creating the session on first contact.
// edge -> broker   (ended_atom, caf::actor channel)
//                  the peer sent all it will (EOF on input): pending requests are
//                  answered, then the session closes its channel.
// edge -> broker   (closed_atom, caf::actor channel)
//                  the peer is gone (reset): pending requests are cancelled, no reply.
// session -> edge  (write_atom, std::string text, std::uint64_t seq)
//                  one outbound text; seq increases by one per write on a channel;
//                  seq 0 is an unsequenced write that is not acknowledged.
// edge -> session  (written_atom, std::uint64_t seq)
//                  every write up to seq reached the wire; the session's flow control.
// session -> edge  (close_atom)
//                  the session is over: flush what was written, then end the channel.
using inbound_atom = caf::atom_constant<caf::atom("inbound")>;
using ended_atom = caf::atom_constant<caf::atom("ended")>;
using closed_atom = caf::atom_constant<caf::atom("closed")>;
using write_atom = caf::atom_constant<caf::atom("write")>;
using written_atom = caf::atom_constant<caf::atom("written")>;
using close_atom = caf::atom_constant<caf::atom("close")>;

// --- inside the actor system ------------------------------------------------------------
//
// request -> session  (reply_atom, std::string key, std::string encoded_response)
// context -> session  (notify_atom, std::string key, std::string encoded, bool droppable)
// context -> session  (log_atom, std::string key, int level, std::string encoded)
// context -> session  (call_atom, std::string key, std::string method, std::string params,
//                      reply_slot_ptr)         a request to the peer on behalf of request key
// self    -> session  (tick_atom)             keep-alive comments and idle expiry
// context -> session  (close_atom, std::string key)  close the connection of that
//                      request's SSE stream; the client resumes it (SSE polling)
// session -> request  (cancel_atom)
// self    -> request  (run_atom) / (timeout_atom)
// worker  -> request  (handled_atom, std::string encoded_response)
// session -> outgoing (reply_atom, jsonrpc::message) / (cancel_atom, std::string reason)
// outgoing -> session (done_atom, std::string key)
// broker -> session   (catalog_atom, catalog_ptr) / (updated_atom, std::string uri)
// any -> broker       (stop_atom) -> bool: sessions drain, then the broker ends
// session -> broker   (retire_atom, caf::actor session): it has ended; the broker forgets
//                     it and answers (retire_atom). Until then the session answers what
//                     is still routed to it "not found", so no request is lost in between.
// any -> broker       (count_atom) -> size_t sessions
// client -> client_session (call_atom, method, params, reply_slot_ptr, int64 deadline_ms)
//                     / (notif_atom, method, params) / (cancel_atom, reply_slot_ptr, reason)
using reply_atom = caf::atom_constant<caf::atom("reply")>;
using done_atom = caf::atom_constant<caf::atom("done")>;
using notify_atom = caf::atom_constant<caf::atom("notify")>;
using log_atom = caf::atom_constant<caf::atom("log")>;
using call_atom = caf::atom_constant<caf::atom("call")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
using run_atom = caf::atom_constant<caf::atom("run")>;
using timeout_atom = caf::atom_constant<caf::atom("timeout")>;
using handled_atom = caf::atom_constant<caf::atom("handled")>;
using catalog_atom = caf::atom_constant<caf::atom("catalog")>;
using updated_atom = caf::atom_constant<caf::atom("updated")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using count_atom = caf::atom_constant<caf::atom("count")>;
using retire_atom = caf::atom_constant<caf::atom("retire")>;
using notif_atom = caf::atom_constant<caf::atom("notif")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
// client -> its channel (connect_atom, caf::actor client_session): the session that the
// channel's inbound texts go to, sent before any write.
using connect_atom = caf::atom_constant<caf::atom("connect")>;

// The HTTP seam's atoms (its message shapes are in actors/http_exchange.hpp).
using http_atom = caf::atom_constant<caf::atom("http")>;
using respond_atom = caf::atom_constant<caf::atom("respond")>;
using open_atom = caf::atom_constant<caf::atom("open")>;

// The catalog a session serves: an immutable snapshot, replaced whole on change.
using catalog_ptr = std::shared_ptr<const server>;

// Where the answer to one outgoing request goes. Fulfilled exactly once: by the reply,
// the deadline, cancellation, or, if every holder drops it, by its destructor, so that a
// caller blocked on the future never waits on a session that is gone.
class reply_slot {
public:
  reply_slot() = default;
  reply_slot(const reply_slot&) = delete;
  reply_slot& operator=(const reply_slot&) = delete;
  ~reply_slot() { fail(jsonrpc::code::internal_error, "the session closed before a reply"); }

  std::future<peer_reply> future() { return promise_.get_future(); }
  void fulfil(peer_reply reply) {
    std::call_once(once_, [&] {
      if (on_fulfil)
        on_fulfil();
      promise_.set_value(std::move(reply));
    });
  }
  // Runs once, just before the reply is handed over (e.g. to stop routing progress).
  std::function<void()> on_fulfil;
  void fail(int code, std::string message) {
    peer_reply r;
    r.error_code = code;
    r.error_message = std::move(message);
    fulfil(std::move(r));
  }

private:
  std::once_flag once_;
  std::promise<peer_reply> promise_;
};

using reply_slot_ptr = std::shared_ptr<reply_slot>;

// Receives server notifications on the client side: (method, params JSON text).
using notification_sink = std::function<void(const std::string& method, const std::string& params)>;

} // namespace mcp::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mcp::actors::catalog_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<const mcp::http_options>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mcp::actors::reply_slot_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mcp::jsonrpc::message)
