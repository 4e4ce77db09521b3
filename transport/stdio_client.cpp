// connect_stdio: a client of an MCP server that runs as a child process, speaking
// newline-delimited JSON-RPC on its stdin and stdout.
#include <mcp/client.hpp>

#include "actors/client_internals.hpp"
#include "actors/messages.hpp"
#include "transport/line_reader.hpp"
#include "transport/line_writer.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace mcp {

namespace {

// The child, its pipes, the reader thread and the actor system; torn down in reverse:
// stdin closed (the server's cue to finish), the reader sees EOF, the child is reaped.
struct stdio_resources final : client::internals::resources {
  caf::actor_system_config config;
  caf::actor_system system{config};
  pid_t child = -1;
  int to_child = -1;
  int from_child = -1;
  std::thread reader;

  ~stdio_resources() override {
    // The writer quits when the client session closes; only then may its pipe close.
    system.await_all_actors_done();
    if (to_child >= 0)
      ::close(to_child);
    if (reader.joinable())
      reader.join();
    if (from_child >= 0)
      ::close(from_child);
    reap();
  }

  // Waits a bounded time for the child to leave on its own, then ends it.
  void reap() {
    if (child <= 0)
      return;
    for (int i = 0; i < 200; ++i) {
      if (::waitpid(child, nullptr, WNOHANG) == child)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
  }
};

void spawn_child(stdio_resources& r, const std::vector<std::string>& command) {
  int in[2];
  int out[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0)
    throw std::runtime_error("connect_stdio: pipe failed");
  r.child = ::fork();
  if (r.child < 0)
    throw std::runtime_error("connect_stdio: fork failed");
  if (r.child == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::close(in[1]);
    ::close(out[0]);
    std::vector<char*> argv;
    for (auto& a : command)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  r.to_child = in[1];
  r.from_child = out[0];
}

} // namespace

std::unique_ptr<client> connect_stdio(const std::vector<std::string>& command,
                                      client_options options) {
  if (command.empty())
    throw std::invalid_argument("connect_stdio needs a command");
  std::signal(SIGPIPE, SIG_IGN); // a dead child must fail writes, not end us
  auto owned = std::make_unique<stdio_resources>();
  spawn_child(*owned, command);
  auto& system = owned->system;
  auto client_session = std::make_shared<caf::actor>(); // known once the client exists
  auto writer = system.spawn<caf::detached>(transport::line_writer, owned->to_child,
                                            [client_session](caf::event_based_actor* w) {
                                              w->send(*client_session, actors::closed_atom::value);
                                            });
  auto bytes_max = options.bounds.message_bytes_max;
  auto* raw = owned.get();
  auto impl =
      std::make_unique<client::internals>(system, writer, std::move(options), std::move(owned));
  *client_session = impl->session;
  raw->reader = std::thread{[fd = raw->from_child, bytes_max, session = impl->session] {
    transport::line_reader lines{fd, bytes_max};
    while (auto line = lines.next())
      if (line->skipped_bytes == 0 && !line->text.empty())
        caf::anon_send(session, actors::inbound_atom::value, std::move(line->text));
    // The server's stdout ended: it is gone, and with it every pending call.
    caf::anon_send(session, actors::closed_atom::value);
  }};
  return std::make_unique<client>(std::move(impl));
}

} // namespace mcp
