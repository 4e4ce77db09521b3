// echo_server: the smallest useful MCP server, as the README shows it. One tool, `echo`,
// served over stdio.
#include <mcp/runtime.hpp>
#include <mcp/stdio.hpp>

int main() {
  mcp::server srv{{"demo", "1.0.0"}};
  srv.add_tool(
      {"echo",
       "Echoes its text",
       {R"({"type":"object","properties":{"text":{"type":"string"}},"required":["text"]})"},
       [](const mcp::json_value& args, mcp::request_context& ctx) {
         ctx.progress(1, 1);
         auto text = mcp::get_string(args, "text");
         if (!text)
           throw mcp::rpc_error{mcp::rpc_error::invalid_params, "text must be a string"};
         return mcp::tool_result{{mcp::content_block::text(*text)}};
       }});
  mcp::server_runtime rt{srv};
  mcp::serve_stdio(rt);
}
