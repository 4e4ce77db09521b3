#include <mcp/stdio.hpp>

#include "actors/messages.hpp"
#include "actors/runtime_internals.hpp"
#include "protocol/json.hpp"
#include "transport/line_reader.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace mcp {

namespace {

using namespace actors;

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The channel's write side: a detached actor (its own thread), since writes block.
caf::behavior stdio_writer(caf::event_based_actor* self, int fd, caf::actor broker) {
  return {
      [=](write_atom, std::string& text, std::uint64_t seq) {
        // Valid JSON has line breaks only as whitespace: they may become spaces, so that
        // one message stays one line whatever the handlers wrote.
        std::replace(text.begin(), text.end(), '\n', ' ');
        std::replace(text.begin(), text.end(), '\r', ' ');
        text += '\n';
        auto sender = caf::actor_cast<caf::actor>(self->current_sender());
        if (!write_all(fd, text)) {
          self->send(broker, closed_atom::value, caf::actor_cast<caf::actor>(self));
          self->quit();
          return;
        }
        if (seq != 0)
          self->send(sender, written_atom::value, seq);
      },
      [=](close_atom) { self->quit(); },
  };
}

} // namespace

void serve_stdio(server_runtime& runtime, int in_fd, int out_fd) {
  // A closed stdout must end the session, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  auto& rt = runtime.internal();
  auto writer = rt.system.spawn<caf::detached>(stdio_writer, out_fd, rt.broker);
  transport::line_reader reader{in_fd, rt.bounds.message_bytes_max};
  while (auto next = reader.next()) {
    if (next->skipped_bytes > 0) {
      jsonrpc::error_object e{
          jsonrpc::code::parse_error,
          protocol::too_large_message(next->skipped_bytes, rt.bounds.message_bytes_max),
          {}};
      caf::anon_send(writer, write_atom::value, jsonrpc::encode_error(std::nullopt, e),
                     std::uint64_t{0});
      continue;
    }
    if (next->text.find_first_not_of(" \t") == std::string::npos)
      continue; // blank lines carry nothing
    caf::anon_send(rt.broker, inbound_atom::value, writer, std::move(next->text));
  }
  caf::anon_send(rt.broker, ended_atom::value, writer);
  caf::scoped_actor self{rt.system};
  self->wait_for(writer);
}

} // namespace mcp
