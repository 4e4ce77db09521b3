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
  self->delayed_send(self, deadline, timeout_atom::value);
  return {
      [=](reply_atom, const jsonrpc::message& m) {
        slot->fulfil(to_reply(m));
        self->quit();
      },
      [=](timeout_atom) {
        slot->fail(jsonrpc::code::request_timeout,
                   "no reply to " + method + " within " + std::to_string(deadline.count()) + " ms");
        self->send(owner, done_atom::value, key);
        self->quit();
      },
      [=](cancel_atom, const std::string& reason) {
        slot->fail(jsonrpc::code::request_cancelled, method + " cancelled: " + reason);
        self->quit();
      },
  };
}

} // namespace mcp::actors
