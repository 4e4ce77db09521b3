#include "actors/client_session.hpp"

#include "protocol/mcp_model.hpp"

#include <caf/all.hpp>

namespace mcp::actors {

namespace {

void on_request(client_session_actor* self, const jsonrpc::message& m) {
  auto& st = self->state;
  auto write_error = [&](int code, std::string text) {
    st.out->write(self, jsonrpc::encode_error(m.id, {code, std::move(text), {}}), false);
  };
  if (m.method == protocol::method::ping)
    return (void)st.out->write(self, jsonrpc::encode_result(m.id, "{}"), false);
  auto it = st.config.handlers.find(m.method);
  if (it == st.config.handlers.end())
    return write_error(jsonrpc::code::method_not_found, "method not found: " + m.method);
  auto key = m.id.key();
  if (st.inbound.count(key) != 0)
    return write_error(jsonrpc::code::invalid_request,
                       "request id " + m.id.to_json() + " is already in use");
  inbound_job job{m,
                  it->second,
                  caf::actor_cast<caf::actor>(self),
                  key,
                  {},
                  "{}",
                  {},
                  std::chrono::milliseconds{st.config.bounds->request_timeout_ms},
                  st.config.pool};
  st.inbound.emplace(key, self->spawn(inbound_request, std::move(job)));
}

void on_text(client_session_actor* self, const std::string& text) {
  auto& st = self->state;
  auto& b = *st.config.bounds;
  auto decoded = jsonrpc::decode(text, {b.message_bytes_max, b.json_depth_max, b.batch_length_max});
  for (auto& item : decoded.items) {
    if (std::holds_alternative<jsonrpc::rejected>(item))
      continue; // a server that speaks garbage gets no answer from a client
    auto& m = std::get<jsonrpc::message>(item);
    if (m.is_response())
      st.calls.route_reply(self, m);
    else if (m.is_notification())
      st.config.on_notification(m.method, m.params != nullptr ? to_json(*m.params) : "{}");
    else
      on_request(self, m);
  }
}

void close(client_session_actor* self, const std::string& reason) {
  auto& st = self->state;
  for (auto& [key, request] : st.inbound)
    self->send(request, cancel_atom::value);
  st.calls.cancel_all(self, reason);
  self->send(st.out->channel(), close_atom::value);
  self->quit();
}

} // namespace

caf::behavior client_session(client_session_actor* self, client_session_config config) {
  auto& st = self->state;
  st.out.emplace(config.channel, config.bounds->outbound_messages_max);
  st.config = std::move(config);
  return {
      [=](inbound_atom, const std::string& text) { on_text(self, text); },
      [=](written_atom, std::uint64_t seq) { self->state.out->acknowledge(seq); },
      [=](call_atom, const std::string& method, const std::string& params, reply_slot_ptr& slot,
          std::int64_t deadline_ms) {
        auto& s = self->state;
        auto deadline = std::chrono::milliseconds{deadline_ms};
        s.out->write(self, s.calls.call(self, method, params, std::move(slot), deadline), false);
      },
      [=](cancel_atom, const reply_slot_ptr& slot, const std::string& reason) {
        auto& s = self->state;
        auto id = s.calls.cancel(self, slot.get(), reason);
        if (!id)
          return; // already answered: nothing to cancel
        auto params = protocol::cancelled_notification(id->to_json(), reason);
        s.out->write(self, jsonrpc::encode_notification(protocol::method::cancelled, params),
                     false);
      },
      [=](notif_atom, const std::string& method, const std::string& params) {
        self->state.out->write(self, jsonrpc::encode_notification(method, params), false);
      },
      [=](reply_atom, const std::string& key, std::string& text) {
        if (self->state.inbound.erase(key) != 0)
          self->state.out->write(self, std::move(text), false);
      },
      [=](notify_atom, const std::string& key, std::string& text, bool droppable) {
        if (self->state.inbound.count(key) != 0)
          self->state.out->write(self, std::move(text), droppable);
      },
      [=](done_atom, const std::string& key) {
        // The deadline passed: the server may stop working on it.
        auto& s = self->state;
        if (auto id = s.calls.forget(key))
          s.out->write(self,
                       jsonrpc::encode_notification(
                           protocol::method::cancelled,
                           protocol::cancelled_notification(id->to_json(), "timed out")),
                       false);
      },
      [=](closed_atom) { close(self, "the server went away"); },
      [=](stop_atom) { close(self, "the client closed"); },
  };
}

} // namespace mcp::actors
