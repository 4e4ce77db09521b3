#include <mcp/server.hpp>

#include "protocol/json.hpp"

#include <algorithm>
#include <stdexcept>

namespace mcp {

namespace {

template <class T, class Key>
bool erase_by(std::vector<T>& items, const std::string& wanted, Key key) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return key(x) == wanted; });
  if (it == items.end())
    return false;
  items.erase(it);
  return true;
}

template <class T, class Key>
const T* find_by(const std::vector<T>& items, const std::string& wanted, Key key) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return key(x) == wanted; });
  return it == items.end() ? nullptr : &*it;
}

// Adding an item whose name is taken replaces it: a server has one tool per name.
template <class T, class Key> void upsert(std::vector<T>& items, T item, Key key) {
  auto name = key(item);
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return key(x) == name; });
  if (it == items.end())
    items.push_back(std::move(item));
  else
    *it = std::move(item);
}

// Checks JSON text a user supplied and stores it compact: a schema with line breaks or a
// typo must not reach the wire, where it would break framing or the peer's parser.
void require_object(json_text& text, const std::string& what) {
  constexpr std::size_t schema_depth_max = 256;
  auto parsed = protocol::parse_json(text.text, {text.text.size(), schema_depth_max});
  if (auto* error = std::get_if<protocol::json_parse_error>(&parsed))
    throw std::invalid_argument(what + " is not valid JSON: " + error->message);
  auto& doc = *std::get<protocol::shared_document>(parsed);
  if (!doc.IsObject())
    throw std::invalid_argument(what + " must be a JSON object");
  text.text = to_json(doc);
}

void require_optional_object(json_text& text, const std::string& what) {
  if (!text.empty())
    require_object(text, what);
}

auto tool_name = [](const tool& t) { return t.name; };
auto resource_uri = [](const resource& r) { return r.uri; };
auto template_uri = [](const resource_template& t) { return t.uri_template; };
auto prompt_name = [](const prompt& p) { return p.name; };

} // namespace

server::server(implementation_info info, std::string instructions)
  : info_(std::move(info)), instructions_(std::move(instructions)) {}

server& server::add_tool(tool t) {
  if (t.name.empty() || !t.handler)
    throw std::invalid_argument("a tool needs a name and a handler");
  require_object(t.input_schema, "tool " + t.name + ": input_schema");
  require_optional_object(t.output_schema, "tool " + t.name + ": output_schema");
  require_optional_object(t.annotations, "tool " + t.name + ": annotations");
  upsert(tools_, std::move(t), tool_name);
  return *this;
}

server& server::add_resource(resource r) {
  upsert(resources_, std::move(r), resource_uri);
  return *this;
}

server& server::add_resource_template(resource_template t) {
  upsert(templates_, std::move(t), template_uri);
  return *this;
}

server& server::add_prompt(prompt p) {
  upsert(prompts_, std::move(p), prompt_name);
  return *this;
}

server& server::set_completion(completion_handler h) {
  completion_ = std::move(h);
  return *this;
}

bool server::remove_tool(const std::string& name) { return erase_by(tools_, name, tool_name); }

bool server::remove_resource(const std::string& uri) {
  return erase_by(resources_, uri, resource_uri);
}

bool server::remove_prompt(const std::string& name) {
  return erase_by(prompts_, name, prompt_name);
}

const tool* server::find_tool(const std::string& name) const {
  return find_by(tools_, name, tool_name);
}

const resource* server::find_resource(const std::string& uri) const {
  return find_by(resources_, uri, resource_uri);
}

const prompt* server::find_prompt(const std::string& name) const {
  return find_by(prompts_, name, prompt_name);
}

} // namespace mcp
