// How actors reach I/O objects. Actors run on CAF's threads and can outlive the io_context
// their connections live in (a server stopped while a session still writes to its stream).
// They post onto an I/O object's strand only through a gate, which the owner of the
// io_context closes once its I/O threads have ended: after close() returns, no actor holds an
// I/O object or posts to the io_context, so destroying the io_context (and the handlers still
// queued in it, which own the I/O objects) is safe.
//
//   gate->post(weak_connection, [](http_connection& c) { c.finish_stream(); });
#pragma once

#include <boost/asio/post.hpp>

#include <memory>
#include <shared_mutex>

namespace mcp::transport {

class strand_gate {
public:
  // Runs f() while the io_context is sure to live (to create I/O objects in it); returns
  // false, without running f, once the gate is closed.
  template <class F> bool enter(F&& f) {
    std::shared_lock guard{mutex_};
    if (!open_)
      return false;
    f();
    return true;
  }

  // Runs `f(target)` on the target's executor if the target is alive and the gate is open.
  template <class T, class F> void post(const std::weak_ptr<T>& target, F f) {
    enter([&] {
      if (auto t = target.lock()) {
        auto executor = t->executor();
        // The handler owns the target, so it is never destroyed on an actor's thread.
        boost::asio::post(executor, [t = std::move(t), f = std::move(f)]() mutable { f(*t); });
      }
    });
  }

  void close() {
    std::unique_lock guard{mutex_};
    open_ = false;
  }

private:
  std::shared_mutex mutex_;
  bool open_ = true;
};

} // namespace mcp::transport
