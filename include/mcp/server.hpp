// Defining an MCP server: tools, resources, resource templates, prompts and completions.
// The definition is plain data plus handlers; a `server_runtime` serves it.
//
//   mcp::server srv{{"demo", "1.0.0"}};
//   srv.add_tool({"echo", "Echoes its text", R"({"type":"object","properties":
//                  {"text":{"type":"string"}},"required":["text"]})",
//                 [](const mcp::json_value& args, mcp::request_context&) {
//                   mcp::tool_result r;
//                   r.content.push_back(mcp::content_block::text(*mcp::get_string(args, "text")));
//                   return r;
//                 }});
//   mcp::server_runtime rt{srv};
//   mcp::serve_stdio(rt);  // include <mcp/stdio.hpp>
#pragma once

#include <mcp/content.hpp>
#include <mcp/context.hpp>
#include <mcp/errors.hpp>
#include <mcp/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mcp {

struct implementation_info {
  std::string name;
  std::string version;
  std::string title; // optional display name (2025-06-18+)
};

using tool_handler = std::function<tool_result(const json_value& arguments, request_context&)>;

struct tool {
  std::string name;
  std::string description;
  json_text input_schema{R"({"type":"object"})"};
  tool_handler handler;
  std::string title;       // optional
  json_text output_schema; // optional, 2025-06-18+
  json_text annotations;   // optional ToolAnnotations object
  // false: a quick handler that never waits (no I/O, no request to the client) runs on its
  // request's actor instead of a worker thread, two thread hand-offs fewer per call. It may
  // report progress and log; a request to the client fails at once.
  bool may_block = true;
};

using resource_reader =
    std::function<std::vector<resource_contents>(const std::string& uri, request_context&)>;

struct resource {
  std::string uri;
  std::string name;
  resource_reader reader;
  std::string description;
  std::string mime_type;
  std::string title;
};

// Variables of a matched URI template: "test://template/{id}/data" read as
// "test://template/42/data" gives {"id": "42"}.
using template_variables = std::map<std::string, std::string>;
using template_reader = std::function<std::vector<resource_contents>(
    const std::string& uri, const template_variables&, request_context&)>;

struct resource_template {
  std::string uri_template; // RFC 6570 level 1: {name} expands to one path segment
  std::string name;
  template_reader reader;
  std::string description;
  std::string mime_type;
  std::string title;
};

struct prompt_argument {
  std::string name;
  std::string description;
  bool required = false;
};

using prompt_arguments = std::map<std::string, std::string>;
using prompt_getter = std::function<prompt_result(const prompt_arguments&, request_context&)>;

struct prompt {
  std::string name;
  std::string description;
  std::vector<prompt_argument> arguments;
  prompt_getter getter;
  std::string title;
};

// completion/complete: which prompt argument or template variable is being typed.
struct completion_request {
  std::string ref_type; // "ref/prompt" or "ref/resource"
  std::string ref_name; // prompt name or template URI
  std::string argument_name;
  std::string argument_value;
  std::map<std::string, std::string> context_arguments; // already resolved ones
};

using completion_handler = std::function<completion_result(const completion_request&)>;

// The catalog a server offers. Copyable: the runtime serves immutable snapshots of it.
class server {
public:
  explicit server(implementation_info info, std::string instructions = {});

  // Throws std::invalid_argument for a tool without name or handler, or whose schema or
  // annotations are not a JSON object.
  server& add_tool(tool t);
  server& add_resource(resource r);
  server& add_resource_template(resource_template t);
  server& add_prompt(prompt p);
  server& set_completion(completion_handler h);

  // Removes by name (tool, prompt) or URI (resource); false when absent.
  bool remove_tool(const std::string& name);
  bool remove_resource(const std::string& uri);
  bool remove_prompt(const std::string& name);

  const implementation_info& info() const { return info_; }
  const std::string& instructions() const { return instructions_; }
  const std::vector<tool>& tools() const { return tools_; }
  const std::vector<resource>& resources() const { return resources_; }
  const std::vector<resource_template>& resource_templates() const { return templates_; }
  const std::vector<prompt>& prompts() const { return prompts_; }
  const completion_handler& completion() const { return completion_; }

  const tool* find_tool(const std::string& name) const;
  const resource* find_resource(const std::string& uri) const;
  const prompt* find_prompt(const std::string& name) const;

private:
  implementation_info info_;
  std::string instructions_;
  std::vector<tool> tools_;
  std::vector<resource> resources_;
  std::vector<resource_template> templates_;
  std::vector<prompt> prompts_;
  completion_handler completion_;
};

} // namespace mcp
