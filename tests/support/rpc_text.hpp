// JSON-RPC texts that tests send, written once.
#pragma once

#include <string>

namespace mcp::test {

inline std::string initialize_text(const std::string& version, int id = 1,
                                   const std::string& capabilities = "{}") {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
         R"(,"method":"initialize","params":{"protocolVersion":")" + version +
         R"(","capabilities":)" + capabilities + R"(,"clientInfo":{"name":"t","version":"1"}}})";
}

inline std::string request(int id, const std::string& method, const std::string& params = "{}") {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + method +
         R"(","params":)" + params + "}";
}

inline std::string cancel_text(int id) {
  return R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":)" +
         std::to_string(id) + R"(,"reason":"test"}})";
}

inline const std::string initialized_text =
    R"({"jsonrpc":"2.0","method":"notifications/initialized"})";

} // namespace mcp::test
