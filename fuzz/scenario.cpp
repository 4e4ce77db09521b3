// The simulator's scenario-file parser on arbitrary text. Properties: it never throws or
// crashes, and returns either a scenario or an error naming where the text is wrong; a
// fault it reads prints back to JSON that reads to the same fault (saved runs rely on it).
#include "fuzz/fuzz_check.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <string>
#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text{reinterpret_cast<const char*>(data), size};
  auto parsed = mcp::sim::parse_scenario(text);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    FUZZ_CHECK(!error->empty());
  } else {
    for (auto& f : std::get<mcp::sim::scenario>(parsed).schedule) {
      auto json = mcp::sim::to_json(f);
      auto again = mcp::sim::parse_fault(json);
      FUZZ_CHECK(std::holds_alternative<mcp::sim::fault>(again));
      FUZZ_CHECK(mcp::sim::to_json(std::get<mcp::sim::fault>(again)) == json);
    }
  }
  auto fault = mcp::sim::parse_fault(text);
  if (auto* f = std::get_if<mcp::sim::fault>(&fault)) {
    auto json = mcp::sim::to_json(*f);
    auto again = mcp::sim::parse_fault(json);
    FUZZ_CHECK(std::holds_alternative<mcp::sim::fault>(again));
    FUZZ_CHECK(mcp::sim::to_json(std::get<mcp::sim::fault>(again)) == json);
  }
  return 0;
}
