// A compact JSON writer over RapidJSON for building outbound messages in one pass.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace mcp::protocol {

class json_writer {
public:
  json_writer& begin_object() { return ok(w_.StartObject()); }
  json_writer& end_object() { return ok(w_.EndObject()); }
  json_writer& begin_array() { return ok(w_.StartArray()); }
  json_writer& end_array() { return ok(w_.EndArray()); }
  json_writer& key(std::string_view k) {
    return ok(w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())));
  }
  json_writer& string(std::string_view s) {
    return ok(w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
  }
  json_writer& integer(std::int64_t n) { return ok(w_.Int64(n)); }
  // Integral values are written without a fraction (50, not 50.0); JSON has no NaN or
  // infinity, so those become null.
  json_writer& number(double d) {
    constexpr double exact_int_max = 9007199254740992.0; // 2^53
    if (!std::isfinite(d))
      return null();
    if (d < exact_int_max && d > -exact_int_max &&
        d == static_cast<double>(static_cast<std::int64_t>(d)))
      return integer(static_cast<std::int64_t>(d));
    return ok(w_.Double(d));
  }
  json_writer& boolean(bool b) { return ok(w_.Bool(b)); }
  json_writer& null() { return ok(w_.Null()); }
  // Writes JSON text that is already valid, as one value.
  json_writer& raw(std::string_view json) {
    return ok(w_.RawValue(json.data(), json.size(), rapidjson::kObjectType));
  }
  // key + string, key + raw: the common member shapes.
  json_writer& member(std::string_view k, std::string_view s) { return key(k).string(s); }
  json_writer& raw_member(std::string_view k, std::string_view json) { return key(k).raw(json); }
  // Writes the member only when the string is not empty.
  json_writer& optional_member(std::string_view k, std::string_view s) {
    return s.empty() ? *this : member(k, s);
  }
  json_writer& optional_raw_member(std::string_view k, std::string_view json) {
    return json.empty() ? *this : raw_member(k, json);
  }

  std::string str() const { return {buffer_.GetString(), buffer_.GetSize()}; }

private:
  json_writer& ok(bool) { return *this; }

  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> w_{buffer_};
};

} // namespace mcp::protocol
