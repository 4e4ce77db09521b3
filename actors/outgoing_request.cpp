#include "actors/outgoing_request.hpp"

#include <caf/all.hpp>

namespace mcp::actors {

namespace {

peer_reply to_reply(const jsonrpc::message& m) {
  peer_reply r;
  if (m.type == jsonrpc::kind::error) {
    r.error_code = m.error.code;
    r.error_message = m.error.message;
    return r;
  }
  auto doc = std::make_shared<json_document>();
  doc->CopyFrom(*m.result, doc->GetAllocator());
  r.result = std::move(doc);
  return r;
}

} // namespace

caf::behavior outgoing_request(caf::stateful_actor<outgoing_request_state>* self, caf::actor owner,
                               std::string key, std::string method, reply_slot_ptr slot,
                               std::chrono::milliseconds deadline) {
  // The deadline is a receive timeout, not a delayed message to itself: CAF cancels it when
  // the actor ends, where a pending delayed message would keep the ended actor's memory
  // until the deadline (one per request: megabytes under load).
  return {
      [=](reply_atom, const jsonrpc::message& m) {
        slot->fulfil(to_reply(m));
        self->quit();
      },
      [=](cancel_atom, const std::string& reason) {
        slot->fail(jsonrpc::code::request_cancelled, method + " cancelled: " + reason);
        self->quit();
      },
      caf::after(deadline) >>
          [=] {
            slot->fail(jsonrpc::code::request_timeout, "no reply to " + method + " within " +
                                                           std::to_string(deadline.count()) +
                                                           " ms");
            self->send(owner, done_atom::value, key);
            self->quit();
          },
  };
}

} // namespace mcp::actors
