// A session's entry in the cluster directory: what it writes there, and how an instance
// that takes it over rebuilds it (its negotiated state from the record, its streams from
// the shared event log).
#pragma once

#include "actors/session.hpp"

namespace mcp::actors {

// Event numbers a taken-over stream skips: the dead owner may have sent events to its
// client that never reached the shared log (the log is written behind the stream), and
// none of those ids may name a different event now.
constexpr std::uint64_t takeover_event_gap = 1024;

session_record record_of(const session_state& st);
// Writes the session's record; false when the store is unreachable.
bool publish_record(const session_state& st);
// The state of a session taken over from another instance.
void restore(session_state& st, const session_record& r);
// Answers, with an error, each request that stream `number` was to answer and did not:
// they died with the previous owner. The answers go into the log, for the replay.
void answer_orphans(session_state& st, std::uint64_t number);

} // namespace mcp::actors
