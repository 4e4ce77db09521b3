#include "protocol/jsonrpc.hpp"

#include "protocol/json_writer.hpp"

namespace mcp::jsonrpc {

namespace {

rejected invalid(std::optional<request_id> id, std::string why) {
  return rejected{std::move(id), error_object{code::invalid_request, std::move(why), {}}};
}

// Reads the id member: absent -> nullopt with ok; integer or string -> the id; null ->
// nullopt, `null` set and ok (only an error response may carry it: the request it
// answers could not be read); anything else (fraction, object, ...) -> not ok.
bool read_id(const json_value& object, std::optional<request_id>& out, bool& null) {
  auto* v = find_member(object, "id");
  null = v != nullptr && v->IsNull();
  if (v == nullptr || null)
    return true;
  if (v->IsInt64()) {
    out = request_id{v->GetInt64()};
    return true;
  }
  if (v->IsString()) {
    out = request_id{std::string{v->GetString(), v->GetStringLength()}};
    return true;
  }
  return false;
}

decoded_item decode_one(const json_value& v, const protocol::shared_document& doc) {
  if (!v.IsObject())
    return invalid(std::nullopt, "a JSON-RPC message must be an object");
  std::optional<request_id> id;
  bool null_id = false;
  bool id_ok = read_id(v, id, null_id);
  auto version = get_string(v, "jsonrpc");
  if (!version || *version != "2.0")
    return invalid(id, R"(member "jsonrpc" must be "2.0")");
  bool error_response = find_member(v, "method") == nullptr && find_member(v, "error") != nullptr;
  if (!id_ok || (null_id && !error_response))
    return invalid(std::nullopt, R"(member "id" must be an integer or a string)");
  message m;
  m.doc = doc;
  if (auto* method = find_member(v, "method")) {
    if (!method->IsString())
      return invalid(id, R"(member "method" must be a string)");
    m.method.assign(method->GetString(), method->GetStringLength());
    m.params = find_member(v, "params");
    if (m.params != nullptr && !m.params->IsObject() && !m.params->IsArray())
      return invalid(id, R"(member "params" must be an object or an array)");
    m.type = id ? kind::request : kind::notification;
  } else if (auto* result = find_member(v, "result")) {
    if (!id)
      return invalid(std::nullopt, "a response needs an id");
    m.type = kind::result;
    m.result = result;
  } else if (auto* error = find_member(v, "error")) {
    auto code = get_int(*error, "code");
    auto text = get_string(*error, "message");
    if (!code || !text)
      return invalid(id, R"(member "error" needs an integer "code" and a string "message")");
    m.type = kind::error;
    m.error.code = static_cast<int>(*code);
    m.error.message = *text;
    if (auto* data = find_member(*error, "data"))
      m.error.data.text = to_json(*data);
  } else {
    return invalid(id, R"(a message needs "method", "result" or "error")");
  }
  if (id) {
    m.id = *id;
    m.has_id = true;
  }
  return m;
}

} // namespace

std::string request_id::to_json() const {
  if (is_integer())
    return std::to_string(integer());
  protocol::json_writer w;
  w.string(string());
  return w.str();
}

std::string request_id::key() const {
  return is_integer() ? "i:" + std::to_string(integer()) : "s:" + string();
}

decoded decode(std::string_view text, const codec_limits& limits) {
  decoded out;
  auto parsed = protocol::parse_json(text, {limits.bytes_max, limits.depth_max});
  if (auto* failure = std::get_if<protocol::json_parse_error>(&parsed)) {
    out.items.emplace_back(
        rejected{std::nullopt, error_object{code::parse_error, failure->message, {}}});
    return out;
  }
  auto& doc = std::get<protocol::shared_document>(parsed);
  if (!doc->IsArray()) {
    out.items.push_back(decode_one(*doc, doc));
    return out;
  }
  out.batch = true;
  auto size = doc->Size();
  if (size == 0) {
    out.batch = false; // the reply to an empty batch is a single error
    out.items.emplace_back(invalid(std::nullopt, "a batch must not be empty"));
    return out;
  }
  if (size > limits.batch_length_max) {
    out.batch = false;
    out.items.emplace_back(invalid(std::nullopt, "a batch holds " + std::to_string(size) +
                                                     " messages; the limit is " +
                                                     std::to_string(limits.batch_length_max)));
    return out;
  }
  out.items.reserve(size);
  for (auto& element : doc->GetArray())
    out.items.push_back(decode_one(element, doc));
  return out;
}

namespace {

// A request (with id) or a notification (without).
std::string encode_call(const request_id* id, std::string_view method, std::string_view params) {
  protocol::json_writer w;
  w.begin_object().member("jsonrpc", "2.0");
  if (id != nullptr)
    w.raw_member("id", id->to_json());
  w.member("method", method).optional_raw_member("params", params).end_object();
  return w.str();
}

} // namespace

std::string encode_request(const request_id& id, std::string_view method, std::string_view params) {
  return encode_call(&id, method, params);
}

std::string encode_notification(std::string_view method, std::string_view params) {
  return encode_call(nullptr, method, params);
}

std::string encode_result(const request_id& id, std::string_view result) {
  protocol::json_writer w;
  w.begin_object().member("jsonrpc", "2.0").raw_member("id", id.to_json());
  w.raw_member("result", result.empty() ? std::string_view{"{}"} : result).end_object();
  return w.str();
}

std::string encode_error(const std::optional<request_id>& id, const error_object& error) {
  protocol::json_writer w;
  w.begin_object().member("jsonrpc", "2.0");
  if (id)
    w.raw_member("id", id->to_json());
  else
    w.key("id").null();
  w.key("error").begin_object().key("code").integer(error.code).member("message", error.message);
  w.optional_raw_member("data", error.data.text).end_object().end_object();
  return w.str();
}

std::string encode_rejected(const rejected& r) { return encode_error(r.id, r.error); }

std::string encode_batch(const std::vector<std::string>& encoded) {
  std::string out = "[";
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (i > 0)
      out += ',';
    out += encoded[i];
  }
  out += ']';
  return out;
}

} // namespace mcp::jsonrpc
