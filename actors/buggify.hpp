// Fault injection inside our own code, for the simulator (FoundationDB's BUGGIFY). At a
// named point the code takes a path that is legal but rare in the real world (closing a
// stream early, reconnecting late), so that recovery runs far more often under test.
// Compiled out unless MCP_BUGGIFY is defined (never in Release builds); off at run time
// until the simulator enables it with the run's seed. Each point is active in a run with
// probability 1/4 and, when active, fires with probability 1/20.
//
// Injected bugs are the other half: named, deliberate mistakes that a test switches on to
// prove that the simulator's invariants catch them.
//
//   if (MCP_BUGGIFY("output.close_stream_early")) close_the_stream();
//   auto from = MCP_INJECTED_BUG("replay_skips_event") ? after + 1 : after;
#pragma once

#include <cstdint>
#include <string>

namespace mcp::actors::buggify {

// Whether this build has the points at all.
bool available();
// The simulator's switches; the run must be single-threaded while enabled.
void enable(std::uint64_t seed);
void disable();
bool fires(const char* point);

void inject(const std::string& bug); // empty: none
bool injected(const char* bug);

} // namespace mcp::actors::buggify

#ifdef MCP_BUGGIFY
#define MCP_BUGGIFY_POINT(point) (::mcp::actors::buggify::fires(point))
#define MCP_INJECTED_BUG(name) (::mcp::actors::buggify::injected(name))
#else
#define MCP_BUGGIFY_POINT(point) false
#define MCP_INJECTED_BUG(name) false
#endif
