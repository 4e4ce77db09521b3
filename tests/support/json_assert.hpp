// Parsing server output in tests: one JSON text into a document, and short accessors.
#pragma once

#include <mcp/json.hpp>

#include <rapidjson/pointer.h>

#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace mcp::test {

inline std::shared_ptr<json_document> parse(const std::string& text) {
  auto doc = std::make_shared<json_document>();
  doc->Parse(text.c_str(), text.size());
  INFO(text);
  REQUIRE_FALSE(doc->HasParseError());
  return doc;
}

// The value at a JSON pointer ("/result/tools/0/name"), or nullptr.
inline const json_value* at(const json_document& doc, const char* pointer) {
  return rapidjson::Pointer(pointer).Get(doc);
}

inline std::string str_at(const json_document& doc, const char* pointer) {
  auto* v = at(doc, pointer);
  return v != nullptr && v->IsString() ? v->GetString() : std::string{"<absent>"};
}

inline long long int_at(const json_document& doc, const char* pointer) {
  auto* v = at(doc, pointer);
  return v != nullptr && v->IsInt64() ? v->GetInt64() : -999999;
}

} // namespace mcp::test
