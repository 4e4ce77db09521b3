// A fake edge for tests on the real (threaded) scheduler: a channel actor that records
// every text written to it, acknowledges writes like a socket would, and lets the test
// wait for the next text with a bound (never a timed assertion: a bound against hangs).
#pragma once

#include "actors/messages.hpp"
#include "actors/runtime_internals.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace mcp::test {

class recording_edge {
public:
  explicit recording_edge(server_runtime& runtime) : rt_(runtime.internal()) {
    auto inbox = inbox_;
    channel_ = rt_.system.spawn([inbox](caf::event_based_actor* self) -> caf::behavior {
      return {
          [=](actors::write_atom, const std::string& text, std::uint64_t seq) {
            if (seq != 0)
              self->send(caf::actor_cast<caf::actor>(self->current_sender()),
                         actors::written_atom::value, seq);
            inbox->push(text);
          },
          [=](actors::close_atom) {
            inbox->close();
            self->quit();
          },
      };
    });
  }

  // Sends one inbound text, as a transport would.
  void send(const std::string& text) {
    caf::anon_send(rt_.broker, actors::inbound_atom::value, channel_, text);
  }
  void end_input() { caf::anon_send(rt_.broker, actors::ended_atom::value, channel_); }
  void drop() { caf::anon_send(rt_.broker, actors::closed_atom::value, channel_); }

  // The next text written by the server, or nullopt after `bound` or once closed.
  std::optional<std::string> next(std::chrono::milliseconds bound = std::chrono::seconds{10}) {
    return inbox_->pop(bound);
  }
  bool closed(std::chrono::milliseconds bound = std::chrono::seconds{10}) {
    return inbox_->wait_closed(bound);
  }

private:
  struct inbox_t {
    std::mutex m;
    std::condition_variable cv;
    std::deque<std::string> texts;
    bool is_closed = false;

    void push(std::string t) {
      std::lock_guard<std::mutex> g{m};
      texts.push_back(std::move(t));
      cv.notify_all();
    }
    void close() {
      std::lock_guard<std::mutex> g{m};
      is_closed = true;
      cv.notify_all();
    }
    std::optional<std::string> pop(std::chrono::milliseconds bound) {
      std::unique_lock<std::mutex> g{m};
      cv.wait_for(g, bound, [&] { return !texts.empty() || is_closed; });
      if (texts.empty())
        return std::nullopt;
      auto t = std::move(texts.front());
      texts.pop_front();
      return t;
    }
    bool wait_closed(std::chrono::milliseconds bound) {
      std::unique_lock<std::mutex> g{m};
      return cv.wait_for(g, bound, [&] { return is_closed; });
    }
  };

  server_runtime::internals& rt_;
  std::shared_ptr<inbox_t> inbox_ = std::make_shared<inbox_t>();
  caf::actor channel_;
};

} // namespace mcp::test
