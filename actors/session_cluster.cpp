#include "actors/session_cluster.hpp"

#include "protocol/json.hpp"
#include "protocol/json_writer.hpp"

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
  return {st.id,    st.shared->instance(), std::string{to_string(st.kind)}, st.principal,
          st.version, state.str()};
}

bool publish_record(const session_state& st) { return st.shared->put(record_of(st)); }

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
      s.finished = true;
      st.retired_streams.push_back(number);
    }
    st.next_stream = std::max(st.next_stream, number + 1);
  }
}

} // namespace mcp::actors
