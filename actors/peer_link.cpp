#include "actors/peer_link.hpp"

#include "actors/outgoing_request.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <cassert>

namespace mcp::actors {

bool peer_link::write(caf::event_based_actor* self, std::string text, bool droppable) {
  if (droppable && unacknowledged() >= outbound_max_) {
    ++dropped_;
    return false;
  }
  self->send(channel_, write_atom::value, std::move(text), next_seq_++);
  return true;
}

void peer_link::acknowledge(std::uint64_t seq) {
  assert(seq < next_seq_ && "the edge acknowledged a write that was never made");
  acked_ = std::max(acked_, seq);
}

jsonrpc::request_id peer_link::call(caf::event_based_actor* self, const std::string& method,
                                    const std::string& params, reply_slot_ptr slot,
                                    std::chrono::milliseconds deadline) {
  jsonrpc::request_id id{next_outgoing_id_++};
  auto key = id.key();
  auto owner = caf::actor_cast<caf::actor>(self);
  const auto* raw_slot = slot.get();
  auto request = self->spawn(outgoing_request, owner, key, method, std::move(slot), deadline);
  outgoing_.emplace(key, outgoing{std::move(request), raw_slot, id});
  write(self, jsonrpc::encode_request(id, method, params), false);
  return id;
}

bool peer_link::route_reply(caf::event_based_actor* self, const jsonrpc::message& response) {
  auto it = outgoing_.find(response.id.key());
  if (it == outgoing_.end())
    return false;
  self->send(it->second.request, reply_atom::value, response);
  outgoing_.erase(it);
  return true;
}

std::optional<jsonrpc::request_id>
peer_link::cancel(caf::event_based_actor* self, const reply_slot* slot, const std::string& reason) {
  auto it = std::find_if(outgoing_.begin(), outgoing_.end(),
                         [slot](const auto& entry) { return entry.second.slot == slot; });
  if (it == outgoing_.end())
    return std::nullopt;
  auto id = it->second.id;
  self->send(it->second.request, cancel_atom::value, reason);
  outgoing_.erase(it);
  return id;
}

void peer_link::cancel_all(caf::event_based_actor* self, const std::string& reason) {
  for (auto& [key, entry] : outgoing_)
    self->send(entry.request, cancel_atom::value, reason);
  outgoing_.clear();
}

} // namespace mcp::actors
