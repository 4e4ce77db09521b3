// Connections to Redis over hiredis, each with a thread of its own so that no actor and
// no I/O thread ever waits on a socket to Redis:
//  - redis_link: commands queued from any thread, sent in order and pipelined; a caller
//    may wait (bounded) for a reply. A periodic task (the instance's lease) runs on it.
//  - redis_subscriber: a connection that receives pub/sub messages.
// Both reconnect on their own after Redis goes away; meanwhile commands fail at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct redisContext;

namespace mcp::store {

struct redis_reply {
  enum class type { error, nil, integer, string, status, array };
  type what = type::error;
  long long integer = 0;
  std::string text; // string, status, error message
  std::vector<redis_reply> elements;

  bool ok() const { return what != type::error; }
  static redis_reply failure(std::string why) { return {type::error, 0, std::move(why), {}}; }
};

struct redis_address {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string user, password; // AUTH, when a password is given
};

// redis://[[user]:password@]host[:port][/db], or host[:port]; throws std::invalid_argument.
redis_address parse_redis_url(const std::string& url);

// Connects (with a timeout) and selects the database; null on failure, with `why`.
redisContext* redis_connect(const redis_address& address, std::string& why);

class redis_link {
public:
  redis_link(redis_address address, std::size_t queue_max, std::chrono::milliseconds call_timeout);
  ~redis_link();
  redis_link(const redis_link&) = delete;
  redis_link& operator=(const redis_link&) = delete;

  // What to do with a command's reply, on the link's thread (with the command's words).
  using on_reply = std::function<void(const redis_reply&, const std::vector<std::string>& argv)>;
  // Queues a command nobody waits for; false when Redis is down or the queue is full.
  // `then`, if set, gets its reply (or the failure) later.
  bool send(std::vector<std::string> argv, on_reply then = nullptr);
  // Sends a command and waits for its reply; an error reply if Redis cannot be reached
  // or does not answer within the call timeout.
  redis_reply call(std::vector<std::string> argv);
  // `task` runs on the link's thread every `period` while connected, and at once after
  // each (re)connection with `reconnected` set. An empty task stops it; when this returns,
  // the previous task is not running and will not run again.
  void every(std::chrono::milliseconds period, std::function<void(bool reconnected)> task);
  bool connected() const { return connected_; }

private:
  struct job {
    std::vector<std::string> argv;
    on_reply then; // null: nobody wants the reply
  };
  bool enqueue(job j);
  void run();
  void execute(std::deque<job>& batch);
  void ensure_connected();
  void run_task(bool reconnected);

  redis_address address_;
  std::size_t queue_max_;
  std::chrono::milliseconds call_timeout_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> queue_;
  bool stopping_ = false;
  std::chrono::milliseconds period_{1000};
  std::mutex task_mutex_; // held while the task runs
  std::function<void(bool)> task_;
  std::atomic<bool> connected_{false};
  redisContext* context_ = nullptr; // the link's thread only
  std::chrono::steady_clock::time_point next_connect_{};
  std::chrono::steady_clock::time_point next_task_{};
  std::thread thread_;
};

class redis_subscriber {
public:
  using sink = std::function<void(const std::string& channel, std::string payload)>;
  redis_subscriber(redis_address address, std::vector<std::string> channels, sink deliver);
  ~redis_subscriber();
  redis_subscriber(const redis_subscriber&) = delete;
  redis_subscriber& operator=(const redis_subscriber&) = delete;

private:
  void run();

  redis_address address_;
  std::vector<std::string> channels_;
  sink deliver_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

} // namespace mcp::store
