#include "actors/cluster_envelope.hpp"

#include <array>
#include <charconv>
#include <vector>

namespace mcp::actors {

namespace {

constexpr std::array<std::string_view, 8> kind_names{"request", "respond", "open", "write",
                                                     "close",   "ack",     "gone", "updated"};
// kind, from, exchange, seq, status, method, target, principal, body; then header pairs.
constexpr std::size_t fixed_fields = 9;

void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ',';
}

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return n;
}

// The netstrings of `text`, or nullopt if it is not a sequence of them.
std::optional<std::vector<std::string_view>> fields_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos || colon > 10)
      return std::nullopt;
    auto length = number(text.substr(0, colon));
    if (!length || *length > text.size() - colon - 1 || text.size() - colon - 1 - *length < 1 ||
        text[colon + 1 + *length] != ',')
      return std::nullopt;
    out.push_back(text.substr(colon + 1, *length));
    text.remove_prefix(colon + 2 + *length);
  }
  return out;
}

} // namespace

std::string encode(const envelope& e) {
  std::string out;
  out.reserve(64 + e.bytes.size() + e.request.body.size() + e.response.body.size());
  put(out, kind_names[static_cast<std::size_t>(e.what)]);
  put(out, e.from);
  put(out, std::to_string(e.exchange));
  put(out, std::to_string(e.seq));
  put(out, std::to_string(e.response.status));
  put(out, e.request.method);
  put(out, e.request.target);
  put(out, e.request.principal);
  bool is_request = e.what == envelope::kind::request;
  bool has_bytes = e.what == envelope::kind::write || e.what == envelope::kind::updated;
  put(out, is_request ? e.request.body : has_bytes ? e.bytes : e.response.body);
  for (auto& [name, value] : is_request ? e.request.headers : e.response.headers) {
    put(out, name);
    put(out, value);
  }
  return out;
}

std::optional<envelope> decode_envelope(std::string_view text) {
  auto fields = fields_of(text);
  if (!fields || fields->size() < fixed_fields || (fields->size() - fixed_fields) % 2 != 0)
    return std::nullopt;
  auto& f = *fields;
  envelope e;
  std::size_t k = 0;
  while (k < kind_names.size() && kind_names[k] != f[0])
    ++k;
  auto exchange = number(f[2]);
  auto seq = number(f[3]);
  auto status = number(f[4]);
  if (k == kind_names.size() || !exchange || !seq || !status || *status > 999)
    return std::nullopt;
  e.what = static_cast<envelope::kind>(k);
  e.from = f[1];
  e.exchange = *exchange;
  e.seq = *seq;
  e.response.status = static_cast<int>(*status);
  e.request.method = f[5];
  e.request.target = f[6];
  e.request.principal = f[7];
  bool is_request = e.what == envelope::kind::request;
  bool has_bytes = e.what == envelope::kind::write || e.what == envelope::kind::updated;
  auto& headers = is_request ? e.request.headers : e.response.headers;
  for (std::size_t i = fixed_fields; i < f.size(); i += 2)
    headers.emplace_back(f[i], f[i + 1]);
  if (is_request)
    e.request.body = f[8];
  else if (has_bytes)
    e.bytes = f[8];
  else
    e.response.body = f[8];
  return e;
}

} // namespace mcp::actors
