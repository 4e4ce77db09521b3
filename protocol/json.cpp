#include "protocol/json.hpp"

#include <rapidjson/error/en.h>

#include <cstring>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mcp {

const json_value* find_member(const json_value& object, std::string_view name) {
  if (!object.IsObject())
    return nullptr;
  auto it = object.FindMember(
      json_value(rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> get_string(const json_value& object, std::string_view name) {
  auto* v = find_member(object, name);
  if (v == nullptr || !v->IsString())
    return std::nullopt;
  return std::string{v->GetString(), v->GetStringLength()};
}

std::optional<std::int64_t> get_int(const json_value& object, std::string_view name) {
  auto* v = find_member(object, name);
  if (v == nullptr || !v->IsInt64())
    return std::nullopt;
  return v->GetInt64();
}

std::optional<double> get_number(const json_value& object, std::string_view name) {
  auto* v = find_member(object, name);
  if (v == nullptr || !v->IsNumber())
    return std::nullopt;
  return v->GetDouble();
}

std::optional<bool> get_bool(const json_value& object, std::string_view name) {
  auto* v = find_member(object, name);
  if (v == nullptr || !v->IsBool())
    return std::nullopt;
  return v->GetBool();
}

std::string to_json(const json_value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer{buffer};
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

} // namespace mcp

namespace mcp::protocol {

namespace {

// Forwards SAX events to the document and refuses to nest deeper than the limit.
class depth_limited_handler {
public:
  depth_limited_handler(json_document& doc, std::size_t depth_max)
    : doc_(doc), depth_max_(depth_max) {}

  bool too_deep() const { return too_deep_; }
  bool lone_surrogate() const { return lone_surrogate_; }

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned i) { return doc_.Uint(i); }
  bool Int64(std::int64_t i) { return doc_.Int64(i); }
  bool Uint64(std::uint64_t i) { return doc_.Uint64(i); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return well_formed(s, n) && doc_.String(s, n, copy);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    return well_formed(s, n) && doc_.Key(s, n, copy);
  }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndObject(n);
  }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndArray(n);
  }

private:
  // RapidJSON 1.1.0 decodes an escaped lone low surrogate ("\uDC00") into the bytes ED B0 80,
  // which are not UTF-8: what we echo of such a string would be unreadable to a strict peer.
  // Raw input never holds them (encoding is validated), so only escapes are caught here.
  bool well_formed(const char* s, rapidjson::SizeType n) {
    for (const char* p = s; (p = static_cast<const char*>(std::memchr(p, '\xED', s + n - p)));) {
      if (++p < s + n && static_cast<unsigned char>(*p) >= 0xA0) {
        lone_surrogate_ = true;
        return false;
      }
    }
    return true;
  }

  bool enter() {
    if (++depth_ > depth_max_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  json_document& doc_;
  std::size_t depth_max_;
  std::size_t depth_ = 0;
  bool too_deep_ = false;
  bool lone_surrogate_ = false;
};

constexpr unsigned parse_flags = rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag;

} // namespace

std::string too_large_message(std::size_t bytes, std::size_t bytes_max) {
  return "message is " + std::to_string(bytes) + " bytes or more; the limit is " +
         std::to_string(bytes_max);
}

std::variant<shared_document, json_parse_error> parse_json(std::string_view text,
                                                           const json_limits& limits) {
  if (text.size() > limits.bytes_max)
    return json_parse_error{too_large_message(text.size(), limits.bytes_max)};
  auto doc = std::make_shared<json_document>();
  rapidjson::MemoryStream stream{text.data(), text.size()};
  rapidjson::Reader reader;
  depth_limited_handler handler{*doc, limits.depth_max};
  auto generate = [&](json_document&) {
    return !reader.Parse<parse_flags>(stream, handler).IsError();
  };
  doc->Populate(generate);
  if (handler.too_deep())
    return json_parse_error{"JSON nests deeper than the limit of " +
                            std::to_string(limits.depth_max)};
  if (handler.lone_surrogate())
    return json_parse_error{"invalid JSON: a \\u escape names a lone UTF-16 surrogate"};
  if (reader.HasParseError())
    return json_parse_error{std::string{"invalid JSON at offset "} +
                            std::to_string(reader.GetErrorOffset()) + ": " +
                            rapidjson::GetParseError_En(reader.GetParseErrorCode())};
  // Only whitespace may follow the value.
  for (auto i = stream.Tell(); i < text.size(); ++i) {
    auto c = text[i];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      return json_parse_error{"unexpected data after the JSON value at offset " +
                              std::to_string(i)};
  }
  return shared_document{std::move(doc)};
}

} // namespace mcp::protocol
