// JSON vocabulary of the public API: RapidJSON values, and text that is known to be JSON.
//
//   mcp::json_text schema{R"({"type":"object","properties":{"n":{"type":"integer"}}})"};
//   auto n = mcp::get_int(arguments, "n");   // std::optional<std::int64_t>
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcp {

using json_value = rapidjson::Value;
using json_document = rapidjson::Document;

// A JSON document in serialized form. Built by our writers or checked by
// `json_text::parse_checked`; handed through unchanged into outgoing messages.
struct json_text {
  std::string text;
  bool empty() const { return text.empty(); }
};

// Lookups that never throw: absent or wrongly typed members give nullopt / nullptr.
const json_value* find_member(const json_value& object, std::string_view name);
std::optional<std::string> get_string(const json_value& object, std::string_view name);
std::optional<std::int64_t> get_int(const json_value& object, std::string_view name);
std::optional<double> get_number(const json_value& object, std::string_view name);
std::optional<bool> get_bool(const json_value& object, std::string_view name);

// Serializes any value to compact JSON text.
std::string to_json(const json_value& value);

} // namespace mcp
