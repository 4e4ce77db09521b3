// What the server instances of one deployment share, so that a plain round-robin load
// balancer can send any request of a session to any instance: a directory of sessions
// naming the instance whose actor runs each (its owner), the instances' leases, a mailbox
// per instance, and the sessions' SSE event logs.
//
// A request that reaches an instance which does not run its session is relayed to the
// owner's mailbox; the owner's session answers it as if it were local, and the answer
// travels back the same way. When an owner's lease lapses (it died), the first instance
// that gets one of its sessions' requests takes the session over: it rebuilds it from the
// directory record and the shared event log, so a client resumes with Last-Event-ID and
// loses nothing that was logged.
//
//   mcp::runtime_options o;
//   o.cluster = mcp::redis_cluster({"redis://127.0.0.1:6379"});   // <mcp/redis.hpp>
//   mcp::server_runtime rt{srv, o};                                // then serve HTTP as usual
//
// `memory_cluster` joins instances of one process (tests, the simulator).
#pragma once

#include <mcp/event_log.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace mcp {

// One session as the directory knows it.
struct session_record {
  std::string id;
  std::string owner;     // the instance that runs it; empty: released, free to take over
  std::string kind;      // "streamable" or "legacy" (legacy sessions are never taken over)
  std::string principal; // who created it
  std::string version;   // negotiated protocol revision; empty before initialize
  std::string state;     // JSON the session restores from: capabilities, log level, ...
};

// What a directory lookup found.
enum class lookup { found, missing, unavailable };

class cluster {
public:
  virtual ~cluster() = default;

  // This instance's name, unique in the deployment (chosen per process).
  virtual const std::string& instance() const = 0;
  // Whether calls wait on a network round trip: the server then keeps them off the
  // threads that run sessions.
  virtual bool blocking() const = 0;

  // -- the directory. put: false when the store is unreachable.
  virtual bool put(const session_record& r) = 0;
  virtual lookup find(const std::string& id, session_record& out) = 0;
  // Makes this instance the owner if `previous` still is; false if another instance got
  // there first or the store is unreachable. The session rebuilt here then puts its record.
  virtual bool take_over(const std::string& id, const std::string& previous) = 0;
  // Forgets a session, if this instance still owns it.
  virtual void drop(const std::string& id) = 0;
  // Gives a session up, if this instance still owns it: the record stays, with no owner,
  // and the next instance that gets one of its requests takes it over (a graceful stop).
  virtual void release(const std::string& id) = 0;
  // Keeps a live session's record from expiring (called by its owner now and then).
  virtual void touch(const std::string& id) = 0;
  // Whether an instance holds a current lease.
  virtual bool alive(const std::string& instance) = 0;

  // -- mailboxes. post: false when it could not be sent (the store is unreachable). An
  // envelope sent that no instance received (its mailbox was not being read) goes, later,
  // to the undelivered sink set with deliver_to.
  virtual bool post(const std::string& instance, std::string envelope) = 0;
  // To every other instance.
  virtual void broadcast(const std::string& envelope) = 0;
  // Where this instance's envelopes go, and its own envelopes that reached nobody (called
  // on a thread of the cluster's own). Set once, before traffic; empty functions stop it.
  virtual void deliver_to(
      std::function<void(std::string envelope)> sink,
      std::function<void(const std::string& instance, std::string envelope)> undelivered) = 0;

  // -- the sessions' event logs, shared by every instance.
  virtual event_log_factory event_logs() = 0;
};

// Instances of one process that share one in-memory store. Synchronous, and
// deterministic under the simulator's scheduler.
class memory_cluster_hub {
public:
  explicit memory_cluster_hub(std::size_t events_per_stream_max);
  ~memory_cluster_hub();
  memory_cluster_hub(const memory_cluster_hub&) = delete;
  memory_cluster_hub& operator=(const memory_cluster_hub&) = delete;

  // A new instance named `instance`, alive until `leave` (or a crash, which is a leave).
  std::shared_ptr<cluster> join(const std::string& instance);
  void leave(const std::string& instance);

  struct state;

private:
  std::shared_ptr<state> state_;
};

} // namespace mcp
