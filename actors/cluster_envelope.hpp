// What instances of a cluster send each other through their mailboxes: a relayed HTTP
// request, the pieces of its answer, acknowledgements, and broadcasts. Binary-safe
// (netstrings: "<length>:<bytes>,"), because request bodies and SSE bytes are relayed as
// they are, valid UTF-8 or not.
//
//   envelope e{envelope::kind::write, "instance-a", 7};
//   e.seq = 3; e.bytes = "data: ...\n\n";
//   auto again = decode_envelope(encode(e));   // == e
#pragma once

#include "actors/http_exchange.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcp::actors {

struct envelope {
  enum class kind {
    request, // holder -> owner: a request for a session the owner runs
    respond, // owner -> holder: the whole response; the relay ends
    open,    // owner -> holder: the head of a streamed response
    write,   // owner -> holder: stream bytes, with their sequence number
    close,   // owner -> holder: end of the stream; the relay ends
    ack,     // holder -> owner: bytes up to `seq` reached the client's socket
    gone,    // holder -> owner: the client went away (or the relay gave up)
    updated, // any -> all: a resource changed (`bytes` is its URI)
  };
  kind what = kind::request;
  std::string from;           // the sending instance
  std::uint64_t exchange = 0; // the relay's number on the instance holding the connection
  std::uint64_t seq = 0;
  http_request request;   // request
  http_response response; // respond, open
  std::string bytes;      // write, updated
};

std::string encode(const envelope& e);
// nullopt for anything `encode` did not write.
std::optional<envelope> decode_envelope(std::string_view text);

} // namespace mcp::actors
