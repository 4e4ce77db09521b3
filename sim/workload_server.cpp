#include "sim/workload_server.hpp"

namespace mcp::sim {

namespace {

tool_result text(std::string s) {
  return tool_result{{content_block::text(std::move(s))}, {}, false};
}

} // namespace

server make_workload_server(const scenario& s) {
  server srv{{"mcp-sim", "1.0.0", "Simulated server"}};
  srv.add_tool(
      {"echo",
       "Echoes its text",
       {R"({"type":"object","properties":{"text":{"type":"string"}},"required":["text"]})"},
       [](const json_value& args, request_context&) {
         auto t = get_string(args, "text");
         if (!t)
           throw rpc_error{rpc_error::invalid_params, "arguments.text must be a string"};
         return text(*t);
       }});
  srv.add_tool({"progress",
                "Reports `steps` progress notifications, then answers",
                {R"({"type":"object","properties":{"steps":{"type":"integer"}}})"},
                [](const json_value& args, request_context& ctx) {
                  auto steps = get_int(args, "steps").value_or(3);
                  for (std::int64_t i = 1; i <= steps; ++i)
                    ctx.progress(static_cast<double>(i), static_cast<double>(steps));
                  return text("done " + std::to_string(steps));
                }});
  if (!s.publish.uri.empty())
    srv.add_resource({s.publish.uri, "feed", [](const std::string& uri, request_context&) {
                        return std::vector<resource_contents>{{uri, "text/plain", "feed", {}}};
                      }});
  return srv;
}

} // namespace mcp::sim
