// The in-process cluster store: a directory, leases, mailboxes and event logs in one
// process's memory, shared by the instances that join it. A crashed instance leaves; its
// sessions' records and logs stay, as they would in Redis.
#include <mcp/cluster.hpp>

#include <map>
#include <mutex>
#include <set>

namespace mcp {

struct memory_cluster_hub::state {
  explicit state(std::size_t events_max) : events_per_stream_max(events_max) {}

  std::mutex mutex;
  std::size_t events_per_stream_max;
  std::map<std::string, session_record> sessions;
  std::set<std::string> alive;
  struct mailbox {
    std::function<void(std::string)> deliver;
    std::function<void(const std::string&, std::string)> undelivered;
  };
  std::map<std::string, mailbox> sinks;
  std::map<std::string, std::shared_ptr<event_log>> logs; // by session id

  std::function<void(std::string)> sink_of(const std::string& instance) {
    std::lock_guard<std::mutex> guard{mutex};
    auto it = sinks.find(instance);
    return it == sinks.end() || alive.count(instance) == 0 ? nullptr : it->second.deliver;
  }
  std::function<void(const std::string&, std::string)> undelivered_of(const std::string& instance) {
    std::lock_guard<std::mutex> guard{mutex};
    auto it = sinks.find(instance);
    return it == sinks.end() ? nullptr : it->second.undelivered;
  }
};

namespace {

// One session's log, kept by the hub so that it outlives the instance that wrote it.
class shared_log final : public event_log {
public:
  shared_log(std::shared_ptr<memory_cluster_hub::state> hub, std::shared_ptr<event_log> log)
    : hub_(std::move(hub)), log_(std::move(log)) {}

  void append(std::uint64_t stream, std::uint64_t event, const std::string& framed) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    log_->append(stream, event, framed);
  }
  std::optional<std::vector<std::string>> replay(std::uint64_t stream,
                                                 std::uint64_t event) const override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    return log_->replay(stream, event);
  }
  void forget(std::uint64_t stream) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    log_->forget(stream);
  }
  std::map<std::uint64_t, std::uint64_t> streams() const override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    return log_->streams();
  }
  void note_requests(std::uint64_t stream, const std::vector<std::string>& ids) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    log_->note_requests(stream, ids);
  }
  std::vector<std::string> noted_requests(std::uint64_t stream) const override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    return log_->noted_requests(stream);
  }

private:
  std::shared_ptr<memory_cluster_hub::state> hub_;
  std::shared_ptr<event_log> log_;
};

class memory_cluster final : public cluster {
public:
  memory_cluster(std::shared_ptr<memory_cluster_hub::state> hub, std::string name)
    : hub_(std::move(hub)), name_(std::move(name)) {}
  // An instance that is gone holds no lease (as a stopped Redis instance deletes its own).
  ~memory_cluster() override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    hub_->alive.erase(name_);
    hub_->sinks.erase(name_);
  }

  const std::string& instance() const override { return name_; }
  bool blocking() const override { return false; }

  bool put(const session_record& r) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    hub_->sessions[r.id] = r;
    return true;
  }
  lookup find(const std::string& id, session_record& out) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    auto it = hub_->sessions.find(id);
    if (it == hub_->sessions.end())
      return lookup::missing;
    out = it->second;
    return lookup::found;
  }
  bool take_over(const std::string& id, const std::string& previous) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    auto it = hub_->sessions.find(id);
    if (it == hub_->sessions.end() || it->second.owner != previous)
      return false;
    it->second.owner = name_;
    return true;
  }
  void drop(const std::string& id) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    auto it = hub_->sessions.find(id);
    if (it == hub_->sessions.end() || it->second.owner != name_)
      return;
    hub_->sessions.erase(it);
    hub_->logs.erase(id);
  }
  void release(const std::string& id) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    if (auto it = hub_->sessions.find(id); it != hub_->sessions.end() && it->second.owner == name_)
      it->second.owner.clear();
  }
  void touch(const std::string&) override {} // records do not expire here
  bool alive(const std::string& instance) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    return hub_->alive.count(instance) != 0;
  }

  bool post(const std::string& instance, std::string envelope) override {
    if (auto sink = hub_->sink_of(instance))
      sink(std::move(envelope));
    else if (auto bounce = hub_->undelivered_of(name_))
      bounce(instance, std::move(envelope));
    return true; // like a publish: sent, whether or not anyone reads it
  }
  void broadcast(const std::string& envelope) override {
    std::set<std::string> others;
    {
      std::lock_guard<std::mutex> guard{hub_->mutex};
      others = hub_->alive;
    }
    for (auto& other : others)
      if (other != name_)
        post(other, envelope);
  }
  void deliver_to(std::function<void(std::string)> sink,
                  std::function<void(const std::string&, std::string)> undelivered) override {
    std::lock_guard<std::mutex> guard{hub_->mutex};
    hub_->sinks[name_] = {std::move(sink), std::move(undelivered)};
  }

  event_log_factory event_logs() override {
    return [hub = hub_](const std::string& session_id) -> std::unique_ptr<event_log> {
      std::shared_ptr<event_log> log;
      {
        std::lock_guard<std::mutex> guard{hub->mutex};
        auto& kept = hub->logs[session_id];
        if (!kept)
          kept = memory_event_logs(hub->events_per_stream_max)(session_id);
        log = kept;
      }
      return std::make_unique<shared_log>(hub, std::move(log));
    };
  }

private:
  std::shared_ptr<memory_cluster_hub::state> hub_;
  std::string name_;
};

} // namespace

memory_cluster_hub::memory_cluster_hub(std::size_t events_per_stream_max)
  : state_(std::make_shared<state>(events_per_stream_max)) {}

memory_cluster_hub::~memory_cluster_hub() = default;

std::shared_ptr<cluster> memory_cluster_hub::join(const std::string& instance) {
  {
    std::lock_guard<std::mutex> guard{state_->mutex};
    state_->alive.insert(instance);
  }
  return std::make_shared<memory_cluster>(state_, instance);
}

void memory_cluster_hub::leave(const std::string& instance) {
  std::lock_guard<std::mutex> guard{state_->mutex};
  state_->alive.erase(instance);
  state_->sinks.erase(instance);
}

} // namespace mcp
