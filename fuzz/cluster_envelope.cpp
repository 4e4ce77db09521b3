// The decoder of what cluster instances send each other, on arbitrary bytes (what a
// mailbox might hold after a bug or a stray publisher). Properties: no crash, no read out
// of bounds; anything it accepts re-encodes to a text that decodes to the same envelope.
#include "actors/cluster_envelope.hpp"
#include "fuzz/fuzz_check.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes{reinterpret_cast<const char*>(data), size};
  auto decoded = mcp::actors::decode_envelope(bytes);
  if (!decoded)
    return 0;
  auto text = mcp::actors::encode(*decoded);
  auto again = mcp::actors::decode_envelope(text);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(mcp::actors::encode(*again) == text);
  return 0;
}
