// Bounded JSON parsing: size, depth and encoding are checked while parsing, so hostile
// input costs at most `bytes_max` and never recurses past `depth_max`.
#pragma once

#include <mcp/json.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace mcp::protocol {

struct json_limits {
  std::size_t bytes_max;
  std::size_t depth_max;
};

struct json_parse_error {
  std::string message; // names the limit or the offset of the syntax error
};

using shared_document = std::shared_ptr<const json_document>;

// The error text for input over the size limit, wherever it is detected.
std::string too_large_message(std::size_t bytes, std::size_t bytes_max);

// Parses `text` into a new document; never throws.
std::variant<shared_document, json_parse_error> parse_json(std::string_view text,
                                                           const json_limits& limits);

} // namespace mcp::protocol
