#include "bench/load/workloads.hpp"

#include "bench/load/mcp.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <memory>
#include <stdexcept>

namespace load {

namespace {

using clock = std::chrono::steady_clock;

double seconds(clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Wakes one waiting coroutine; a notify before the wait is not lost.
class signal {
public:
  explicit signal(net::any_io_executor executor) : timer_(std::move(executor)) {}

  void notify() {
    set_ = true;
    timer_.cancel();
  }

  net::awaitable<void> wait(clock::time_point deadline, const std::string& what) {
    while (!set_) {
      if (clock::now() >= deadline)
        throw std::runtime_error("timed out waiting for " + what);
      timer_.expires_at(deadline);
      boost::system::error_code ec;
      co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
    set_ = false;
  }

private:
  net::steady_timer timer_;
  bool set_ = false;
};

net::awaitable<void> sleep_ms(std::int64_t ms) {
  net::steady_timer t{co_await net::this_coro::executor, std::chrono::milliseconds{ms}};
  co_await t.async_wait(net::use_awaitable);
}

// Runs make(0..n-1) concurrently; returns when all ended, rethrowing the first failure.
template <class Make> net::awaitable<void> join_all(std::size_t n, Make make) {
  auto executor = co_await net::this_coro::executor;
  struct state {
    explicit state(net::any_io_executor e, std::size_t n) : left(n), done(std::move(e)) {}
    std::size_t left;
    signal done;
    std::exception_ptr error;
  };
  auto st = std::make_shared<state>(executor, n);
  for (std::size_t i = 0; i < n; ++i)
    net::co_spawn(executor, make(i), [st](std::exception_ptr e) {
      if (e && !st->error)
        st->error = e;
      if (--st->left == 0)
        st->done.notify();
    });
  if (n > 0)
    co_await st->done.wait(clock::time_point::max(), "tasks");
  if (st->error)
    std::rethrow_exception(st->error);
}

// Loopback source addresses, 25k connections each (one address has ~28k ephemeral ports).
net::ip::address source_for(std::size_t connection) {
  auto n = static_cast<unsigned>(connection / 25'000);
  return net::ip::make_address_v4(
      net::ip::address_v4::bytes_type{127, 0, 0, static_cast<unsigned char>(1 + n)});
}

void expect_status(const response& res, http::status status, const std::string& what) {
  if (res.result() != status)
    throw std::runtime_error(what + ": HTTP " + std::to_string(res.result_int()) + " " +
                             res.body().substr(0, 200));
}

// Reads a stream in the background; `l` stays alive until the stream ends. (A named
// coroutine rather than a capturing lambda: g++ 12 destroys the captures of a lambda
// coroutine handed to co_spawn twice.)
net::awaitable<void> hold_stream(std::shared_ptr<link> l, request req, head_handler on_head,
                                 event_handler on_event) {
  co_await l->stream(std::move(req), std::move(on_head), std::move(on_event));
}

template <class OnError>
void spawn(net::any_io_executor executor, net::awaitable<void> task, OnError on_error) {
  net::co_spawn(executor, std::move(task), [on_error](std::exception_ptr e) {
    if (e)
      on_error(e);
  });
}

std::string path_of(const std::string& uri) {
  auto scheme = uri.find("://");
  return scheme == std::string::npos ? uri : uri.substr(uri.find('/', scheme + 3));
}

} // namespace

net::awaitable<std::string> open_session(options o) {
  link l{co_await net::this_coro::executor};
  co_await l.connect(o.where);
  auto s = co_await initialize(l, o.where);
  co_return R"({"session":")" + s.id + R"(","version":")" + s.version + R"("})";
}

net::awaitable<std::string> legacy_calls(options o) {
  auto executor = co_await net::this_coro::executor;
  struct legacy_session {
    explicit legacy_session(net::any_io_executor e)
      : stream(std::make_shared<link>(e)), poster(e), woken(e) {}
    std::shared_ptr<link> stream;
    link poster;
    std::string endpoint;
    std::int64_t awaited = 0;
    signal woken;
    latencies calls;
  };
  std::vector<std::shared_ptr<legacy_session>> sessions;
  std::size_t errors = 0;
  auto setup_deadline = clock::now() + std::chrono::seconds{60};
  auto started = clock::now();
  co_await join_all(o.sessions, [&](std::size_t i) -> net::awaitable<void> {
    auto s = std::make_shared<legacy_session>(executor);
    sessions.push_back(s);
    co_await s->stream->connect(o.where, source_for(i));
    co_await s->poster.connect(o.where);
    std::weak_ptr<legacy_session> weak = s; // the stream must not own its session
    spawn(executor,
          hold_stream(
              s->stream, get(o.where, {}, {}, {}, o.sse_path), [](auto&) {},
              [weak](const mcp::sse::event& e) {
                auto session = weak.lock();
                if (!session)
                  return false;
                if (e.type == "endpoint") {
                  session->endpoint = path_of(e.data);
                  session->woken.notify();
                } else if (response_id(e.data) == session->awaited) {
                  session->woken.notify();
                }
                return true;
              }),
          [](std::exception_ptr) {});
    co_await s->woken.wait(setup_deadline, "the endpoint event");
    auto res =
        co_await s->poster.exchange(post(o.where, {}, {}, initialize_request(0), s->endpoint));
    expect_status(res, http::status::accepted, "legacy initialize");
    co_await s->woken.wait(setup_deadline, "the initialize response");
    res =
        co_await s->poster.exchange(post(o.where, {}, {}, initialized_notification(), s->endpoint));
    expect_status(res, http::status::accepted, "legacy initialized");
  });
  auto setup_s = seconds(clock::now() - started);
  started = clock::now();
  auto end = started + std::chrono::duration_cast<clock::duration>(
                           std::chrono::duration<double>{o.duration_s});
  co_await join_all(o.sessions, [&](std::size_t i) -> net::awaitable<void> {
    auto s = sessions[i];
    for (std::int64_t id = 1; clock::now() < end; ++id) {
      s->awaited = id;
      auto t0 = clock::now();
      auto res = co_await s->poster.exchange(post(o.where, {}, {}, echo_call(id), s->endpoint));
      if (res.result() != http::status::accepted) {
        ++errors;
        continue;
      }
      co_await s->woken.wait(t0 + std::chrono::seconds{30}, "an echo response");
      s->calls.add(clock::now() - t0);
    }
  });
  auto elapsed = seconds(clock::now() - started);
  latencies all;
  for (auto& s : sessions) {
    all.merge(s->calls);
    s->stream->close();
  }
  co_return R"({"sessions":)" + std::to_string(o.sessions) + R"(,"setup_s":)" +
      std::to_string(setup_s) + R"(,"calls":)" + std::to_string(all.count()) + R"(,"errors":)" +
      std::to_string(errors) + R"(,"calls_per_s":)" +
      std::to_string(static_cast<double>(all.count()) / elapsed) + "," + all.json_fields() + "}";
}

net::awaitable<std::string> idle_sessions(options o, bool fanout) {
  auto executor = co_await net::this_coro::executor;
  struct shared {
    explicit shared(net::any_io_executor e, std::size_t n) : updates(n, 0), all_updated(e) {}
    std::vector<int> updates; // resources/updated received per session
    std::size_t updated = 0;
    clock::time_point last_update;
    signal all_updated;
    std::vector<std::shared_ptr<link>> streams;
    std::size_t stream_failures = 0;
  };
  auto st = std::make_shared<shared>(executor, o.sessions);
  auto deadline = clock::now() + std::chrono::minutes{2};
  auto started = clock::now();
  auto openers = std::min(o.concurrency, o.sessions);
  co_await join_all(openers, [&](std::size_t k) -> net::awaitable<void> {
    link poster{executor};
    co_await poster.connect(o.where);
    for (auto i = k; i < o.sessions; i += openers) {
      auto s = co_await initialize(poster, o.where);
      if (fanout) {
        auto res = co_await poster.exchange(post(o.where, s.id, s.version, subscribe_request(1)));
        if (reply_id(res) != 1 || is_error_response(res.body()))
          throw std::runtime_error("resources/subscribe failed: " + res.body().substr(0, 200));
      }
      auto stream = std::make_shared<link>(executor);
      st->streams.push_back(stream);
      co_await stream->connect(o.where, source_for(i));
      auto opened = std::make_shared<signal>(executor);
      auto status = std::make_shared<unsigned>(0);
      spawn(executor,
            hold_stream(
                stream, get(o.where, s.id, s.version),
                [status, opened](const http::response_header<>& head) {
                  *status = head.result_int();
                  opened->notify();
                },
                [st, i](const mcp::sse::event& e) {
                  if (is_resource_updated(e.data)) {
                    ++st->updates[i];
                    st->last_update = clock::now();
                    if (++st->updated == st->updates.size())
                      st->all_updated.notify();
                  }
                  return true;
                }),
            [st, opened](std::exception_ptr) {
              ++st->stream_failures;
              opened->notify();
            });
      co_await opened->wait(deadline, "a GET stream's head");
      if (*status != 200)
        throw std::runtime_error("GET stream: HTTP " + std::to_string(*status));
    }
  });
  auto open_s = seconds(clock::now() - started);
  std::string figures = R"({"sessions":)" + std::to_string(o.sessions) + R"(,"open_s":)" +
                        std::to_string(open_s) + R"(,"sessions_per_s":)" +
                        std::to_string(static_cast<double>(o.sessions) / open_s);
  if (!fanout) {
    // The runner reads the server's memory while the streams are held.
    std::cout << figures << R"(,"phase":"open"})" << std::endl;
    co_await sleep_ms(o.hold_ms);
    for (auto& stream : st->streams)
      stream->close();
    co_return figures + R"(,"stream_failures":)" + std::to_string(st->stream_failures) + "}";
  }
  link control{executor};
  co_await control.connect(o.where);
  auto s = co_await initialize(control, o.where);
  auto touched = clock::now();
  auto res = co_await control.exchange(post(o.where, s.id, s.version, touch_call(2)));
  if (reply_id(res) != 2)
    throw std::runtime_error("touch_resource failed: " + res.body().substr(0, 200));
  bool complete = true;
  try {
    co_await st->all_updated.wait(touched + std::chrono::seconds{60}, "resources/updated");
  } catch (const std::runtime_error&) {
    complete = false;
  }
  auto fanout_ms = seconds(st->last_update - touched) * 1000;
  co_await sleep_ms(200); // a duplicate would arrive now
  for (auto& stream : st->streams)
    stream->close();
  std::size_t lost = 0, duplicated = 0;
  for (auto n : st->updates) {
    lost += n == 0;
    duplicated += n > 1;
  }
  co_return figures + R"(,"fanout_ms":)" + std::to_string(fanout_ms) + R"(,"complete":)" +
      (complete ? "true" : "false") + R"(,"lost":)" + std::to_string(lost) + R"(,"duplicated":)" +
      std::to_string(duplicated) + "}";
}

namespace {

// Progress values received, checked against 1..count.
struct progress_tally {
  std::int64_t received = 0;
  std::int64_t duplicated_or_reordered = 0;
  double last = 0;
  bool answered = false; // the response to call 1 (the tool's) arrived

  // An event handler for a stream: tallies progress until the tool's response.
  bool until_answered(const mcp::sse::event& e) {
    if (auto p = progress_of(e.data))
      add(*p);
    else if (response_id(e.data) == 1)
      answered = true;
    return !answered;
  }

  void add(double p) {
    ++received;
    if (p <= last)
      ++duplicated_or_reordered;
    last = p;
  }
  std::string json(std::int64_t expected) const {
    return R"("received":)" + std::to_string(received) + R"(,"lost":)" +
           std::to_string(expected - received + duplicated_or_reordered) +
           R"(,"duplicated_or_reordered":)" + std::to_string(duplicated_or_reordered);
  }
};

void expect_stream(const http::response_header<>& head, const std::string& what) {
  if (head.result() != http::status::ok ||
      head[http::field::content_type].find("text/event-stream") != 0)
    throw std::runtime_error(what + ": HTTP " + std::to_string(head.result_int()) +
                             " without an SSE stream");
}

} // namespace

net::awaitable<std::string> resume_stream(options o) {
  auto executor = co_await net::this_coro::executor;
  link first{executor};
  co_await first.connect(o.where);
  auto s = co_await initialize(first, o.where);
  std::string resume_from;
  progress_tally tally;
  co_await first.stream(
      post(o.where, s.id, s.version, progress_call(1, o.count, "resume")),
      [](auto& head) { expect_stream(head, "the tool's POST"); },
      [&](const mcp::sse::event& e) {
        auto p = progress_of(e.data);
        if (!p || e.id.empty())
          return true;
        tally.add(*p);
        resume_from = e.id;
        return false; // cut: the rest waits in the server's event log
      });
  first.close();
  co_await sleep_ms(o.settle_ms);
  link second{executor};
  co_await second.connect(o.where);
  auto t0 = clock::now();
  co_await second.stream(
      get(o.where, s.id, s.version, resume_from), [](auto& head) { expect_stream(head, "resume"); },
      [&](const mcp::sse::event& e) { return tally.until_answered(e); });
  auto replay_ms = seconds(clock::now() - t0) * 1000;
  co_return R"({"events":)" + std::to_string(o.count) + R"(,"replay_ms":)" +
      std::to_string(replay_ms) + R"(,"answered":)" + (tally.answered ? "true" : "false") + "," +
      tally.json(o.count) + "}";
}

net::awaitable<std::string> progress_stream(options o) {
  auto executor = co_await net::this_coro::executor;
  link l{executor};
  co_await l.connect(o.where);
  auto s = co_await initialize(l, o.where);
  progress_tally tally;
  auto t0 = clock::now();
  co_await l.stream(
      post(o.where, s.id, s.version, progress_call(1, o.count, "progress")),
      [](auto& head) { expect_stream(head, "the tool's POST"); },
      [&](const mcp::sse::event& e) { return tally.until_answered(e); });
  auto elapsed = seconds(clock::now() - t0);
  co_return R"({"notifications":)" + std::to_string(o.count) + R"(,"seconds":)" +
      std::to_string(elapsed) + R"(,"per_s":)" +
      std::to_string(static_cast<double>(tally.received) / elapsed) + R"(,"answered":)" +
      (tally.answered ? "true" : "false") + "," + tally.json(o.count) + "}";
}

} // namespace load
