#include "bench/load/mcp.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <stdexcept>

namespace load {

namespace {

std::string rpc_request(std::int64_t id, const std::string& method, const std::string& params) {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + method +
         R"(","params":)" + params + "}";
}

bool parse(const std::string& text, rapidjson::Document& doc) {
  doc.Parse(text.data(), text.size());
  return !doc.HasParseError() && doc.IsObject();
}

} // namespace

std::string initialize_request(std::int64_t id) {
  return rpc_request(
      id, "initialize",
      R"({"protocolVersion":")" + protocol_version +
          R"(","capabilities":{},"clientInfo":{"name":"mcp-load","version":"0.1.0"}})");
}

std::string initialized_notification() {
  return R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
}

std::string echo_call(std::int64_t id, const std::string& text) {
  return rpc_request(id, "tools/call", R"({"name":"echo","arguments":{"text":")" + text + R"("}})");
}

std::string progress_call(std::int64_t id, std::int64_t count, const std::string& token) {
  return rpc_request(id, "tools/call",
                     R"({"name":"stream_progress","arguments":{"count":)" + std::to_string(count) +
                         R"(},"_meta":{"progressToken":")" + token + R"("}})");
}

std::string touch_call(std::int64_t id) {
  return rpc_request(id, "tools/call",
                     R"({"name":"touch_resource","arguments":{"uri":"bench://watched"}})");
}

std::string subscribe_request(std::int64_t id) {
  return rpc_request(id, "resources/subscribe", R"({"uri":"bench://watched"})");
}

std::optional<std::int64_t> response_id(const std::string& text) {
  rapidjson::Document doc;
  if (!parse(text, doc) || doc.HasMember("method") || !doc.HasMember("id") || !doc["id"].IsInt64())
    return std::nullopt;
  return doc["id"].GetInt64();
}

bool is_error_response(const std::string& text) {
  rapidjson::Document doc;
  return parse(text, doc) && doc.HasMember("error");
}

std::optional<double> progress_of(const std::string& text) {
  rapidjson::Document doc;
  if (!parse(text, doc) || !doc.HasMember("method") || !doc["method"].IsString() ||
      std::string{doc["method"].GetString()} != "notifications/progress")
    return std::nullopt;
  auto& params = doc["params"];
  if (!params.IsObject() || !params.HasMember("progress") || !params["progress"].IsNumber())
    return std::nullopt;
  return params["progress"].GetDouble();
}

bool is_resource_updated(const std::string& text) {
  return text.find("notifications/resources/updated") != std::string::npos;
}

namespace {

// The JSON-RPC response in a POST's response body, JSON or SSE.
std::optional<std::string> reply_text(const response& res) {
  if (res[http::field::content_type].find("text/event-stream") == 0) {
    for (auto& e : events_of(res.body()))
      if (response_id(e.data))
        return e.data;
    return std::nullopt;
  }
  if (response_id(res.body()))
    return res.body();
  return std::nullopt;
}

} // namespace

std::optional<std::int64_t> reply_id(const response& res) {
  auto text = reply_text(res);
  return text ? response_id(*text) : std::nullopt;
}

net::awaitable<session> initialize(link& l, const endpoint& where) {
  auto res = co_await l.exchange(post(where, {}, {}, initialize_request(0)));
  auto id = res["Mcp-Session-Id"];
  if (res.result() != http::status::ok || id.empty() || reply_id(res) != 0)
    throw std::runtime_error("initialize failed: HTTP " + std::to_string(res.result_int()) + " " +
                             res.body().substr(0, 200));
  // The version the server chose is the one every later request names.
  rapidjson::Document doc;
  parse(*reply_text(res), doc);
  auto& result = doc["result"];
  session s{std::string{id}, result.IsObject() && result.HasMember("protocolVersion")
                                 ? result["protocolVersion"].GetString()
                                 : protocol_version};
  auto done = co_await l.exchange(post(where, s.id, s.version, initialized_notification()));
  if (done.result() != http::status::accepted)
    throw std::runtime_error("notifications/initialized: HTTP " +
                             std::to_string(done.result_int()));
  co_return s;
}

std::string latencies::json_fields() {
  std::sort(us_.begin(), us_.end());
  auto at = [this](double q) -> std::int64_t {
    if (us_.empty())
      return 0;
    auto i = static_cast<std::size_t>(q * static_cast<double>(us_.size() - 1));
    return us_[i];
  };
  return R"("p50_us":)" + std::to_string(at(0.5)) + R"(,"p99_us":)" + std::to_string(at(0.99)) +
         R"(,"p999_us":)" + std::to_string(at(0.999));
}

} // namespace load
