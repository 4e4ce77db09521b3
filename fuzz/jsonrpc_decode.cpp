// The JSON-RPC decoder (and the MCP cursor and URI-template readers behind it) on
// arbitrary text. Properties: it never throws or crashes and always yields something to
// answer; every rejection encodes to an error response that decodes back with the same
// code and id; every message re-encodes to text that decodes to the same kind, id and
// method (what the server writes is always something a peer can read).
#include "fuzz/fuzz_check.hpp"
#include "protocol/jsonrpc.hpp"
#include "protocol/mcp_model.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace {

namespace jsonrpc = mcp::jsonrpc;

const jsonrpc::codec_limits limits{64 * 1024, 64, 16};

const jsonrpc::message& single_message(const std::string& text) {
  static thread_local jsonrpc::decoded again;
  again = jsonrpc::decode(text, limits);
  FUZZ_CHECK(!again.batch && again.items.size() == 1);
  auto* m = std::get_if<jsonrpc::message>(&again.items[0]);
  FUZZ_CHECK(m != nullptr);
  return *m;
}

std::string text_of(const mcp::json_value* v) { return v ? mcp::to_json(*v) : std::string{}; }

void round_trip(const jsonrpc::message& m) {
  switch (m.type) {
  case jsonrpc::kind::request: {
    auto& back = single_message(jsonrpc::encode_request(m.id, m.method, text_of(m.params)));
    FUZZ_CHECK(back.is_request() && back.id == m.id && back.method == m.method);
    break;
  }
  case jsonrpc::kind::notification: {
    auto& back = single_message(jsonrpc::encode_notification(m.method, text_of(m.params)));
    FUZZ_CHECK(back.is_notification() && back.method == m.method);
    break;
  }
  case jsonrpc::kind::result: {
    auto& back = single_message(jsonrpc::encode_result(m.id, text_of(m.result)));
    FUZZ_CHECK(back.type == jsonrpc::kind::result && back.id == m.id);
    break;
  }
  case jsonrpc::kind::error: {
    auto id = m.has_id ? std::optional<jsonrpc::request_id>{m.id} : std::nullopt;
    auto& back = single_message(jsonrpc::encode_error(id, m.error));
    FUZZ_CHECK(back.type == jsonrpc::kind::error && back.error.code == m.error.code);
    FUZZ_CHECK(back.has_id == m.has_id && (!m.has_id || back.id == m.id));
    break;
  }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  auto decoded = jsonrpc::decode(text, limits);
  FUZZ_CHECK(!decoded.items.empty());
  FUZZ_CHECK(decoded.items.size() <= limits.batch_length_max);
  for (auto& item : decoded.items) {
    if (auto* r = std::get_if<jsonrpc::rejected>(&item)) {
      auto& back = single_message(jsonrpc::encode_rejected(*r));
      FUZZ_CHECK(back.type == jsonrpc::kind::error && back.error.code == r->error.code);
      FUZZ_CHECK(back.has_id == r->id.has_value() && (!r->id || back.id == *r->id));
      continue;
    }
    auto& m = std::get<jsonrpc::message>(item);
    round_trip(m);
    // What the server reads from params before any handler sees them.
    (void)mcp::protocol::parse_cursor(m.params);
    if (m.params && m.params->IsObject())
      if (auto uri = mcp::get_string(*m.params, "uri"))
        (void)mcp::protocol::match_uri_template("file:///{dir}/{name}.txt", *uri);
  }
  return 0;
}
