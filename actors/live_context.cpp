#include "actors/live_context.hpp"

#include "actors/messages.hpp"
#include "protocol/jsonrpc.hpp"
#include "protocol/mcp_model.hpp"

#include <caf/send.hpp>

namespace mcp::actors {

void live_context::progress(double progress, std::optional<double> total, std::string message) {
  if (p_.progress_token.empty() || cancelled())
    return;
  // "The progress value MUST increase with each notification."
  if (has_progress_ && progress <= last_progress_)
    return;
  has_progress_ = true;
  last_progress_ = progress;
  auto body = protocol::progress_notification(p_.progress_token, progress, total, message);
  caf::anon_send(p_.session, notify_atom::value, p_.key,
                 jsonrpc::encode_notification(protocol::method::progress, body), true);
}

void live_context::log(log_level level, std::string logger, json_text data) {
  if (cancelled())
    return;
  auto body = protocol::log_notification(level, logger, data.text);
  caf::anon_send(p_.session, log_atom::value, p_.key, static_cast<int>(level),
                 jsonrpc::encode_notification(protocol::method::message, body));
}

peer_reply live_context::call_peer(std::string method, json_text request_params) {
  if (!p_.may_block) {
    peer_reply r;
    r.error_code = jsonrpc::code::internal_error;
    r.error_message = "calling the peer needs a worker thread: this handler runs on an actor "
                      "(a tool with may_block = false, or handler_threads = 0)";
    return r;
  }
  auto slot = std::make_shared<reply_slot>();
  auto answer = slot->future();
  caf::anon_send(p_.session, call_atom::value, p_.key, std::move(method),
                 std::move(request_params.text), std::move(slot));
  // The session fulfils the slot: by the reply, its deadline, or by dropping it.
  return answer.get();
}

} // namespace mcp::actors

namespace mcp::actors {

void live_context::close_stream() {
  if (!cancelled())
    caf::anon_send(p_.session, close_atom::value, p_.key);
}

} // namespace mcp::actors
