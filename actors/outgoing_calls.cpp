#include "actors/outgoing_calls.hpp"

#include "actors/outgoing_request.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <cassert>

namespace mcp::actors {

std::string outgoing_calls::call(caf::event_based_actor* self, const std::string& method,
                                 const std::string& params, reply_slot_ptr slot,
                                 std::chrono::milliseconds deadline) {
  jsonrpc::request_id id{next_id_++};
  auto key = id.key();
  auto owner = caf::actor_cast<caf::actor>(self);
  const auto* raw_slot = slot.get();
  auto request = self->spawn(outgoing_request, owner, key, method, std::move(slot), deadline);
  calls_.emplace(key, entry{std::move(request), raw_slot, id});
  return jsonrpc::encode_request(id, method, params);
}

std::optional<jsonrpc::request_id> outgoing_calls::forget(const std::string& key) {
  auto it = calls_.find(key);
  if (it == calls_.end())
    return std::nullopt;
  auto id = it->second.id;
  calls_.erase(it);
  return id;
}

bool outgoing_calls::route_reply(caf::event_based_actor* self, const jsonrpc::message& response) {
  if (!response.has_id)
    return false; // an error about input the peer could not read answers no call
  auto it = calls_.find(response.id.key());
  if (it == calls_.end())
    return false;
  self->send(it->second.request, reply_atom::value, response);
  calls_.erase(it);
  return true;
}

std::optional<jsonrpc::request_id> outgoing_calls::cancel(caf::event_based_actor* self,
                                                          const reply_slot* slot,
                                                          const std::string& reason) {
  auto it = std::find_if(calls_.begin(), calls_.end(),
                         [slot](const auto& e) { return e.second.slot == slot; });
  if (it == calls_.end())
    return std::nullopt;
  auto id = it->second.id;
  self->send(it->second.request, cancel_atom::value, reason);
  calls_.erase(it);
  return id;
}

void outgoing_calls::cancel_all(caf::event_based_actor* self, const std::string& reason) {
  for (auto& [key, e] : calls_)
    self->send(e.request, cancel_atom::value, reason);
  calls_.clear();
}

bool channel_writer::write(caf::event_based_actor* self, std::string text, bool droppable) {
  if (droppable && unacknowledged() >= unacknowledged_max_) {
    ++dropped_;
    return false;
  }
  self->send(channel_, write_atom::value, std::move(text), next_seq_++);
  return true;
}

void channel_writer::acknowledge(std::uint64_t seq) {
  assert(seq < next_seq_ && "the edge acknowledged a write that was never made");
  acked_ = std::max(acked_, seq);
}

} // namespace mcp::actors
