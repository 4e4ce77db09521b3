// mcp::cluster on Redis. Keys (under the prefix):
//   instance:<name>            the instance's lease (expires)
//   session:<id>               hash: owner kind principal version state (expires)
//   streams:<id>               set of the session's stream numbers
//   events:<id>:<stream>       Redis Stream of framed SSE events, ids "<event>-0"
//   requests:<id>              hash: stream -> the request ids it answers
// Channels: inbox:<name> (one per instance), broadcast ("<from>\n<envelope>").
#include <mcp/redis.hpp>

#include "store/redis_link.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>

namespace mcp {

namespace {

using store::redis_link;
using store::redis_reply;

std::string random_instance_name() {
  std::random_device entropy;
  static constexpr char hex[] = "0123456789abcdef";
  std::string name = "instance-";
  for (int i = 0; i < 12; ++i)
    name += hex[entropy() % 16];
  return name;
}

// Only the owner may remove a session's record and logs (a dead owner's late close must
// not erase what its successor runs).
constexpr const char* drop_script = R"(
if redis.call('hget', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
for _, n in ipairs(redis.call('smembers', KEYS[2])) do
  redis.call('del', ARGV[2] .. n)
end
redis.call('del', KEYS[1], KEYS[2], KEYS[3])
return 1)";

constexpr const char* release_script = R"(
if redis.call('hget', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], 'owner', '')
return 1)";

constexpr const char* take_over_script = R"(
if redis.call('hget', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], 'owner', ARGV[2])
return 1)";

class redis_event_log final : public event_log {
public:
  redis_event_log(std::shared_ptr<redis_link> link, const redis_options& o, std::string session)
    : link_(std::move(link)), prefix_(o.key_prefix + "events:" + session + ":"),
      streams_key_(o.key_prefix + "streams:" + session),
      requests_key_(o.key_prefix + "requests:" + session),
      events_max_(std::to_string(o.events_per_stream_max)), ttl_(std::to_string(o.events_ttl_ms)),
      ttl_span_(std::chrono::milliseconds{o.events_ttl_ms}) {}

  void append(std::uint64_t stream, std::uint64_t event, const std::string& framed) override {
    auto key = prefix_ + std::to_string(stream);
    register_stream(stream);
    link_->send({"XADD", key, "MAXLEN", events_max_, std::to_string(event) + "-0", "e", framed});
    // The TTL runs from the latest events: set by the first, then refreshed when an eighth
    // of it has passed.
    auto now = std::chrono::steady_clock::now();
    auto [refreshed, first] = refreshed_.try_emplace(stream, now);
    if (first || now - refreshed->second > ttl_span_ / 8) {
      refreshed->second = now;
      link_->send({"PEXPIRE", key, ttl_});
    }
  }

  std::optional<std::vector<std::string>> replay(std::uint64_t stream,
                                                 std::uint64_t event) const override {
    auto r = link_->call(
        {"XRANGE", prefix_ + std::to_string(stream), "(" + std::to_string(event) + "-0", "+"});
    if (r.what != redis_reply::type::array)
      return std::nullopt;
    std::vector<std::string> out;
    for (auto& entry : r.elements)
      if (entry.elements.size() == 2 && entry.elements[1].elements.size() == 2)
        out.push_back(entry.elements[1].elements[1].text);
    return out;
  }

  void forget(std::uint64_t stream) override {
    refreshed_.erase(stream);
    registered_.erase(stream);
    link_->send({"DEL", prefix_ + std::to_string(stream)});
    link_->send({"SREM", streams_key_, std::to_string(stream)});
    link_->send({"HDEL", requests_key_, std::to_string(stream)});
  }

  // One hash field per stream: its request ids, one per line (ids are JSON, no newline).
  void note_requests(std::uint64_t stream, const std::vector<std::string>& ids) override {
    std::string joined;
    for (auto& id : ids)
      joined += id + "\n";
    link_->send({"HSET", requests_key_, std::to_string(stream), joined});
    link_->send({"PEXPIRE", requests_key_, ttl_});
    register_stream(stream); // known even if it logs no event before its owner dies
  }

  std::vector<std::string> noted_requests(std::uint64_t stream) const override {
    auto r = link_->call({"HGET", requests_key_, std::to_string(stream)});
    std::vector<std::string> ids;
    std::size_t from = 0;
    for (auto nl = r.text.find('\n'); nl != std::string::npos; nl = r.text.find('\n', from)) {
      ids.push_back(r.text.substr(from, nl - from));
      from = nl + 1;
    }
    return ids;
  }

  std::map<std::uint64_t, std::uint64_t> streams() const override {
    std::map<std::uint64_t, std::uint64_t> out;
    auto members = link_->call({"SMEMBERS", streams_key_});
    for (auto& m : members.elements) {
      if (m.text.empty() || m.text.find_first_not_of("0123456789") != std::string::npos)
        continue;
      auto last = link_->call({"XREVRANGE", prefix_ + m.text, "+", "-", "COUNT", "1"});
      auto& number = out[std::stoull(m.text)]; // 0: no event logged yet
      if (last.elements.size() == 1 && !last.elements[0].elements.empty())
        number = std::stoull(last.elements[0].elements[0].text);
    }
    return out;
  }

private:
  void register_stream(std::uint64_t stream) {
    if (!registered_.insert(stream).second)
      return;
    link_->send({"SADD", streams_key_, std::to_string(stream)});
    link_->send({"PEXPIRE", streams_key_, ttl_});
  }

  std::shared_ptr<redis_link> link_;
  std::string prefix_, streams_key_, requests_key_, events_max_, ttl_;
  std::set<std::uint64_t> registered_; // streams this instance has put in the set
  std::chrono::milliseconds ttl_span_;
  std::map<std::uint64_t, std::chrono::steady_clock::time_point> refreshed_; // its TTL
};

// Where this instance's envelopes go, and its envelopes nobody received.
struct mailbox {
  std::mutex mutex;
  std::function<void(std::string)> deliver;
  std::function<void(const std::string&, std::string)> undelivered;

  std::function<void(const std::string&, std::string)> undelivered_sink() {
    std::lock_guard<std::mutex> guard{mutex};
    return undelivered;
  }
};

class redis_cluster_impl final : public cluster {
public:
  explicit redis_cluster_impl(const redis_options& o)
    : options_(o), name_(o.instance.empty() ? random_instance_name() : o.instance),
      address_(store::parse_redis_url(o.url)),
      link_(std::make_shared<redis_link>(address_, o.queue_max,
                                         std::chrono::milliseconds{o.call_timeout_ms})) {
    link_->every(std::chrono::milliseconds{std::max<std::int64_t>(o.lease_ms / 3, 1)},
                 [this](bool reconnected) { renew(reconnected); });
    subscriber_ = std::make_unique<store::redis_subscriber>(
        address_, std::vector<std::string>{inbox(name_), key("broadcast")},
        [this](const std::string& channel, std::string payload) {
          receive(channel, std::move(payload));
        });
  }

  ~redis_cluster_impl() override {
    subscriber_.reset();
    link_->every(std::chrono::milliseconds{1000}, nullptr); // the event logs may keep the link
    link_->call({"DEL", key("instance:" + name_)});         // others may take over at once
  }

  const std::string& instance() const override { return name_; }
  bool blocking() const override { return true; }

  bool put(const session_record& r) override {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      owned_[r.id] = r;
    }
    return write(r);
  }

  lookup find(const std::string& id, session_record& out) override {
    auto r = link_->call({"HGETALL", key("session:" + id)});
    if (r.what != redis_reply::type::array)
      return lookup::unavailable;
    if (r.elements.empty())
      return lookup::missing;
    out.id = id;
    for (std::size_t i = 0; i + 1 < r.elements.size(); i += 2) {
      auto& field = r.elements[i].text;
      auto& value = r.elements[i + 1].text;
      if (field == "owner")
        out.owner = value;
      else if (field == "kind")
        out.kind = value;
      else if (field == "principal")
        out.principal = value;
      else if (field == "version")
        out.version = value;
      else if (field == "state")
        out.state = value;
    }
    return lookup::found;
  }

  bool take_over(const std::string& id, const std::string& previous) override {
    auto r = link_->call({"EVAL", take_over_script, "1", key("session:" + id), previous, name_});
    // The session, rebuilt here, writes its record (put) and so becomes one of ours.
    return r.integer == 1;
  }

  void drop(const std::string& id) override {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      owned_.erase(id);
    }
    link_->send({"EVAL", drop_script, "3", key("session:" + id), key("streams:" + id),
                 key("requests:" + id), name_, key("events:" + id + ":")});
  }

  void release(const std::string& id) override {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      owned_.erase(id);
    }
    link_->send({"EVAL", release_script, "1", key("session:" + id), name_});
  }

  // The record, and what a takeover enumerates (its streams and noted requests), live as
  // long as the session does.
  void touch(const std::string& id) override {
    link_->send({"PEXPIRE", key("session:" + id), std::to_string(options_.session_ttl_ms)});
    auto ttl = std::to_string(std::max(options_.session_ttl_ms, options_.events_ttl_ms));
    link_->send({"PEXPIRE", key("streams:" + id), ttl});
    link_->send({"PEXPIRE", key("requests:" + id), ttl});
  }

  bool alive(const std::string& instance) override {
    auto r = link_->call({"EXISTS", key("instance:" + instance)});
    return r.what == redis_reply::type::integer && r.integer == 1;
  }

  bool post(const std::string& instance, std::string envelope) override {
    // The reply comes on the link's thread, which may outlive this object: the callback
    // holds the mailbox, not `this`.
    return link_->send(
        {"PUBLISH", inbox(instance), std::move(envelope)},
        [box = box_, instance](const store::redis_reply& r, const std::vector<std::string>& argv) {
          // No subscriber got it (that instance is down or reconnecting).
          if (r.what != store::redis_reply::type::integer || r.integer == 0)
            if (auto bounce = box->undelivered_sink())
              bounce(instance, argv[2]);
        });
  }

  void broadcast(const std::string& envelope) override {
    link_->send({"PUBLISH", key("broadcast"), name_ + "\n" + envelope});
  }

  void deliver_to(std::function<void(std::string)> sink,
                  std::function<void(const std::string&, std::string)> undelivered) override {
    std::lock_guard<std::mutex> guard{box_->mutex};
    box_->deliver = std::move(sink);
    box_->undelivered = std::move(undelivered);
  }

  event_log_factory event_logs() override {
    return [link = link_, o = options_](const std::string& session_id) {
      return std::make_unique<redis_event_log>(link, o, session_id);
    };
  }

private:
  std::string key(const std::string& rest) const { return options_.key_prefix + rest; }
  std::string inbox(const std::string& instance) const { return key("inbox:" + instance); }

  bool write(const session_record& r) {
    auto k = key("session:" + r.id);
    auto reply = link_->call({"HSET", k, "owner", r.owner, "kind", r.kind, "principal", r.principal,
                              "version", r.version, "state", r.state});
    link_->send({"PEXPIRE", k, std::to_string(options_.session_ttl_ms)});
    return reply.ok();
  }

  // On the link's thread. After a reconnection Redis may have restarted empty: the lease
  // and every session this instance runs are written again.
  void renew(bool reconnected) {
    link_->send({"SET", key("instance:" + name_), "1", "PX", std::to_string(options_.lease_ms)});
    if (!reconnected)
      return;
    std::map<std::string, session_record> owned;
    {
      std::lock_guard<std::mutex> guard{mutex_};
      owned = owned_;
    }
    for (auto& [id, r] : owned) {
      auto k = key("session:" + id);
      link_->send({"HSET", k, "owner", r.owner, "kind", r.kind, "principal", r.principal, "version",
                   r.version, "state", r.state});
      link_->send({"PEXPIRE", k, std::to_string(options_.session_ttl_ms)});
    }
  }

  // On the subscriber's thread.
  void receive(const std::string& channel, std::string payload) {
    if (channel == key("broadcast")) {
      auto newline = payload.find('\n');
      if (newline == std::string::npos || payload.compare(0, newline, name_) == 0)
        return; // malformed, or our own
      payload.erase(0, newline + 1);
    }
    std::function<void(std::string)> sink;
    {
      std::lock_guard<std::mutex> guard{box_->mutex};
      sink = box_->deliver;
    }
    if (sink)
      sink(std::move(payload));
  }

  redis_options options_;
  std::string name_;
  store::redis_address address_;
  std::shared_ptr<redis_link> link_;
  std::unique_ptr<store::redis_subscriber> subscriber_;
  std::mutex mutex_;
  std::map<std::string, session_record> owned_; // written again after a reconnection
  std::shared_ptr<mailbox> box_ = std::make_shared<mailbox>();
};

} // namespace

std::shared_ptr<cluster> redis_cluster(const redis_options& options) {
  return std::make_shared<redis_cluster_impl>(options);
}

} // namespace mcp
