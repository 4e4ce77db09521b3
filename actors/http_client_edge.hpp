// The client half of the HTTP seam: what a client-side actor needs from an HTTP client,
// without any HTTP library. transport/ implements it with Boost.Beast; sim/ will
// implement it over the simulated network.
//
// actor -> edge    start(call, reply_to) returns the call's actor
// edge  -> actor   (open_atom, id, http_response head)    status and headers arrived
// edge  -> actor   (chunk_atom, id, std::string bytes)    body bytes, as they arrive
// edge  -> actor   (ended_atom, id)                       the body is complete
// edge  -> actor   (closed_atom, id, std::string reason)  the call failed (connect, reset,
//                                                         malformed response); nothing follows
// actor -> call    (close_atom)     done with the call: close its connection. The caller
//                                   sends it for every call, finished or not.
// `id` is the http_call's id, so that one actor can run many calls.
#pragma once

#include "actors/http_exchange.hpp"

#include <caf/actor.hpp>
#include <caf/atom.hpp>

#include <cstdint>
#include <string>

namespace mcp::actors {

using chunk_atom = caf::atom_constant<caf::atom("chunk")>;

struct http_call {
  std::uint64_t id = 0;
  std::string host;
  std::uint16_t port = 0;
  http_request request;
};

class http_client_edge {
public:
  virtual ~http_client_edge() = default;
  // Starts one request on its own connection; its events go to `reply_to`.
  virtual caf::actor start(http_call call, caf::actor reply_to) = 0;
};

} // namespace mcp::actors
