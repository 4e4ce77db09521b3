// Throw `mcp::rpc_error` from a handler to answer with a specific JSON-RPC error.
//
//   if (!known(uri))
//     throw mcp::rpc_error{mcp::rpc_error::resource_not_found, "no resource " + uri};
#pragma once

#include <mcp/json.hpp>

#include <stdexcept>
#include <string>

namespace mcp {

class rpc_error : public std::runtime_error {
public:
  static constexpr int invalid_params = -32602;
  static constexpr int internal_error = -32603;
  static constexpr int resource_not_found = -32002;

  rpc_error(int code, const std::string& message, json_text data = {})
    : std::runtime_error(message), code_(code), data_(std::move(data)) {}

  int code() const { return code_; }
  const json_text& data() const { return data_; }

private:
  int code_;
  json_text data_;
};

} // namespace mcp
