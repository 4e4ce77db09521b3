#include "sim/wire_check.hpp"

#include "protocol/jsonrpc.hpp"

namespace mcp::sim {

namespace {

// Event ids are "<stream>-<event>": the stream is what comes before the last '-'.
std::string_view stream_of(std::string_view id) {
  auto dash = id.rfind('-');
  return dash == std::string_view::npos ? id : id.substr(0, dash);
}

constexpr std::size_t json_body_bytes_max = 1 << 20;

} // namespace

void wire_check::opened(std::uint64_t call, int client, std::string session,
                        std::string resume_from, bool streaming) {
  auto& c = calls_[call];
  c.client = client;
  // A legacy stream is its own session and names none.
  c.session = session.empty() ? "call-" + std::to_string(call) : std::move(session);
  c.resume_from = std::move(resume_from);
  c.streaming = streaming;
}

void wire_check::received(std::uint64_t call, std::string_view bytes) {
  auto it = calls_.find(call);
  if (it == calls_.end())
    return;
  auto& c = it->second;
  if (!c.streaming) {
    if (c.body.size() + bytes.size() <= json_body_bytes_max)
      c.body.append(bytes);
    return;
  }
  std::vector<sse::event> events;
  if (!c.events.feed(bytes, events))
    return violation(call, "unparseable SSE: " + c.events.error());
  for (auto& e : events) {
    if (e.data.empty())
      continue;
    if (!e.id.empty()) {
      if (!c.resume_from.empty()) {
        ++replayed_;
        if (stream_of(e.id) != stream_of(c.resume_from))
          violation(call, "resumed from " + c.resume_from + " but carried event " + e.id +
                              " of another stream");
      }
      if (!events_seen_.emplace(c.client, c.session, e.id).second)
        violation(call, "event " + e.id + " of session " + c.session + " reached client " +
                            std::to_string(c.client) + " twice");
    }
    message(c, call, e.data);
  }
}

void wire_check::ended(std::uint64_t call) {
  auto it = calls_.find(call);
  if (it == calls_.end())
    return;
  if (!it->second.streaming && !it->second.body.empty())
    message(it->second, call, it->second.body);
  calls_.erase(it);
}

void wire_check::message(const call_view& c, std::uint64_t call, std::string_view data) {
  for (auto& item : jsonrpc::decode(data, {json_body_bytes_max, 64, 64}).items) {
    auto* m = std::get_if<jsonrpc::message>(&item);
    if (m != nullptr && m->is_response() && m->has_id &&
        !responses_seen_.emplace(c.client, c.session, m->id.key()).second)
      violation(call, "the response to request " + m->id.key() + " reached client " +
                          std::to_string(c.client) + " twice");
  }
}

void wire_check::violation(std::uint64_t call, const std::string& what) {
  violations_.push_back("call " + std::to_string(call) + ": " + what);
}

} // namespace mcp::sim
