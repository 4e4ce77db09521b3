// Server-sent events framing per the WHATWG HTML "server-sent events" section: an encoder
// that never writes a frame a compliant parser reads differently, and an incremental
// parser that gives the same events for any split of the byte stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcp::sse {

struct event {
  std::string type = "message"; // the dispatched type ("message" when none was given)
  std::string data;
  std::string id; // the last event ID string at dispatch (persists across events)
};

// --- encoding ------------------------------------------------------------------------

struct frame {
  std::string_view type; // empty: no event field (the client sees "message")
  std::string_view id;   // empty: no id field
  std::string_view data; // split into one data line per line of the text
  std::optional<std::uint64_t> retry_ms;
};

// One event, ending with the blank line that dispatches it. `type` and `id` must not
// contain CR, LF or NUL (checked: such a frame is a programming error and throws).
std::string encode(const frame& f);
void encode_to(std::string& out, const frame& f);
// A comment line (keep-alive); ignored by parsers. CR/LF in `text` become spaces.
std::string comment(std::string_view text = {});

// --- parsing -------------------------------------------------------------------------

class parser {
public:
  explicit parser(std::size_t event_bytes_max = 4 * 1024 * 1024)
    : event_bytes_max_(event_bytes_max) {}

  // Feeds the next bytes; complete events are appended to `out`. Returns false (and
  // stops) when one event grows past `event_bytes_max`: error() says why.
  bool feed(std::string_view bytes, std::vector<event>& out);
  // The stream ended: a partly received event is discarded, as the spec requires.
  void finish();

  const std::string& last_event_id() const { return last_event_id_; }
  std::optional<std::uint64_t> retry_ms() const { return retry_ms_; }
  const std::string& error() const { return error_; }

private:
  void step(char c, std::vector<event>& out);
  void line(std::string_view l, std::vector<event>& out);
  void field(std::string_view name, std::string_view value);
  void dispatch(std::vector<event>& out);

  std::size_t event_bytes_max_;
  std::string line_;
  bool after_cr_ = false;       // a CR ended the last line; a following LF belongs to it
  std::size_t bom_matched_ = 0; // 3 once the start of the stream has been checked
  std::string data_;
  std::string type_;
  std::string id_buffer_;
  std::string last_event_id_;
  std::optional<std::uint64_t> retry_ms_;
  std::size_t event_bytes_ = 0;
  std::string error_;
};

} // namespace mcp::sse
