// Where a session's outbound messages go: its channel, or one of its HTTP exchanges and
// SSE streams. Every message goes to exactly one place; replies are grouped per inbound
// text (a batch, a POST) and the group ends when its last request is answered.
#pragma once

#include "actors/session.hpp"

#include <optional>
#include <string>

namespace mcp::actors::output {

using group_id = std::optional<std::uint64_t>;

// A message that is not a reply. `related`: the key of the request it belongs to, which
// puts it on that request's stream over HTTP; null for messages unrelated to a request.
void send(session_actor* self, std::string text, const std::string* related, bool droppable);

// Every write to a stream's connection and every end of one goes through these two, which
// keep the server's gauges (open streams, unacknowledged events) exact. `event`: an SSE
// event, not a keep-alive comment.
void write_to(session_actor* self, sse_stream& s, std::string framed, bool event = true);
// Forgets the stream's connection; `close` also ends its HTTP response.
void detach(session_actor* self, sse_stream& s, bool close);

// Whether a message related to `related` (or unrelated, when null) has somewhere to go
// now: a channel, a stream of that request, or an open GET stream.
bool reachable(const session_state& st, const std::string* related);

// A reply (or an error for an inbound item) for `group`, or unbatched when it has none.
void reply(session_actor* self, group_id group, std::string text);

// A new group for an inbound text: over HTTP `exchange` carries its response, as an SSE
// stream when `stream` is set, as one JSON body otherwise.
std::uint64_t open_group(session_actor* self, bool batch, caf::actor exchange, bool stream);
// Counts a request spawned for `group` (`id_json`: its JSON-RPC id).
void add_waiting(session_actor* self, std::uint64_t group, const std::string& key,
                 std::string id_json);
// A request ended (answered or cancelled): release its slot; `text` is its reply, if any.
void request_ended(session_actor* self, const std::string& key, std::string* text);
// No more items will be read into `group`; it completes once nothing waits.
void close_group(session_actor* self, std::uint64_t group);

// Opens SSE stream `number` on `exchange` (200, event-stream headers, priming event for
// 2025-11-25), or attaches a reconnecting exchange to it.
void open_stream(session_actor* self, std::uint64_t number, const caf::actor& exchange,
                 const header_list& extra_headers);
// Sends a priming event (2025-11-25+: an event id and the retry delay) on the stream.
void prime(session_actor* self, std::uint64_t number);
// Reattaches stream `number` to `exchange` and writes its logged events after `after`
// (Last-Event-ID replay); returns how many. nullopt: the event log could not be read, and
// the exchange got 503 instead.
std::optional<std::size_t> resume(session_actor* self, std::uint64_t number,
                                  const caf::actor& exchange, std::uint64_t after);

// Acknowledgement from the channel or an exchange.
void acknowledged(session_actor* self, const caf::actor_addr& from, std::uint64_t seq);
// An exchange ended (the client went away): its stream waits for a reconnect.
void exchange_gone(session_actor* self, const caf::actor_addr& exchange);
// Closes the connection of the stream that carries `key`'s messages, keeping the stream:
// the client resumes it with Last-Event-ID.
void release_connection(session_actor* self, const std::string& key);
// SSE comment on every connected stream, so that proxies keep them open.
void keep_alive(session_actor* self);
// Ends every stream and exchange (the session closes).
void close_all(session_actor* self);

// The session id header every streamable response carries.
header_list session_headers(const session_state& st);

} // namespace mcp::actors::output
