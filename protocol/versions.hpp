// MCP protocol revisions: which we speak, how a handshake picks one, and what each allows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcp::protocol {

inline constexpr std::string_view v2024_11_05 = "2024-11-05";
inline constexpr std::string_view v2025_03_26 = "2025-03-26";
inline constexpr std::string_view v2025_06_18 = "2025-06-18";
inline constexpr std::string_view v2025_11_25 = "2025-11-25";
inline constexpr std::string_view v2026_07_28 = "2026-07-28";

// Revisions that open with initialize, oldest first.
const std::vector<std::string>& handshake_versions();
// Revisions served statelessly from per-request _meta, oldest first.
const std::vector<std::string>& stateless_versions();
// All of them, newest first (the "supported" list of UnsupportedProtocolVersionError).
const std::vector<std::string>& all_versions_newest_first();

// initialize: the requested revision if we speak it, else our latest handshake revision.
std::string negotiate(std::string_view requested);

bool is_handshake_version(std::string_view v);
bool is_stateless_version(std::string_view v);

// Revision dates compare as strings.
inline bool at_least(std::string_view version, std::string_view minimum) {
  return version >= minimum;
}
inline bool allows_batch(std::string_view v) { return v == v2025_03_26; }

// The _meta keys of stateless (2026-07-28) requests.
inline constexpr std::string_view meta_protocol_version = "io.modelcontextprotocol/protocolVersion";
inline constexpr std::string_view meta_client_capabilities =
    "io.modelcontextprotocol/clientCapabilities";
inline constexpr std::string_view meta_client_info = "io.modelcontextprotocol/clientInfo";
inline constexpr std::string_view meta_server_info = "io.modelcontextprotocol/serverInfo";
inline constexpr std::string_view meta_subscription_id = "io.modelcontextprotocol/subscriptionId";
inline constexpr std::string_view meta_log_level = "io.modelcontextprotocol/logLevel";

} // namespace mcp::protocol
