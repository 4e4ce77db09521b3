// JSON-RPC 2.0: decoding inbound text into messages and encoding outbound ones.
// Decoding never throws: malformed input becomes an error reply to send back.
#pragma once

#include "protocol/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcp::jsonrpc {

// The standard error codes, plus the MCP ones used across revisions.
namespace code {
constexpr int parse_error = -32700;
constexpr int invalid_request = -32600;
constexpr int method_not_found = -32601;
constexpr int invalid_params = -32602;
constexpr int internal_error = -32603;
// Implementation-defined server errors (-32000..-32099).
constexpr int request_timeout = -32001;
constexpr int overloaded = -32003;
constexpr int resource_not_found = -32002;
constexpr int unsupported_protocol_version = -32022;
// A request we sent and then cancelled (the LSP convention; never sent on the wire).
constexpr int request_cancelled = -32800;
} // namespace code

// A request id exactly as the peer sent it: integer or string (never null in MCP).
class request_id {
public:
  request_id() = default;
  explicit request_id(std::int64_t n) : value_(n) {}
  explicit request_id(std::string s) : value_(std::move(s)) {}

  bool is_integer() const { return std::holds_alternative<std::int64_t>(value_); }
  std::int64_t integer() const { return std::get<std::int64_t>(value_); }
  const std::string& string() const { return std::get<std::string>(value_); }
  // The id as JSON: 7 or "seven".
  std::string to_json() const;
  // A printable key: "i:7" / "s:seven"; distinct for 7 and "7".
  std::string key() const;

  friend bool operator==(const request_id& a, const request_id& b) { return a.value_ == b.value_; }
  friend bool operator<(const request_id& a, const request_id& b) { return a.value_ < b.value_; }

private:
  std::variant<std::int64_t, std::string> value_;
};

struct error_object {
  int code = code::internal_error;
  std::string message;
  json_text data; // optional
};

enum class kind { request, notification, result, error };

// One decoded message. Views into `doc`, which it keeps alive; copying is cheap.
struct message {
  kind type = kind::notification;
  request_id id; // request, result; error when has_id
  bool has_id = false;
  std::string method;                 // request, notification
  const json_value* params = nullptr; // request, notification (may be absent)
  const json_value* result = nullptr; // result
  error_object error;                 // error
  protocol::shared_document doc;

  bool is_request() const { return type == kind::request; }
  bool is_notification() const { return type == kind::notification; }
  bool is_response() const { return type == kind::result || type == kind::error; }
};

// An inbound item that could not be understood: the reply to send back as is.
struct rejected {
  std::optional<request_id> id;
  error_object error;
};

using decoded_item = std::variant<message, rejected>;

struct decoded {
  std::vector<decoded_item> items;
  bool batch = false; // the text was a JSON array
};

struct codec_limits {
  std::size_t bytes_max;
  std::size_t depth_max;
  std::size_t batch_length_max;
};

// Decodes one text (a single message or a batch). Never throws.
decoded decode(std::string_view text, const codec_limits& limits);

// Encoders. `params` and `result` are JSON text written verbatim.
std::string encode_request(const request_id& id, std::string_view method, std::string_view params);
std::string encode_notification(std::string_view method, std::string_view params);
std::string encode_result(const request_id& id, std::string_view result);
std::string encode_error(const std::optional<request_id>& id, const error_object& error);
std::string encode_rejected(const rejected& r);

// Wraps already encoded messages into one batch array.
std::string encode_batch(const std::vector<std::string>& encoded);

} // namespace mcp::jsonrpc
