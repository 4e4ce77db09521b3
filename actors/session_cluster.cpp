#include "actors/session_cluster.hpp"

#include "protocol/json.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/jsonrpc.hpp"
#include "protocol/sse.hpp"

#include <set>

namespace mcp::actors {

session_record record_of(const session_state& st) {
  protocol::json_writer state;
  state.begin_object().raw_member("capabilities", st.client_capabilities);
  state.key("ready").boolean(st.client_ready);
  state.key("log");
  if (st.min_log_level)
    state.string(to_string(*st.min_log_level));
  else
    state.null();
  state.key("subscriptions").begin_array();
  for (auto& uri : st.subscriptions)
    state.string(uri);
  state.end_array().end_object();
  return {
      st.id,      st.shared->instance(), std::string{to_string(st.kind)}, st.principal, st.version,
      state.str()};
}

bool publish_record(const session_state& st) { return st.shared->put(record_of(st)); }

namespace {

// The ids of the responses among a stream's logged events (JSON text, as written).
std::set<std::string> answered(const std::vector<std::string>& framed) {
  std::set<std::string> ids;
  sse::parser parser;
  std::vector<sse::event> events;
  for (auto& f : framed)
    parser.feed(f, events);
  for (auto& e : events) {
    auto parsed = protocol::parse_json(e.data, {e.data.size(), 64});
    auto* doc = std::get_if<protocol::shared_document>(&parsed);
    if (doc == nullptr || !(*doc)->IsObject())
      continue;
    auto* id = find_member(**doc, "id");
    if (id != nullptr && (find_member(**doc, "result") || find_member(**doc, "error")))
      ids.insert(to_json(*id));
  }
  return ids;
}

std::optional<jsonrpc::request_id> id_of(const std::string& json) {
  auto parsed = protocol::parse_json(json, {json.size(), 4});
  auto* doc = std::get_if<protocol::shared_document>(&parsed);
  if (doc != nullptr && (*doc)->IsInt64())
    return jsonrpc::request_id{(*doc)->GetInt64()};
  if (doc != nullptr && (*doc)->IsString())
    return jsonrpc::request_id{std::string{(*doc)->GetString()}};
  return std::nullopt;
}

} // namespace

void answer_orphans(session_state& st, std::uint64_t number) {
  auto noted = st.events->noted_requests(number);
  if (noted.empty())
    return;
  auto logged = st.events->replay(number, 0);
  if (!logged)
    return; // the store cannot be read: the client's call times out instead
  auto done = answered(*logged);
  auto& s = st.streams[number];
  for (auto& id : noted) {
    auto request = id_of(id);
    if (!request || done.count(id) != 0)
      continue;
    auto error = jsonrpc::encode_error(
        request, {jsonrpc::code::internal_error,
                  "the server instance running this request stopped before answering it",
                  {}});
    auto event = s.next_event++;
    st.events->append(number, event,
                      sse::encode({"message", std::to_string(number) + "-" + std::to_string(event),
                                   error, std::nullopt}));
  }
}

void restore(session_state& st, const session_record& r) {
  st.version = r.version;
  auto parsed = protocol::parse_json(r.state, {r.state.size(), 64});
  if (auto* doc = std::get_if<protocol::shared_document>(&parsed); doc && (*doc)->IsObject()) {
    auto& state = **doc;
    if (auto* caps = find_member(state, "capabilities"); caps && caps->IsObject())
      st.client_capabilities = to_json(*caps);
    st.client_ready = get_bool(state, "ready").value_or(false);
    auto level = get_string(state, "log");
    st.min_log_level = level ? parse_log_level(*level) : std::nullopt;
    if (auto* uris = find_member(state, "subscriptions"); uris && uris->IsArray())
      for (auto& uri : uris->GetArray())
        if (uri.IsString())
          st.subscriptions.insert(uri.GetString());
  }
  // The GET stream always exists again (its priming event is not logged, so the log may
  // not know it); the POST streams are over: their requests died with the old owner, and
  // a resumption replays what was logged, then ends.
  auto logged = st.events->streams();
  logged.emplace(0, 0);
  for (auto& [number, last] : logged) {
    auto& s = st.streams[number];
    s.next_event = last + 1 + takeover_event_gap;
    s.connected_from = s.next_event;
    if (number != 0) {
      answer_orphans(st, number);
      s.finished = true;
      st.retired_streams.push_back(number);
    }
    st.next_stream = std::max(st.next_stream, number + 1);
  }
}

} // namespace mcp::actors
