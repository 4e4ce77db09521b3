#include <mcp/stdio.hpp>

#include "actors/messages.hpp"
#include "actors/runtime_internals.hpp"
#include "protocol/json.hpp"
#include "transport/line_reader.hpp"
#include "transport/line_writer.hpp"

#include <caf/all.hpp>

#include <csignal>

namespace mcp {

namespace {

using namespace actors;

} // namespace

void serve_stdio(server_runtime& runtime, int in_fd, int out_fd) {
  // A closed stdout must end the session, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  auto& rt = runtime.internal();
  auto broker = rt.broker;
  auto writer = rt.system.spawn<caf::detached>(
      transport::line_writer, out_fd, [broker](caf::event_based_actor* w) {
        w->send(broker, closed_atom::value, caf::actor_cast<caf::actor>(w));
      });
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
