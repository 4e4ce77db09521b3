#include "actors/http_exchange.hpp"

namespace mcp::actors {

std::optional<std::string_view> http_request::header(std::string_view name) const {
  for (auto& [key, value] : headers)
    if (key == name)
      return std::string_view{value};
  return std::nullopt;
}

std::string_view http_request::path() const {
  std::string_view t{target};
  return t.substr(0, t.find('?'));
}

std::optional<std::string_view> http_request::query(std::string_view name) const {
  std::string_view t{target};
  auto q = t.find('?');
  if (q == std::string_view::npos)
    return std::nullopt;
  auto rest = t.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (amp == std::string_view::npos)
      break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

} // namespace mcp::actors
