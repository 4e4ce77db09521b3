#include "actors/session_output.hpp"

#include "actors/buggify.hpp"
#include "actors/session_http.hpp"
#include "protocol/jsonrpc.hpp"
#include "protocol/sse.hpp"
#include "protocol/versions.hpp"

#include <caf/all.hpp>

namespace mcp::actors::output {

namespace {

constexpr std::uint64_t get_stream = 0;

std::string event_id(std::uint64_t stream, std::uint64_t number) {
  return std::to_string(stream) + "-" + std::to_string(number);
}

void stream_write(session_actor* self, std::uint64_t number, const std::string& text,
                  bool droppable) {
  auto& st = self->state;
  auto& s = st.streams[number];
  auto event = s.next_event++;
  auto framed = sse::encode({"message", event_id(number, event), text, std::nullopt});
  if (s.connection) {
    if (droppable && s.writes - s.acked >= st.bounds->outbound_messages_max) {
      ++st.dropped_messages;
      ++st.observer->stats.events_dropped;
      return;
    }
    write_to(self, s, framed);
    // Legal but rare: the server ends a resumable stream early (SSE polling, 2025-11-25).
    if (st.kind == session_kind::streamable &&
        protocol::at_least(st.version, protocol::v2025_11_25) &&
        MCP_BUGGIFY_POINT("output.close_stream_early"))
      detach(self, s, true);
  }
  // Kept for a client that reconnects with Last-Event-ID; the oldest go first.
  st.events->append(number, event, framed);
}

void retire_stream(session_actor* self, std::uint64_t number) {
  auto& st = self->state;
  auto& s = st.streams[number];
  s.finished = true;
  detach(self, s, true);
  st.retired_streams.push_back(number);
  while (st.retired_streams.size() > st.bounds->retired_streams_max) {
    st.events->forget(st.retired_streams.front());
    st.streams.erase(st.retired_streams.front());
    st.retired_streams.erase(st.retired_streams.begin());
  }
}

http_response json_response(const session_state& st, std::string body) {
  auto headers = session_headers(st);
  headers.emplace_back("content-type", "application/json");
  return {200, std::move(headers), std::move(body)};
}

void complete(session_actor* self, std::uint64_t id) {
  auto& st = self->state;
  auto it = st.groups.find(id);
  if (it == st.groups.end() || it->second.open || it->second.waiting > 0)
    return;
  auto& g = it->second;
  auto body = [&] {
    return g.batch || g.held.size() != 1 ? jsonrpc::encode_batch(g.held) : g.held.front();
  };
  if (g.stream) {
    retire_stream(self, *g.stream);
  } else if (g.exchange && g.held.empty()) {
    self->send(g.exchange, respond_atom::value, http_response{202, session_headers(st), {}});
  } else if (g.exchange) {
    self->send(g.exchange, respond_atom::value, json_response(st, body()));
  } else if (!g.held.empty()) {
    send(self, body(), nullptr, false); // a channel batch
  }
  st.groups.erase(it);
  // A stateless session answers one POST and ends.
  if (st.kind == session_kind::stateless)
    self->send(self, stop_atom::value);
}

} // namespace

header_list session_headers(const session_state& st) {
  if (st.kind != session_kind::streamable)
    return {};
  return {{"mcp-session-id", st.id}};
}

bool reachable(const session_state& st, const std::string* related) {
  if (st.kind == session_kind::channel)
    return true;
  if (related != nullptr) {
    auto g = st.group_of.find(*related);
    if (g != st.group_of.end() && st.groups.at(g->second).stream)
      return true;
  }
  // A GET stream that is reconnecting still counts: its events wait for the replay.
  auto s = st.streams.find(get_stream);
  return s != st.streams.end() && !s->second.finished;
}

void write_to(session_actor* self, sse_stream& s, std::string framed, bool event) {
  auto& stats = self->state.observer->stats;
  ++stats.events_unacknowledged;
  if (event)
    ++stats.events_sent;
  self->send(s.connection, write_atom::value, std::move(framed), ++s.writes);
}

void detach(session_actor* self, sse_stream& s, bool close) {
  if (!s.connection)
    return;
  auto& stats = self->state.observer->stats;
  --stats.streams_open;
  stats.events_unacknowledged -= static_cast<std::int64_t>(s.writes - s.acked);
  if (close)
    self->send(s.connection, close_atom::value);
  s.connection = nullptr;
}

void send(session_actor* self, std::string text, const std::string* related, bool droppable) {
  auto& st = self->state;
  if (st.kind == session_kind::channel) {
    st.channel->write(self, std::move(text), droppable);
    return;
  }
  if (related != nullptr) {
    auto g = st.group_of.find(*related);
    if (g != st.group_of.end()) {
      auto& group = st.groups[g->second];
      if (group.stream)
        return stream_write(self, *group.stream, text, droppable);
    }
  }
  // Unrelated messages (and those of a request answered as JSON) use the GET stream.
  auto s = st.streams.find(get_stream);
  if (s == st.streams.end() || s->second.finished) {
    ++st.dropped_messages;
    ++st.observer->stats.events_dropped;
    return;
  }
  stream_write(self, get_stream, text, droppable);
}

void reply(session_actor* self, group_id group, std::string text) {
  auto& st = self->state;
  if (!group)
    return send(self, std::move(text), nullptr, false);
  auto& g = st.groups[*group];
  if (g.stream)
    stream_write(self, *g.stream, text, false);
  else
    g.held.push_back(std::move(text));
}

std::uint64_t open_group(session_actor* self, bool batch, caf::actor exchange, bool stream) {
  auto& st = self->state;
  auto id = st.next_group++;
  auto& g = st.groups[id];
  g.batch = batch;
  if (stream) {
    auto number = st.next_stream++;
    g.stream = number;
    open_stream(self, number, exchange, {});
  } else if (exchange) {
    g.exchange = exchange;
    self->monitor(exchange);
  }
  return id;
}

void add_waiting(session_actor* self, std::uint64_t group, const std::string& key,
                 std::string id_json) {
  auto& st = self->state;
  st.group_of.emplace(key, group);
  auto& g = st.groups[group];
  ++g.waiting;
  if (st.shared != nullptr && g.stream)
    g.request_ids.push_back(std::move(id_json));
}

void request_ended(session_actor* self, const std::string& key, std::string* text) {
  auto& st = self->state;
  auto it = st.group_of.find(key);
  if (it == st.group_of.end()) {
    if (text != nullptr)
      send(self, std::move(*text), nullptr, false);
    return;
  }
  auto group = it->second;
  st.group_of.erase(it);
  if (text != nullptr)
    reply(self, group, std::move(*text));
  --st.groups[group].waiting;
  complete(self, group);
}

void close_group(session_actor* self, std::uint64_t group) {
  auto& g = self->state.groups[group];
  g.open = false;
  // In a cluster, an instance that takes the session over answers what is still running.
  if (!g.request_ids.empty() && g.waiting > 0)
    self->state.events->note_requests(*g.stream, g.request_ids);
  complete(self, group);
}

void open_stream(session_actor* self, std::uint64_t number, const caf::actor& exchange,
                 const header_list& extra_headers) {
  auto& st = self->state;
  auto& s = st.streams[number];
  detach(self, s, false);
  s.connection = exchange;
  s.writes = 0;
  s.acked = 0;
  ++st.observer->stats.streams_open;
  self->monitor(exchange);
  auto headers = session_headers(st);
  headers.insert(headers.end(), {{"content-type", "text/event-stream"},
                                 {"cache-control", "no-cache, no-transform"},
                                 {"connection", "keep-alive"},
                                 {"x-accel-buffering", "no"}});
  headers.insert(headers.end(), extra_headers.begin(), extra_headers.end());
  self->send(exchange, open_atom::value, http_response{200, std::move(headers), {}});
  s.connected_from = s.next_event;
  if (s.next_event == 1)
    prime(self, number);
}

void prime(session_actor* self, std::uint64_t number) {
  auto& st = self->state;
  auto& s = st.streams[number];
  // 2025-11-25 (SEP-1699): an event id at once, so the client can resume even before the
  // first message, and the delay it must wait before reconnecting.
  // An initialize's own stream is primed too, by the version it is about to negotiate.
  const auto& version = st.version.empty() ? st.priming_version : st.version;
  if (!s.connection || st.kind != session_kind::streamable ||
      !protocol::at_least(version, protocol::v2025_11_25))
    return;
  auto priming = s.next_event++;
  auto framed = sse::encode(
      {{}, event_id(number, priming), "", static_cast<std::uint64_t>(st.http->retry_ms)});
  write_to(self, s, std::move(framed));
}

std::optional<std::size_t> resume(session_actor* self, std::uint64_t number,
                                  const caf::actor& exchange, std::uint64_t after) {
  auto& st = self->state;
  // The simulator's tests switch these on to prove that its invariants catch them.
  auto source = MCP_INJECTED_BUG("replay_wrong_stream") && number > 1 ? number - 1 : number;
  auto from = MCP_INJECTED_BUG("replay_skips_event") ? after + 1 : after;
  // Read before anything is sent: a store that cannot be read gets a clear refusal, and
  // the client retries from the same event.
  auto events = st.events->replay(source, from);
  if (!events) {
    ++st.observer->stats.cluster_store_errors;
    auto headers = session_headers(st);
    headers.emplace_back("retry-after", "1");
    self->send(exchange, respond_atom::value,
               http_detail::error_response(
                   503, -32000, "Service Unavailable: the event store cannot be read; retry",
                   std::move(headers)));
    return std::nullopt;
  }
  open_stream(self, number, exchange, {});
  auto& s = st.streams[number];
  s.connected_from = after + 1;
  for (auto& framed : *events)
    write_to(self, s, std::move(framed));
  auto replayed = events->size();
  ++st.observer->stats.replays;
  st.observer->stats.events_replayed += replayed;
  st.observer->log.write(log_severity::info, "stream_resumed",
                         {{"session", st.id},
                          {"stream", std::to_string(number)},
                          {"after_event", std::to_string(after)},
                          {"replayed", std::to_string(replayed)}});
  if (s.finished)
    detach(self, s, true);
  return replayed;
}

void acknowledged(session_actor* self, const caf::actor_addr& from, std::uint64_t seq) {
  auto& st = self->state;
  if (st.kind == session_kind::channel) {
    st.channel->acknowledge(seq);
    return;
  }
  for (auto& [number, s] : st.streams)
    if (s.connection && s.connection.address() == from && seq > s.acked) {
      st.observer->stats.events_unacknowledged -= static_cast<std::int64_t>(seq - s.acked);
      s.acked = seq;
    }
}

void exchange_gone(session_actor* self, const caf::actor_addr& exchange) {
  auto& st = self->state;
  for (auto& [number, s] : st.streams)
    if (s.connection && s.connection.address() == exchange)
      detach(self, s, false);
  // A JSON response nobody waits for any more is dropped when it completes; the
  // request itself goes on (disconnecting is not cancelling).
  for (auto& [id, g] : st.groups)
    if (g.exchange && g.exchange.address() == exchange)
      g.exchange = nullptr;
}

void release_connection(session_actor* self, const std::string& key) {
  auto& st = self->state;
  auto g = st.group_of.find(key);
  if (g == st.group_of.end() || !st.groups[g->second].stream)
    return;
  detach(self, st.streams[*st.groups[g->second].stream], true);
}

void keep_alive(session_actor* self) {
  static const std::string comment = sse::comment();
  for (auto& [number, s] : self->state.streams)
    if (s.connection)
      write_to(self, s, comment, false);
}

void close_all(session_actor* self) {
  auto& st = self->state;
  if (st.channel)
    self->send(st.channel->channel(), close_atom::value);
  for (auto& [number, s] : st.streams)
    detach(self, s, true);
  for (auto& [id, g] : st.groups)
    if (g.exchange)
      self->send(g.exchange, respond_atom::value,
                 http_response{503, {{"content-type", "text/plain"}}, "session closed\n"});
  st.streams.clear();
  st.groups.clear();
}

} // namespace mcp::actors::output
