// The HTTP half of the edge seam, free of any HTTP library: one request as the edge read
// it, and one response as the actors want it written. transport/ translates these to
// and from Boost.Beast; sim/ will produce and consume them directly.
//
// edge -> broker     (http_atom, caf::actor exchange, http_request)
//                    one whole request; `exchange` is the actor that writes its response
//                    and ends (actors monitor it: its end means the client went away).
// actor -> exchange  (respond_atom, http_response)   a whole response; the exchange ends
// actor -> exchange  (open_atom, http_response)      the head of a streamed response
// actor -> exchange  (write_atom, bytes, seq)        stream bytes (framed SSE events)
// exchange -> actor  (written_atom, seq)             those bytes reached the socket
// actor -> exchange  (close_atom)                    end the stream; the exchange ends
#pragma once

#include <caf/allowed_unsafe_message_type.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcp::actors {

using header_list = std::vector<std::pair<std::string, std::string>>; // names in lower case

struct http_request {
  std::string method; // "GET", "POST", ...
  std::string target; // path and query, as sent
  header_list headers;
  std::string body;
  std::string principal; // set by the edge when authentication is configured
  bool relayed = false;  // came from another instance of the cluster: never relayed again

  // The first value of a header (name in lower case), if present.
  std::optional<std::string_view> header(std::string_view name) const;
  std::string_view path() const;
  // The value of one query parameter (no percent-decoding: our ids are plain ASCII).
  std::optional<std::string_view> query(std::string_view name) const;
};

struct http_response {
  int status = 200;
  header_list headers;
  std::string body;
};

} // namespace mcp::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mcp::actors::http_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mcp::actors::http_response)
