#include "protocol/mcp_model.hpp"

#include "protocol/json_writer.hpp"
#include "protocol/versions.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace mcp::protocol {

namespace {

// 2026-07-28 marks every result as complete (vs. input_required).
void write_result_type(json_writer& w, std::string_view version) {
  if (is_stateless_version(version))
    w.member("resultType", "complete");
}

void write_implementation(json_writer& w, const implementation_info& info,
                          std::string_view version) {
  w.begin_object().member("name", info.name).member("version", info.version);
  if (at_least(version, v2025_06_18))
    w.optional_member("title", info.title);
  w.end_object();
}

std::string cursor_for(std::size_t offset) { return "o" + std::to_string(offset); }

// Writes `{"<name>":[...items in page...],"nextCursor":...}`.
template <class T, class WriteItem>
std::string write_page(std::string_view name, const std::vector<T>& items, page p,
                       std::string_view version, WriteItem write_item) {
  json_writer w;
  w.begin_object();
  write_result_type(w, version);
  w.key(name).begin_array();
  auto end = std::min(items.size(), p.offset + p.size);
  for (auto i = p.offset; i < end; ++i)
    write_item(w, items[i]);
  w.end_array();
  if (end < items.size())
    w.member("nextCursor", cursor_for(end));
  w.end_object();
  return w.str();
}

void write_contents(json_writer& w, const resource_contents& c) {
  w.begin_object().member("uri", c.uri).optional_member("mimeType", c.mime_type);
  if (c.text)
    w.member("text", *c.text);
  if (c.blob_base64)
    w.member("blob", *c.blob_base64);
  w.end_object();
}

} // namespace

std::string server_capabilities(const server& s, std::string_view version) {
  json_writer w;
  w.begin_object();
  w.key("tools").begin_object().key("listChanged").boolean(true).end_object();
  w.key("resources").begin_object();
  if (!is_stateless_version(version))
    w.key("subscribe").boolean(true);
  w.key("listChanged").boolean(true).end_object();
  w.key("prompts").begin_object().key("listChanged").boolean(true).end_object();
  if (!is_stateless_version(version))
    w.key("logging").begin_object().end_object();
  if (s.completion() && at_least(version, v2025_03_26))
    w.key("completions").begin_object().end_object();
  w.end_object();
  return w.str();
}

std::string initialize_result(const server& s, std::string_view version) {
  json_writer w;
  w.begin_object().member("protocolVersion", version);
  w.raw_member("capabilities", server_capabilities(s, version));
  w.key("serverInfo");
  write_implementation(w, s.info(), version);
  w.optional_member("instructions", s.instructions());
  w.end_object();
  return w.str();
}

std::string unsupported_version_data(std::string_view requested, bool stateless_only) {
  json_writer w;
  w.begin_object().key("supported").begin_array();
  for (auto& v : stateless_only ? stateless_versions() : all_versions_newest_first())
    w.string(v);
  w.end_array().optional_member("requested", requested).end_object();
  return w.str();
}

std::string discover_result(const server& s) {
  auto version = stateless_versions().back();
  json_writer w;
  w.begin_object();
  write_result_type(w, version);
  w.key("supportedVersions").begin_array();
  for (auto& v : all_versions_newest_first())
    w.string(v);
  w.end_array();
  w.raw_member("capabilities", server_capabilities(s, version));
  w.key("_meta").begin_object().key(meta_server_info);
  write_implementation(w, s.info(), version);
  w.end_object();
  w.optional_member("instructions", s.instructions());
  w.end_object();
  return w.str();
}

std::optional<std::size_t> parse_cursor(const json_value* params) {
  if (params == nullptr)
    return 0;
  auto* cursor = find_member(*params, "cursor");
  if (cursor == nullptr || cursor->IsNull())
    return 0;
  if (!cursor->IsString())
    return std::nullopt;
  std::string_view text{cursor->GetString(), cursor->GetStringLength()};
  if (text.size() < 2 || text.size() > 20 || text[0] != 'o')
    return std::nullopt;
  std::size_t offset = 0;
  for (auto c : text.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return std::nullopt;
    offset = offset * 10 + static_cast<std::size_t>(c - '0');
  }
  return offset;
}

std::string tools_page(const server& s, page p, std::string_view version) {
  return write_page("tools", s.tools(), p, version, [&](json_writer& w, const tool& t) {
    w.begin_object().member("name", t.name);
    if (at_least(version, v2025_06_18))
      w.optional_member("title", t.title);
    w.optional_member("description", t.description);
    w.raw_member("inputSchema", t.input_schema.text);
    if (at_least(version, v2025_06_18))
      w.optional_raw_member("outputSchema", t.output_schema.text);
    if (at_least(version, v2025_03_26))
      w.optional_raw_member("annotations", t.annotations.text);
    w.end_object();
  });
}

namespace {

// The members resources and templates share after their identifying ones.
void write_description(json_writer& w, const std::string& name, const std::string& title,
                       const std::string& description, const std::string& mime_type,
                       std::string_view version) {
  w.member("name", name);
  if (at_least(version, v2025_06_18))
    w.optional_member("title", title);
  w.optional_member("description", description).optional_member("mimeType", mime_type);
}

} // namespace

std::string resources_page(const server& s, page p, std::string_view version) {
  return write_page("resources", s.resources(), p, version, [&](json_writer& w, const resource& r) {
    w.begin_object().member("uri", r.uri);
    write_description(w, r.name, r.title, r.description, r.mime_type, version);
    w.end_object();
  });
}

std::string templates_page(const server& s, page p, std::string_view version) {
  return write_page("resourceTemplates", s.resource_templates(), p, version,
                    [&](json_writer& w, const resource_template& t) {
                      w.begin_object().member("uriTemplate", t.uri_template);
                      write_description(w, t.name, t.title, t.description, t.mime_type, version);
                      w.end_object();
                    });
}

std::string prompts_page(const server& s, page p, std::string_view version) {
  return write_page("prompts", s.prompts(), p, version, [&](json_writer& w, const prompt& pr) {
    w.begin_object().member("name", pr.name);
    if (at_least(version, v2025_06_18))
      w.optional_member("title", pr.title);
    w.optional_member("description", pr.description);
    if (!pr.arguments.empty()) {
      w.key("arguments").begin_array();
      for (auto& a : pr.arguments) {
        w.begin_object().member("name", a.name).optional_member("description", a.description);
        w.key("required").boolean(a.required).end_object();
      }
      w.end_array();
    }
    w.end_object();
  });
}

std::string tool_call_result(const tool_result& r, std::string_view version) {
  json_writer w;
  w.begin_object();
  write_result_type(w, version);
  w.key("content").begin_array();
  for (auto& c : r.content)
    w.raw(c.json.text);
  w.end_array();
  if (at_least(version, v2025_06_18))
    w.optional_raw_member("structuredContent", r.structured.text);
  if (r.is_error)
    w.key("isError").boolean(true);
  w.end_object();
  return w.str();
}

std::string read_result(const std::vector<resource_contents>& contents, std::string_view version) {
  json_writer w;
  w.begin_object();
  write_result_type(w, version);
  w.key("contents").begin_array();
  for (auto& c : contents)
    write_contents(w, c);
  w.end_array().end_object();
  return w.str();
}

std::string prompt_get_result(const prompt_result& r, std::string_view version) {
  json_writer w;
  w.begin_object();
  write_result_type(w, version);
  w.optional_member("description", r.description);
  w.key("messages").begin_array();
  for (auto& m : r.messages)
    w.begin_object().member("role", m.role).raw_member("content", m.body.json.text).end_object();
  w.end_array().end_object();
  return w.str();
}

std::string completion_result_json(const completion_result& r, std::string_view version) {
  // The schema caps values at 100 per response.
  constexpr std::size_t values_max = 100;
  json_writer w;
  w.begin_object();
  write_result_type(w, version);
  w.key("completion").begin_object().key("values").begin_array();
  for (std::size_t i = 0; i < r.values.size() && i < values_max; ++i)
    w.string(r.values[i]);
  w.end_array();
  if (r.total)
    w.key("total").integer(*r.total);
  w.key("hasMore").boolean(r.has_more || r.values.size() > values_max);
  w.end_object().end_object();
  return w.str();
}

std::string empty_result(std::string_view version) {
  json_writer w;
  w.begin_object();
  write_result_type(w, version);
  w.end_object();
  return w.str();
}

std::optional<template_variables> match_uri_template(std::string_view uri_template,
                                                     std::string_view uri) {
  template_variables vars;
  std::size_t t = 0;
  std::size_t u = 0;
  while (t < uri_template.size()) {
    if (uri_template[t] != '{') {
      if (u >= uri.size() || uri[u] != uri_template[t])
        return std::nullopt;
      ++t;
      ++u;
      continue;
    }
    auto close = uri_template.find('}', t);
    if (close == std::string_view::npos)
      return std::nullopt;
    auto name = uri_template.substr(t + 1, close - t - 1);
    t = close + 1;
    // A variable ends at the template's next literal character (or '/' at the end).
    char stop = t < uri_template.size() ? uri_template[t] : '/';
    auto end = uri.find(stop, u);
    if (t >= uri_template.size())
      end = uri.find('/', u);
    if (end == std::string_view::npos)
      end = uri.size();
    if (end == u)
      return std::nullopt;
    vars.emplace(std::string{name}, std::string{uri.substr(u, end - u)});
    u = end;
  }
  if (u != uri.size())
    return std::nullopt;
  return vars;
}

std::string progress_notification(std::string_view token_json, double progress,
                                  std::optional<double> total, std::string_view message) {
  json_writer w;
  w.begin_object().raw_member("progressToken", token_json).key("progress").number(progress);
  if (total)
    w.key("total").number(*total);
  w.optional_member("message", message).end_object();
  return w.str();
}

std::string log_notification(log_level level, std::string_view logger, std::string_view data_json) {
  json_writer w;
  w.begin_object().member("level", to_string(level)).optional_member("logger", logger);
  w.raw_member("data", data_json.empty() ? std::string_view{"null"} : data_json).end_object();
  return w.str();
}

std::string cancelled_notification(std::string_view request_id_json, std::string_view reason) {
  json_writer w;
  w.begin_object().raw_member("requestId", request_id_json).optional_member("reason", reason);
  w.end_object();
  return w.str();
}

std::string resource_updated_notification(std::string_view uri) {
  json_writer w;
  w.begin_object().member("uri", uri).end_object();
  return w.str();
}

std::string initialize_params(const implementation_info& client, std::string_view version,
                              std::string_view capabilities_json) {
  json_writer w;
  w.begin_object().member("protocolVersion", version);
  w.raw_member("capabilities",
               capabilities_json.empty() ? std::string_view{"{}"} : capabilities_json);
  w.key("clientInfo");
  write_implementation(w, client, version);
  w.end_object();
  return w.str();
}

namespace {

// A JSON object parsed from `text` ("{}" when empty or not an object).
void parse_object(json_document& doc, std::string_view text) {
  doc.Parse(text.empty() ? "{}" : text.data(), text.empty() ? 2 : text.size());
  if (doc.HasParseError() || !doc.IsObject())
    doc.SetObject();
}

// Sets params._meta[key] = value, creating _meta as needed.
void set_meta(json_document& params, std::string_view key, json_value value) {
  auto& a = params.GetAllocator();
  if (!params.HasMember("_meta") || !params["_meta"].IsObject()) {
    params.RemoveMember("_meta");
    params.AddMember("_meta", json_value{rapidjson::kObjectType}, a);
  }
  auto& meta = params["_meta"];
  json_value name{key.data(), static_cast<rapidjson::SizeType>(key.size()), a};
  meta.RemoveMember(name);
  meta.AddMember(name, value, a);
}

} // namespace

json_text with_progress_token(std::string_view params, std::string_view token_json) {
  json_document doc;
  parse_object(doc, params);
  json_document token;
  token.Parse(token_json.data(), token_json.size());
  set_meta(doc, "progressToken", json_value{token, doc.GetAllocator()});
  return {to_json(doc)};
}

json_text with_request_meta(std::string_view params, std::string_view version,
                            const implementation_info& client, std::string_view capabilities_json) {
  json_document doc;
  parse_object(doc, params);
  auto& a = doc.GetAllocator();
  json_document caps;
  parse_object(caps, capabilities_json);
  json_value info{rapidjson::kObjectType};
  info.AddMember("name", json_value{client.name.c_str(), a}, a);
  info.AddMember("version", json_value{client.version.c_str(), a}, a);
  set_meta(doc, meta_protocol_version,
           json_value{version.data(), static_cast<rapidjson::SizeType>(version.size()), a});
  set_meta(doc, meta_client_capabilities, json_value{caps, a});
  set_meta(doc, meta_client_info, std::move(info));
  return {to_json(doc)};
}

} // namespace mcp::protocol
