#include "store/redis_link.hpp"

#include <hiredis/hiredis.h>

#include <poll.h>

#include <stdexcept>

namespace mcp::store {

namespace {

using clock_type = std::chrono::steady_clock;
constexpr auto reconnect_delay = std::chrono::milliseconds{200};
// A reply that takes longer than this means Redis is stuck: the connection is dropped.
constexpr timeval io_timeout{2, 0};

redis_reply convert(const redisReply* r) {
  redis_reply out;
  switch (r->type) {
  case REDIS_REPLY_ERROR:
    out.what = redis_reply::type::error;
    break;
  case REDIS_REPLY_NIL:
    out.what = redis_reply::type::nil;
    break;
  case REDIS_REPLY_INTEGER:
    out.what = redis_reply::type::integer;
    out.integer = r->integer;
    break;
  case REDIS_REPLY_STATUS:
    out.what = redis_reply::type::status;
    break;
  case REDIS_REPLY_ARRAY:
    out.what = redis_reply::type::array;
    for (std::size_t i = 0; i < r->elements; ++i)
      out.elements.push_back(convert(r->element[i]));
    break;
  default:
    out.what = redis_reply::type::string;
  }
  if (r->str != nullptr)
    out.text.assign(r->str, r->len);
  return out;
}

int append_command(redisContext* c, const std::vector<std::string>& argv) {
  std::vector<const char*> args;
  std::vector<std::size_t> lengths;
  for (auto& a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  return redisAppendCommandArgv(c, static_cast<int>(args.size()), args.data(), lengths.data());
}

} // namespace

redis_address parse_redis_url(const std::string& url) {
  redis_address a;
  std::string rest = url;
  if (auto scheme = rest.find("://"); scheme != std::string::npos) {
    if (rest.substr(0, scheme) != "redis")
      throw std::invalid_argument("only redis:// URLs are supported: " + url);
    rest = rest.substr(scheme + 3);
  }
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    auto userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = userinfo.find(':');
    if (colon == std::string::npos)
      throw std::invalid_argument("the URL's user needs a password (user:password@): " + url);
    a.user = userinfo.substr(0, colon);
    a.password = userinfo.substr(colon + 1);
  }
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    auto db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty()) {
      if (db.find_first_not_of("0123456789") != std::string::npos || db.size() > 4)
        throw std::invalid_argument("bad database number in " + url);
      a.db = std::stoi(db);
    }
  }
  if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    auto port = rest.substr(colon + 1);
    if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos ||
        port.size() > 5 || std::stoi(port) > 65535)
      throw std::invalid_argument("bad port in " + url);
    a.port = std::stoi(port);
    rest = rest.substr(0, colon);
  }
  if (rest.empty())
    throw std::invalid_argument("no host in " + url);
  a.host = rest;
  return a;
}

redisContext* redis_connect(const redis_address& address, std::string& why) {
  timeval connect_timeout{0, 500'000};
  auto* c = redisConnectWithTimeout(address.host.c_str(), address.port, connect_timeout);
  if (c == nullptr || c->err != 0) {
    why = c == nullptr ? std::string{"out of memory"} : std::string{c->errstr};
    if (c != nullptr)
      redisFree(c);
    return nullptr;
  }
  redisSetTimeout(c, io_timeout);
  redisEnableKeepAlive(c);
  // A command of the handshake; false (with `why`) if it failed.
  auto handshake = [&](const std::vector<std::string>& argv) {
    void* raw = nullptr;
    if (append_command(c, argv) != REDIS_OK || redisGetReply(c, &raw) != REDIS_OK)
      raw = nullptr;
    auto* r = static_cast<redisReply*>(raw);
    bool ok = r != nullptr && r->type != REDIS_REPLY_ERROR;
    if (!ok)
      why = r == nullptr ? std::string{c->errstr} : std::string{r->str, r->len};
    if (r != nullptr)
      freeReplyObject(r);
    return ok;
  };
  bool ok = true;
  if (!address.password.empty())
    ok = address.user.empty() ? handshake({"AUTH", address.password})
                              : handshake({"AUTH", address.user, address.password});
  if (ok && address.db != 0)
    ok = handshake({"SELECT", std::to_string(address.db)});
  // Something answers on that port, and it lets us in (NOAUTH otherwise).
  if (ok)
    ok = handshake({"PING"});
  if (!ok) {
    redisFree(c);
    return nullptr;
  }
  return c;
}

redis_link::redis_link(redis_address address, std::size_t queue_max,
                       std::chrono::milliseconds call_timeout)
  : address_(std::move(address)), queue_max_(queue_max), call_timeout_(call_timeout) {
  std::string why;
  context_ = redis_connect(address_, why);
  if (context_ == nullptr)
    throw std::runtime_error("cannot reach Redis at " + address_.host + ":" +
                             std::to_string(address_.port) + ": " + why);
  connected_ = true;
  thread_ = std::thread{[this] { run(); }};
}

redis_link::~redis_link() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (context_ != nullptr)
    redisFree(context_);
}

bool redis_link::enqueue(job j) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (stopping_ || !connected_ || queue_.size() >= queue_max_)
      return false;
    queue_.push_back(std::move(j));
  }
  wake_.notify_one();
  return true;
}

bool redis_link::send(std::vector<std::string> argv, on_reply then) {
  return enqueue({std::move(argv), std::move(then)});
}

redis_reply redis_link::call(std::vector<std::string> argv) {
  auto promise = std::make_shared<std::promise<redis_reply>>();
  auto future = promise->get_future();
  auto fulfil = [promise](const redis_reply& r, const std::vector<std::string>&) {
    promise->set_value(r);
  };
  if (!enqueue({std::move(argv), fulfil}))
    return redis_reply::failure(connected_ ? "the Redis command queue is full"
                                           : "Redis is unreachable");
  if (future.wait_for(call_timeout_) != std::future_status::ready)
    return redis_reply::failure("Redis did not answer in time");
  return future.get();
}

void redis_link::every(std::chrono::milliseconds period, std::function<void(bool)> task) {
  {
    std::lock_guard<std::mutex> task_guard{task_mutex_};
    std::lock_guard<std::mutex> guard{mutex_};
    period_ = period;
    task_ = std::move(task);
    next_task_ = clock_type::now();
  }
  wake_.notify_one();
}

void redis_link::run_task(bool reconnected) {
  std::lock_guard<std::mutex> guard{task_mutex_};
  if (task_)
    task_(reconnected);
  next_task_ = clock_type::now() + period_;
}

void redis_link::ensure_connected() {
  if (context_ != nullptr || clock_type::now() < next_connect_)
    return;
  std::string why;
  context_ = redis_connect(address_, why);
  if (context_ == nullptr) {
    next_connect_ = clock_type::now() + reconnect_delay;
    return;
  }
  connected_ = true;
  run_task(true);
}

void redis_link::execute(std::deque<job>& batch) {
  auto fail_from = [&](std::size_t i, const std::string& why) {
    for (; i < batch.size(); ++i)
      if (batch[i].then)
        batch[i].then(redis_reply::failure(why), batch[i].argv);
  };
  std::size_t done = 0;
  // A connection is found broken only when used (Redis restarted while it was idle): the
  // commands not yet answered are sent once more on a new connection.
  for (int attempt = 0; attempt < 2 && done < batch.size(); ++attempt) {
    if (attempt > 0) {
      next_connect_ = clock_type::now();
      ensure_connected();
    }
    if (context_ == nullptr)
      break;
    for (auto i = done; i < batch.size(); ++i)
      append_command(context_, batch[i].argv);
    for (; done < batch.size(); ++done) {
      void* raw = nullptr;
      if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
        redisFree(context_);
        context_ = nullptr;
        connected_ = false;
        next_connect_ = clock_type::now() + reconnect_delay;
        break;
      }
      auto* r = static_cast<redisReply*>(raw);
      if (batch[done].then)
        batch[done].then(convert(r), batch[done].argv);
      freeReplyObject(r);
    }
  }
  fail_from(done, "Redis is unreachable");
}

void redis_link::run() {
  for (;;) {
    std::deque<job> batch;
    {
      std::unique_lock<std::mutex> lock{mutex_};
      auto now = clock_type::now();
      auto until = now + std::chrono::seconds{1};
      if (context_ == nullptr)
        until = std::min(until, std::max(next_connect_, now + std::chrono::milliseconds{10}));
      else
        until = std::min(until, next_task_);
      wake_.wait_until(lock, until, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty())
        return;
      batch.swap(queue_);
    }
    ensure_connected();
    execute(batch);
    if (context_ != nullptr && clock_type::now() >= next_task_)
      run_task(false);
  }
}

redis_subscriber::redis_subscriber(redis_address address, std::vector<std::string> channels,
                                   sink deliver)
  : address_(std::move(address)), channels_(std::move(channels)), deliver_(std::move(deliver)),
    thread_([this] { run(); }) {}

redis_subscriber::~redis_subscriber() {
  stopping_ = true;
  thread_.join();
}

void redis_subscriber::run() {
  redisContext* c = nullptr;
  auto drop = [&] {
    if (c != nullptr)
      redisFree(c);
    c = nullptr;
  };
  while (!stopping_) {
    if (c == nullptr) {
      std::string why;
      c = redis_connect(address_, why);
      if (c == nullptr) {
        std::this_thread::sleep_for(reconnect_delay);
        continue;
      }
      std::vector<std::string> argv{"SUBSCRIBE"};
      argv.insert(argv.end(), channels_.begin(), channels_.end());
      append_command(c, argv);
      int done = 0;
      while (!done)
        if (redisBufferWrite(c, &done) != REDIS_OK) {
          drop();
          break;
        }
      continue;
    }
    void* raw = nullptr;
    if (redisGetReplyFromReader(c, &raw) != REDIS_OK) {
      drop();
      continue;
    }
    if (raw != nullptr) {
      auto* r = static_cast<redisReply*>(raw);
      if (r->type == REDIS_REPLY_ARRAY && r->elements == 3 &&
          std::string{r->element[0]->str, r->element[0]->len} == "message")
        deliver_(std::string{r->element[1]->str, r->element[1]->len},
                 std::string{r->element[2]->str, r->element[2]->len});
      freeReplyObject(r);
      continue;
    }
    // Wait for bytes, waking now and then to notice the end.
    pollfd p{c->fd, POLLIN, 0};
    if (poll(&p, 1, 100) > 0 && redisBufferRead(c) != REDIS_OK)
      drop();
  }
  drop();
}

} // namespace mcp::store
