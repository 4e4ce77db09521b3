// What handlers return: content blocks, tool results, resource contents, prompt messages
// and completions, in the shape the MCP schema gives them.
//
//   mcp::tool_result r;
//   r.content.push_back(mcp::content_block::text("hello"));
//   r.content.push_back(mcp::content_block::image(png_base64, "image/png"));
#pragma once

#include <mcp/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcp {

// One content block, kept as its JSON object.
struct content_block {
  json_text json;

  static content_block text(std::string_view text);
  static content_block image(std::string_view base64_data, std::string_view mime_type);
  static content_block audio(std::string_view base64_data, std::string_view mime_type);
  static content_block resource_link(std::string_view uri, std::string_view name,
                                     std::string_view mime_type = {},
                                     std::string_view description = {});
  static content_block embedded_text(std::string_view uri, std::string_view mime_type,
                                     std::string_view text);
  static content_block embedded_blob(std::string_view uri, std::string_view mime_type,
                                     std::string_view base64_data);
};

struct tool_result {
  std::vector<content_block> content;
  json_text structured;  // structuredContent (2025-06-18+), optional
  bool is_error = false; // a tool failure the model should see, not a protocol error
};

struct resource_contents {
  std::string uri;
  std::string mime_type;
  std::optional<std::string> text;
  std::optional<std::string> blob_base64;
};

struct prompt_message {
  std::string role; // "user" or "assistant"
  content_block body;
};

struct prompt_result {
  std::string description;
  std::vector<prompt_message> messages;
};

struct completion_result {
  std::vector<std::string> values; // at most 100 are sent
  std::optional<std::int64_t> total;
  bool has_more = false;
};

} // namespace mcp
