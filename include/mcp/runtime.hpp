// Serving a server definition: the actor system, the broker, and the handler workers.
// Transports (stdio, in-process, HTTP) attach to a runtime.
//
//   mcp::server_runtime rt{srv};
//   rt.update([](mcp::server& s) { s.add_tool(extra); });  // clients get list_changed
//   rt.resource_updated("file:///log.txt");                   // subscribers get updated
#pragma once

#include <mcp/cluster.hpp>
#include <mcp/event_log.hpp>
#include <mcp/limits.hpp>
#include <mcp/server.hpp>
#include <mcp/telemetry.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace mcp {

struct runtime_options {
  limits bounds;
  // Seeds every random choice (session ids) for a reproducible run; unset means the
  // kernel's cryptographically secure source.
  std::optional<std::uint64_t> seed;
  // Where SSE events wait for reconnecting clients; unset: the cluster's shared logs, or
  // in memory, bounded by limits::stream_events_max per stream.
  event_log_factory event_logs;
  // Other instances to share sessions with (<mcp/cluster.hpp>, <mcp/redis.hpp>); unset:
  // this process alone serves its sessions.
  std::shared_ptr<mcp::cluster> cluster;
  // Structured logs (JSON lines): level and destination.
  log_options log;
};

class server_runtime {
public:
  explicit server_runtime(server definition, runtime_options options = {});
  ~server_runtime();
  server_runtime(const server_runtime&) = delete;
  server_runtime& operator=(const server_runtime&) = delete;

  // Changes the catalog; sessions get the list_changed notifications that apply.
  void update(const std::function<void(server&)>& change);
  // Sends notifications/resources/updated to the sessions subscribed to `uri`.
  void resource_updated(const std::string& uri);
  // Sessions alive now.
  std::size_t session_count();
  // Lets every session answer what is pending, then ends them. Idempotent; the
  // destructor calls it.
  void stop();

  const limits& bounds() const;

  // For transports in this project; not part of the stable API.
  struct internals;
  internals& internal() { return *impl_; }

private:
  std::unique_ptr<internals> impl_;
};

} // namespace mcp
