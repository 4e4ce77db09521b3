// The cluster store on Redis (>= 6.2): the session directory in hashes with a TTL, each
// instance's lease as a key that expires, the mailboxes as pub/sub channels, and every
// SSE stream's events in a Redis Stream trimmed to a bound and expiring after a TTL.
//
//   mcp::redis_options r;
//   r.url = "redis://127.0.0.1:6379/0";
//   mcp::runtime_options o;
//   o.cluster = mcp::redis_cluster(r);   // throws if Redis cannot be reached at start
//
// Afterwards an unreachable Redis never blocks for long or crashes the server: requests
// that need it get a 503 with a JSON-RPC error saying so, and the connection is retried;
// when Redis is back, every live session's record and the lease are written again.
#pragma once

#include <mcp/cluster.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace mcp {

struct redis_options {
  std::string url = "redis://127.0.0.1:6379"; // redis://[[user]:password@]host:port[/db]
  std::string instance;                       // empty: a random name per process
  std::string key_prefix = "mcp:";            // every key and channel starts with it
  // An instance whose lease is this old is dead: its sessions may be taken over. It is
  // renewed three times per lease.
  std::int64_t lease_ms = 3'000;
  // A session record not touched for this long is gone (owners touch theirs every
  // http_options::keepalive_ms).
  std::int64_t session_ttl_ms = 3'600'000;
  // A stream's events expire this long after its last event.
  std::int64_t events_ttl_ms = 3'600'000;
  std::size_t events_per_stream_max = 1'024;
  // Commands waiting to be sent; beyond it a command fails at once (and is counted).
  std::size_t queue_max = 65'536;
  // A command that waits for its reply gives up after this long.
  std::int64_t call_timeout_ms = 2'000;
};

std::shared_ptr<cluster> redis_cluster(const redis_options& options);

} // namespace mcp
