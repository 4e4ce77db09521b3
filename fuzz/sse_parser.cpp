// The SSE parser on arbitrary bytes. Properties: it never reads out of bounds or grows
// past its event bound; any split of the stream gives the same events (the parser is
// incremental); and a frame we encode from the input's text parses back to that text with
// its line breaks normalized.
#include "fuzz/fuzz_check.hpp"
#include "protocol/sse.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t event_bytes_max = 4096;

struct parsed {
  std::vector<mcp::sse::event> events;
  bool ok = true;
  std::string last_id;
};

parsed parse(std::string_view bytes, std::size_t split, std::size_t bound = event_bytes_max) {
  mcp::sse::parser p{bound};
  parsed out;
  out.ok = p.feed(bytes.substr(0, split), out.events) && p.feed(bytes.substr(split), out.events);
  p.finish();
  out.last_id = p.last_event_id();
  return out;
}

bool same(const std::vector<mcp::sse::event>& a, const std::vector<mcp::sse::event>& b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].type != b[i].type || a[i].data != b[i].data || a[i].id != b[i].id)
      return false;
  return true;
}

std::string normalized_lines(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n')
        ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes{reinterpret_cast<const char*>(data), size};
  auto whole = parse(bytes, bytes.size());
  auto split = parse(bytes, size == 0 ? 0 : data[0] % size);
  auto one = parse(bytes, 0);
  FUZZ_CHECK(whole.ok == split.ok && whole.ok == one.ok);
  if (whole.ok) {
    FUZZ_CHECK(same(whole.events, split.events));
    FUZZ_CHECK(same(whole.events, one.events));
    FUZZ_CHECK(whole.last_id == split.last_id);
  }
  for (auto& e : whole.events)
    FUZZ_CHECK(e.data.size() <= event_bytes_max);

  // Encoding: the input as an event's data (ids and types may not hold line breaks). Each
  // line of the data costs a "data: " prefix, so the frame is parsed with room for it.
  auto text = std::string{bytes.substr(0, std::min<std::size_t>(size, event_bytes_max))};
  auto frame_text = mcp::sse::encode({"message", "s1-1", text, 1000});
  auto back = parse(frame_text, frame_text.size() / 2, 8 * frame_text.size() + 64);
  FUZZ_CHECK(back.ok);
  FUZZ_CHECK(back.events.size() == 1);
  FUZZ_CHECK(back.events[0].data == normalized_lines(text));
  FUZZ_CHECK(back.events[0].id == "s1-1");
  return 0;
}
