#include "protocol/sse.hpp"

#include <stdexcept>

namespace mcp::sse {

namespace {

bool has_line_break_or_nul(std::string_view s) {
  return s.find_first_of(std::string_view{"\r\n\0", 3}) != std::string_view::npos;
}

} // namespace

void encode_to(std::string& out, const frame& f) {
  if (has_line_break_or_nul(f.type) || has_line_break_or_nul(f.id))
    throw std::invalid_argument("an SSE event type or id must not contain CR, LF or NUL");
  if (!f.type.empty())
    out.append("event: ").append(f.type).append("\n");
  if (!f.id.empty())
    out.append("id: ").append(f.id).append("\n");
  if (f.retry_ms)
    out.append("retry: ").append(std::to_string(*f.retry_ms)).append("\n");
  // Every line of the data (CRLF, CR or LF ends one) becomes one data field.
  std::size_t start = 0;
  for (std::size_t i = 0; i <= f.data.size(); ++i) {
    if (i < f.data.size() && f.data[i] != '\r' && f.data[i] != '\n')
      continue;
    out.append("data: ").append(f.data.substr(start, i - start)).append("\n");
    if (i < f.data.size() && f.data[i] == '\r' && i + 1 < f.data.size() && f.data[i + 1] == '\n')
      ++i;
    start = i + 1;
  }
  out.append("\n");
}

std::string encode(const frame& f) {
  std::string out;
  out.reserve(f.data.size() + f.id.size() + f.type.size() + 32);
  encode_to(out, f);
  return out;
}

std::string comment(std::string_view text) {
  std::string out = ":";
  if (!text.empty()) {
    out += ' ';
    for (char c : text)
      out += (c == '\r' || c == '\n') ? ' ' : c;
  }
  out += "\n\n";
  return out;
}

bool parser::feed(std::string_view bytes, std::vector<event>& out) {
  static constexpr std::string_view bom = "\xEF\xBB\xBF";
  for (char c : bytes) {
    if (!error_.empty())
      return false;
    // A UTF-8 BOM is stripped once, at the very start of the stream.
    if (bom_matched_ < bom.size()) {
      if (c == bom[bom_matched_]) {
        ++bom_matched_;
        continue;
      }
      auto matched = bom_matched_;
      bom_matched_ = bom.size();
      for (std::size_t k = 0; k < matched; ++k)
        step(bom[k], out);
    }
    step(c, out);
  }
  return error_.empty();
}

void parser::step(char c, std::vector<event>& out) {
  if (after_cr_) {
    after_cr_ = false;
    if (c == '\n')
      return; // the LF of a CRLF
  }
  if (c == '\r' || c == '\n') {
    after_cr_ = c == '\r';
    line(line_, out);
    line_.clear();
    return;
  }
  line_ += c;
  if (++event_bytes_ > event_bytes_max_)
    error_ = "an SSE event is larger than " + std::to_string(event_bytes_max_) + " bytes";
}

void parser::finish() {
  // "If the file ends in the middle of an event, before the final empty line, the
  // incomplete event is not dispatched."
  line_.clear();
  data_.clear();
  type_.clear();
  event_bytes_ = 0;
}

void parser::line(std::string_view l, std::vector<event>& out) {
  if (l.empty())
    return dispatch(out);
  if (l.front() == ':')
    return; // comment
  auto colon = l.find(':');
  if (colon == std::string_view::npos)
    return field(l, {});
  auto value = l.substr(colon + 1);
  if (!value.empty() && value.front() == ' ')
    value.remove_prefix(1);
  field(l.substr(0, colon), value);
}

void parser::field(std::string_view name, std::string_view value) {
  if (name == "event") {
    type_.assign(value);
  } else if (name == "data") {
    data_.append(value).append("\n");
  } else if (name == "id") {
    if (value.find('\0') == std::string_view::npos)
      id_buffer_.assign(value);
  } else if (name == "retry") {
    if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos)
      return;
    std::uint64_t ms = 0;
    for (char c : value) {
      if (ms > (UINT64_MAX - 9) / 10)
        return; // too large to be a delay: ignored like any invalid value
      ms = ms * 10 + static_cast<std::uint64_t>(c - '0');
    }
    retry_ms_ = ms;
  }
  // Any other field is ignored.
}

void parser::dispatch(std::vector<event>& out) {
  last_event_id_ = id_buffer_;
  event_bytes_ = 0;
  if (data_.empty()) {
    type_.clear();
    return;
  }
  data_.pop_back(); // the trailing LF
  event e;
  e.data = std::move(data_);
  if (!type_.empty())
    e.type = std::move(type_);
  e.id = last_event_id_;
  out.push_back(std::move(e));
  data_.clear();
  type_.clear();
}

} // namespace mcp::sse
