#include "actors/server_methods.hpp"

#include "protocol/json_writer.hpp"
#include "protocol/mcp_model.hpp"

#include <mcp/errors.hpp>

namespace mcp::actors {

namespace {

namespace method = protocol::method;

const json_value& params_of(const jsonrpc::message& m) {
  static const json_value empty_object{rapidjson::kObjectType};
  return m.params != nullptr && m.params->IsObject() ? *m.params : empty_object;
}

std::string required_string(const jsonrpc::message& m, std::string_view name) {
  auto value = get_string(params_of(m), name);
  if (!value)
    throw rpc_error{rpc_error::invalid_params, "params." + std::string{name} + " must be a string"};
  return *value;
}

protocol::page page_of(const jsonrpc::message& m, std::size_t page_size) {
  auto offset = protocol::parse_cursor(m.params);
  if (!offset)
    throw rpc_error{rpc_error::invalid_params, "params.cursor is not a cursor this server issued"};
  return {*offset, page_size};
}

// `t`: the tool the request names, looked up once when the request arrived (null: none).
std::string call_tool(const tool* t, const jsonrpc::message& m, request_context& ctx) {
  if (t == nullptr)
    throw rpc_error{rpc_error::invalid_params, "unknown tool: " + required_string(m, "name")};
  static const json_value no_arguments{rapidjson::kObjectType};
  auto* arguments = find_member(params_of(m), "arguments");
  if (arguments != nullptr && !arguments->IsObject() && !arguments->IsNull())
    throw rpc_error{rpc_error::invalid_params, "params.arguments must be an object"};
  const auto& args = arguments != nullptr && arguments->IsObject() ? *arguments : no_arguments;
  tool_result result;
  try {
    result = t->handler(args, ctx);
  } catch (const rpc_error&) {
    throw;
  } catch (const std::exception& e) {
    // A failing tool is a result the model should see, not a protocol error.
    result = tool_result{{content_block::text(e.what())}, {}, true};
  }
  return protocol::tool_call_result(result, ctx.protocol_version());
}

std::string read_resource(const server& s, const jsonrpc::message& m, request_context& ctx) {
  auto uri = required_string(m, "uri");
  if (auto* r = s.find_resource(uri))
    return protocol::read_result(r->reader(uri, ctx), ctx.protocol_version());
  for (auto& t : s.resource_templates())
    if (auto vars = protocol::match_uri_template(t.uri_template, uri))
      return protocol::read_result(t.reader(uri, *vars, ctx), ctx.protocol_version());
  protocol::json_writer data;
  data.begin_object().member("uri", uri).end_object();
  throw rpc_error{rpc_error::resource_not_found, "Resource not found: " + uri,
                  json_text{data.str()}};
}

std::string get_prompt(const server& s, const jsonrpc::message& m, request_context& ctx) {
  auto name = required_string(m, "name");
  auto* p = s.find_prompt(name);
  if (p == nullptr)
    throw rpc_error{rpc_error::invalid_params, "unknown prompt: " + name};
  prompt_arguments args;
  if (auto* given = find_member(params_of(m), "arguments"); given != nullptr && given->IsObject()) {
    for (auto& member : given->GetObject()) {
      if (!member.value.IsString())
        throw rpc_error{rpc_error::invalid_params, "prompt arguments must be strings"};
      args.emplace(member.name.GetString(), member.value.GetString());
    }
  }
  for (auto& a : p->arguments)
    if (a.required && args.count(a.name) == 0)
      throw rpc_error{rpc_error::invalid_params, "missing required argument: " + a.name};
  return protocol::prompt_get_result(p->getter(args, ctx), ctx.protocol_version());
}

std::string complete(const server& s, const jsonrpc::message& m, request_context& ctx) {
  auto& params = params_of(m);
  auto* ref = find_member(params, "ref");
  auto* argument = find_member(params, "argument");
  if (ref == nullptr || argument == nullptr)
    throw rpc_error{rpc_error::invalid_params, "params.ref and params.argument are required"};
  completion_request req;
  req.ref_type = get_string(*ref, "type").value_or("");
  if (req.ref_type == "ref/prompt")
    req.ref_name = get_string(*ref, "name").value_or("");
  else if (req.ref_type == "ref/resource")
    req.ref_name = get_string(*ref, "uri").value_or("");
  else
    throw rpc_error{rpc_error::invalid_params,
                    "params.ref.type must be ref/prompt or ref/resource"};
  auto name = get_string(*argument, "name");
  auto value = get_string(*argument, "value");
  if (!name || !value)
    throw rpc_error{rpc_error::invalid_params, "params.argument needs a name and a value"};
  req.argument_name = *name;
  req.argument_value = *value;
  if (auto* context = find_member(params, "context"))
    if (auto* resolved = find_member(*context, "arguments"); resolved && resolved->IsObject())
      for (auto& member : resolved->GetObject())
        if (member.value.IsString())
          req.context_arguments.emplace(member.name.GetString(), member.value.GetString());
  return protocol::completion_result_json(s.completion()(req), ctx.protocol_version());
}

} // namespace

catalog_handler catalog_method(const jsonrpc::message& request, const catalog_ptr& catalog,
                               std::size_t page_size) {
  std::string_view name = request.method;
  bool quick = true;
  auto page = [page_size](auto write) {
    return [page_size, write](const server& s, const jsonrpc::message& m, request_context& ctx) {
      return write(s, page_of(m, page_size), ctx.protocol_version());
    };
  };
  std::function<std::string(const server&, const jsonrpc::message&, request_context&)> body;
  if (name == method::tools_list)
    body = page(protocol::tools_page);
  else if (name == method::tools_call) {
    auto tool_name = get_string(params_of(request), "name");
    auto* t = tool_name ? catalog->find_tool(*tool_name) : nullptr; // lives as long as catalog
    quick = t != nullptr && !t->may_block;
    body = [t](const server&, const jsonrpc::message& m, request_context& ctx) {
      return call_tool(t, m, ctx);
    };
  } else if (name == method::resources_list)
    body = page(protocol::resources_page);
  else if (name == method::resources_templates_list)
    body = page(protocol::templates_page);
  else if (name == method::resources_read) {
    body = read_resource;
    quick = false;
  } else if (name == method::prompts_list)
    body = page(protocol::prompts_page);
  else if (name == method::prompts_get) {
    body = get_prompt;
    quick = false;
  } else if (name == method::completion_complete && catalog->completion()) {
    body = complete;
    quick = false;
  }
  if (!body)
    return {};
  return {[catalog, body](const jsonrpc::message& m, request_context& ctx) {
            return body(*catalog, m, ctx);
          },
          quick};
}

} // namespace mcp::actors
