// The MCP message model: results and notifications of every method we serve or send,
// written as JSON text for a given protocol revision. Pure functions of their inputs.
#pragma once

#include <mcp/content.hpp>
#include <mcp/context.hpp>
#include <mcp/server.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcp::protocol {

// Method names, one place.
namespace method {
inline constexpr std::string_view initialize = "initialize";
inline constexpr std::string_view initialized = "notifications/initialized";
inline constexpr std::string_view ping = "ping";
inline constexpr std::string_view discover = "server/discover";
inline constexpr std::string_view subscriptions_listen = "subscriptions/listen";
inline constexpr std::string_view subscriptions_acknowledged =
    "notifications/subscriptions/acknowledged";
inline constexpr std::string_view tools_list = "tools/list";
inline constexpr std::string_view tools_call = "tools/call";
inline constexpr std::string_view resources_list = "resources/list";
inline constexpr std::string_view resources_templates_list = "resources/templates/list";
inline constexpr std::string_view resources_read = "resources/read";
inline constexpr std::string_view resources_subscribe = "resources/subscribe";
inline constexpr std::string_view resources_unsubscribe = "resources/unsubscribe";
inline constexpr std::string_view prompts_list = "prompts/list";
inline constexpr std::string_view prompts_get = "prompts/get";
inline constexpr std::string_view completion_complete = "completion/complete";
inline constexpr std::string_view logging_set_level = "logging/setLevel";
inline constexpr std::string_view sampling_create_message = "sampling/createMessage";
inline constexpr std::string_view elicitation_create = "elicitation/create";
inline constexpr std::string_view roots_list = "roots/list";
inline constexpr std::string_view cancelled = "notifications/cancelled";
inline constexpr std::string_view progress = "notifications/progress";
inline constexpr std::string_view message = "notifications/message";
inline constexpr std::string_view tools_list_changed = "notifications/tools/list_changed";
inline constexpr std::string_view resources_list_changed = "notifications/resources/list_changed";
inline constexpr std::string_view resources_updated = "notifications/resources/updated";
inline constexpr std::string_view prompts_list_changed = "notifications/prompts/list_changed";
inline constexpr std::string_view roots_list_changed = "notifications/roots/list_changed";
} // namespace method

// --- server side -------------------------------------------------------------------

std::string initialize_result(const server& s, std::string_view version);
// The data of UnsupportedProtocolVersionError: the revisions we speak (all of them, or
// only the stateless ones) and the one requested (omitted when empty).
std::string unsupported_version_data(std::string_view requested, bool stateless_only);
std::string discover_result(const server& s);
std::string server_capabilities(const server& s, std::string_view version);

// A page of a list: items [offset, offset + page_size) and nextCursor when more remain.
struct page {
  std::size_t offset = 0;
  std::size_t size = 0;
};
// Reads params.cursor; nullopt when the cursor is not one we issued.
std::optional<std::size_t> parse_cursor(const json_value* params);

std::string tools_page(const server& s, page p, std::string_view version);
std::string resources_page(const server& s, page p, std::string_view version);
std::string templates_page(const server& s, page p, std::string_view version);
std::string prompts_page(const server& s, page p, std::string_view version);

std::string tool_call_result(const tool_result& r, std::string_view version);
std::string read_result(const std::vector<resource_contents>& contents, std::string_view version);
std::string prompt_get_result(const prompt_result& r, std::string_view version);
std::string completion_result_json(const completion_result& r, std::string_view version);
std::string empty_result(std::string_view version);

// Matches a URI against an RFC 6570 level-1 template; nullopt when it does not match.
std::optional<template_variables> match_uri_template(std::string_view uri_template,
                                                     std::string_view uri);

// --- notifications (either side) -----------------------------------------------------

std::string progress_notification(std::string_view token_json, double progress,
                                  std::optional<double> total, std::string_view message);
std::string log_notification(log_level level, std::string_view logger, std::string_view data_json);
std::string cancelled_notification(std::string_view request_id_json, std::string_view reason);
std::string resource_updated_notification(std::string_view uri);

// --- client side ---------------------------------------------------------------------

std::string initialize_params(const implementation_info& client, std::string_view version,
                              std::string_view capabilities_json);
// `params` (JSON text, empty for none) with _meta.progressToken set to `token_json`.
json_text with_progress_token(std::string_view params, std::string_view token_json);
// `params` (JSON text, empty for none) with the 2026-07-28 per-request _meta added:
// protocolVersion, clientCapabilities and clientInfo.
json_text with_request_meta(std::string_view params, std::string_view version,
                            const implementation_info& client, std::string_view capabilities_json);

} // namespace mcp::protocol
