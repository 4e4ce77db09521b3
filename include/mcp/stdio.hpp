// The MCP stdio transport: newline-delimited JSON-RPC on a pair of file descriptors.
//
//   mcp::server_runtime rt{srv};
//   mcp::serve_stdio(rt);  // returns when stdin ends and every request is answered
#pragma once

namespace mcp {

class server_runtime;

// Serves one session on `in_fd`/`out_fd` until the input ends; then answers what is
// pending and returns. A line over limits::message_bytes_max gets a parse error reply.
void serve_stdio(server_runtime& runtime, int in_fd = 0, int out_fd = 1);

} // namespace mcp
