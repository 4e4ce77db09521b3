#include "protocol/versions.hpp"

#include <algorithm>

namespace mcp::protocol {

const std::vector<std::string>& handshake_versions() {
  static const std::vector<std::string> versions{std::string{v2024_11_05}, std::string{v2025_03_26},
                                                 std::string{v2025_06_18},
                                                 std::string{v2025_11_25}};
  return versions;
}

const std::vector<std::string>& stateless_versions() {
  static const std::vector<std::string> versions{std::string{v2026_07_28}};
  return versions;
}

const std::vector<std::string>& all_versions_newest_first() {
  static const std::vector<std::string> versions = [] {
    std::vector<std::string> all = handshake_versions();
    all.insert(all.end(), stateless_versions().begin(), stateless_versions().end());
    std::reverse(all.begin(), all.end());
    return all;
  }();
  return versions;
}

bool is_handshake_version(std::string_view v) {
  auto& vs = handshake_versions();
  return std::find(vs.begin(), vs.end(), v) != vs.end();
}

bool is_stateless_version(std::string_view v) {
  auto& vs = stateless_versions();
  return std::find(vs.begin(), vs.end(), v) != vs.end();
}

std::string negotiate(std::string_view requested) {
  return is_handshake_version(requested) ? std::string{requested} : handshake_versions().back();
}

} // namespace mcp::protocol
