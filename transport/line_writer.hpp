// The write side of a newline-delimited JSON-RPC channel (stdio, either end): a detached
// actor, since writes to a pipe block. It speaks the channel seam (write_atom, with
// acknowledgements; close_atom) and reports a broken pipe once.
#pragma once

#include <caf/fwd.hpp>

#include <functional>

namespace mcp::transport {

// `on_broken`: called once on the writer when a write fails (the reader side is gone).
caf::behavior line_writer(caf::event_based_actor* self, int fd,
                          std::function<void(caf::event_based_actor*)> on_broken);

} // namespace mcp::transport
