#include <mcp/content.hpp>
#include <mcp/context.hpp>

#include "protocol/json_writer.hpp"

#include <array>

namespace mcp {

namespace {

content_block data_block(std::string_view type, std::string_view data, std::string_view mime) {
  protocol::json_writer w;
  w.begin_object().member("type", type).member("data", data).member("mimeType", mime).end_object();
  return content_block{json_text{w.str()}};
}

content_block embedded(std::string_view uri, std::string_view mime, std::string_view field,
                       std::string_view value) {
  protocol::json_writer w;
  w.begin_object().member("type", "resource").key("resource").begin_object();
  w.member("uri", uri).optional_member("mimeType", mime).member(field, value);
  w.end_object().end_object();
  return content_block{json_text{w.str()}};
}

constexpr std::array<std::string_view, 8> level_names{"debug", "info",     "notice", "warning",
                                                      "error", "critical", "alert",  "emergency"};

} // namespace

content_block content_block::text(std::string_view text) {
  protocol::json_writer w;
  w.begin_object().member("type", "text").member("text", text).end_object();
  return content_block{json_text{w.str()}};
}

content_block content_block::image(std::string_view base64_data, std::string_view mime_type) {
  return data_block("image", base64_data, mime_type);
}

content_block content_block::audio(std::string_view base64_data, std::string_view mime_type) {
  return data_block("audio", base64_data, mime_type);
}

content_block content_block::resource_link(std::string_view uri, std::string_view name,
                                           std::string_view mime_type,
                                           std::string_view description) {
  protocol::json_writer w;
  w.begin_object().member("type", "resource_link").member("uri", uri).member("name", name);
  w.optional_member("mimeType", mime_type).optional_member("description", description);
  w.end_object();
  return content_block{json_text{w.str()}};
}

content_block content_block::embedded_text(std::string_view uri, std::string_view mime_type,
                                           std::string_view text) {
  return embedded(uri, mime_type, "text", text);
}

content_block content_block::embedded_blob(std::string_view uri, std::string_view mime_type,
                                           std::string_view base64_data) {
  return embedded(uri, mime_type, "blob", base64_data);
}

std::string_view to_string(log_level level) { return level_names[static_cast<std::size_t>(level)]; }

std::optional<log_level> parse_log_level(std::string_view name) {
  for (std::size_t i = 0; i < level_names.size(); ++i)
    if (level_names[i] == name)
      return static_cast<log_level>(i);
  return std::nullopt;
}

} // namespace mcp
