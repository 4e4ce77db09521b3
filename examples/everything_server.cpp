// everything_server: an MCP server with every fixture the official conformance suite
// calls (tools, resources, templates, prompts, completion, logging, progress, sampling,
// elicitation), plus a tool that streams progress for seconds.
//
//   everything_server            serve MCP over stdio (newline-delimited JSON-RPC)
#include <mcp/runtime.hpp>
#include <mcp/server.hpp>
#include <mcp/stdio.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

namespace {

using mcp::content_block;

// A 1x1 red PNG and a minimal WAV, as the conformance suite's reference server sends.
constexpr const char* png_base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8D"
                                   "wHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
constexpr const char* wav_base64 = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

mcp::tool_result text_result(std::string text) {
  return mcp::tool_result{{content_block::text(std::move(text))}, {}, false};
}

// A JSON string literal for log data and request params.
std::string quoted(const std::string& s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w{buffer};
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  return buffer.GetString();
}

void pause_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds{ms}); }

// Fills in "<prefix>: action=..., content=..." from an elicitation reply.
mcp::tool_result elicit(mcp::request_context& ctx, const std::string& params,
                        const std::string& prefix) {
  auto reply = ctx.call_peer("elicitation/create", {params});
  if (!reply.ok())
    return text_result("Elicitation not supported or error: " + reply.error_message);
  auto action = mcp::get_string(*reply.result, "action").value_or("");
  auto* content = mcp::find_member(*reply.result, "content");
  return text_result(prefix + ": action=" + action +
                     ", content=" + (content != nullptr ? mcp::to_json(*content) : "{}"));
}

void add_tools(mcp::server& s) {
  s.add_tool(
      {"test_simple_text",
       "Tests simple text content response",
       {R"({"type":"object"})"},
       [](auto&, auto&) { return text_result("This is a simple text response for testing."); }});
  s.add_tool({"test_image_content",
              "Tests image content response",
              {R"({"type":"object"})"},
              [](auto&, auto&) {
                return mcp::tool_result{{content_block::image(png_base64, "image/png")}, {}, false};
              }});
  s.add_tool({"test_audio_content",
              "Tests audio content response",
              {R"({"type":"object"})"},
              [](auto&, auto&) {
                return mcp::tool_result{{content_block::audio(wav_base64, "audio/wav")}, {}, false};
              }});
  s.add_tool({"test_embedded_resource",
              "Tests embedded resource content response",
              {R"({"type":"object"})"},
              [](auto&, auto&) {
                return mcp::tool_result{
                    {content_block::embedded_text("test://embedded-resource", "text/plain",
                                                  "This is an embedded resource content.")},
                    {},
                    false};
              }});
  s.add_tool({"test_multiple_content_types",
              "Tests response with multiple content types (text, image, resource)",
              {R"({"type":"object"})"},
              [](auto&, auto&) {
                return mcp::tool_result{{content_block::text("Multiple content types test:"),
                                         content_block::image(png_base64, "image/png"),
                                         content_block::embedded_text(
                                             "test://mixed-content-resource", "application/json",
                                             R"({"test":"data","value":123})")},
                                        {},
                                        false};
              }});
  s.add_tool({"test_tool_with_logging",
              "Tests tool that emits log messages during execution",
              {R"({"type":"object"})"},
              [](auto&, mcp::request_context& ctx) {
                ctx.log(mcp::log_level::info, {}, {quoted("Tool execution started")});
                pause_ms(50);
                ctx.log(mcp::log_level::info, {}, {quoted("Tool processing data")});
                pause_ms(50);
                ctx.log(mcp::log_level::info, {}, {quoted("Tool execution completed")});
                return text_result("Tool with logging executed successfully");
              }});
  s.add_tool({"test_tool_with_progress",
              "Tests tool that reports progress notifications",
              {R"({"type":"object"})"},
              [](auto&, mcp::request_context& ctx) {
                for (int step : {0, 50, 100}) {
                  ctx.progress(step, 100.0, "Completed step " + std::to_string(step) + " of 100");
                  if (step < 100)
                    pause_ms(50);
                }
                return text_result("Progress reported");
              }});
  s.add_tool({"test_error_handling",
              "Tests error response handling",
              {R"({"type":"object"})"},
              [](auto&, auto&) -> mcp::tool_result {
                throw std::runtime_error("This tool intentionally returns an error for testing");
              }});
  s.add_tool(
      {"test_sampling",
       "Tests server-initiated sampling (LLM completion request)",
       {R"({"type":"object","properties":{"prompt":{"type":"string","description":"The prompt to send to the LLM"}},"required":["prompt"]})"},
       [](const mcp::json_value& args, mcp::request_context& ctx) {
         auto prompt = mcp::get_string(args, "prompt").value_or("");
         auto reply =
             ctx.call_peer("sampling/createMessage",
                           {R"({"messages":[{"role":"user","content":{"type":"text","text":)" +
                            quoted(prompt) + R"(}}],"maxTokens":100})"});
         if (!reply.ok())
           return text_result("Sampling not supported or error: " + reply.error_message);
         auto* content = mcp::find_member(*reply.result, "content");
         auto text = content != nullptr ? mcp::get_string(*content, "text") : std::nullopt;
         return text_result("LLM response: " + text.value_or("No response"));
       }});
  s.add_tool(
      {"test_elicitation",
       "Tests server-initiated elicitation (user input request)",
       {R"({"type":"object","properties":{"message":{"type":"string","description":"The message to show the user"}},"required":["message"]})"},
       [](const mcp::json_value& args, mcp::request_context& ctx) {
         auto message = mcp::get_string(args, "message").value_or("");
         return elicit(
             ctx,
             R"({"mode":"form","message":)" + quoted(message) +
                 R"(,"requestedSchema":{"type":"object","properties":{"response":{"type":"string","description":"User's response"}},"required":["response"]}})",
             "User response");
       }});
  s.add_tool(
      {"test_elicitation_sep1034_defaults",
       "Tests elicitation with default values per SEP-1034",
       {R"({"type":"object"})"},
       [](auto&, mcp::request_context& ctx) {
         return elicit(
             ctx,
             R"({"mode":"form","message":"Please review and update the form fields with defaults","requestedSchema":{"type":"object","properties":{"name":{"type":"string","description":"User name","default":"John Doe"},"age":{"type":"integer","description":"User age","default":30},"score":{"type":"number","description":"User score","default":95.5},"status":{"type":"string","description":"User status","enum":["active","inactive","pending"],"default":"active"},"verified":{"type":"boolean","description":"Verification status","default":true}},"required":[]}})",
             "Elicitation completed");
       }});
  s.add_tool(
      {"slow_progress",
       "Reports progress every 100 ms for `seconds` seconds",
       {R"({"type":"object","properties":{"seconds":{"type":"integer","minimum":1,"maximum":60}}})"},
       [](const mcp::json_value& args, mcp::request_context& ctx) {
         auto steps = mcp::get_int(args, "seconds").value_or(3) * 10;
         for (std::int64_t i = 1; i <= steps; ++i) {
           if (ctx.cancelled())
             return text_result("cancelled");
           pause_ms(100);
           ctx.progress(static_cast<double>(i), static_cast<double>(steps));
         }
         return text_result("done after " + std::to_string(steps) + " steps");
       }});
}

mcp::resource_contents text_contents(std::string uri, std::string mime, std::string text) {
  return {std::move(uri), std::move(mime), std::move(text), std::nullopt};
}

void add_resources(mcp::server& s) {
  s.add_resource({"test://static-text", "static-text",
                  [](const std::string& uri, auto&) {
                    return std::vector{text_contents(
                        uri, "text/plain", "This is the content of the static text resource.")};
                  },
                  "A static text resource for testing", "text/plain", "Static Text Resource"});
  s.add_resource(
      {"test://static-binary", "static-binary",
       [](const std::string& uri, auto&) {
         return std::vector{mcp::resource_contents{uri, "image/png", std::nullopt, png_base64}};
       },
       "A static binary resource (image) for testing", "image/png", "Static Binary Resource"});
  s.add_resource({"test://watched-resource", "watched-resource",
                  [](const std::string& uri, auto&) {
                    return std::vector{
                        text_contents(uri, "text/plain", "Watched resource content")};
                  },
                  "A resource that reports updates", "text/plain", "Watched Resource"});
  s.add_resource_template(
      {"test://template/{id}/data", "template",
       [](const std::string& uri, const mcp::template_variables& vars, auto&) {
         auto id = vars.at("id");
         return std::vector{text_contents(uri, "application/json",
                                          R"({"id":)" + quoted(id) +
                                              R"(,"templateTest":true,"data":)" +
                                              quoted("Data for ID: " + id) + "}")};
       },
       "A resource template with parameter substitution", "application/json", "Resource Template"});
}

mcp::prompt_message user(mcp::content_block body) { return {"user", std::move(body)}; }

void add_prompts(mcp::server& s) {
  s.add_prompt({"test_simple_prompt",
                "A simple prompt without arguments",
                {},
                [](auto&, auto&) {
                  return mcp::prompt_result{
                      {}, {user(content_block::text("This is a simple prompt for testing."))}};
                },
                "Simple Test Prompt"});
  s.add_prompt({"test_prompt_with_arguments",
                "A prompt with required arguments",
                {{"arg1", "First test argument", true}, {"arg2", "Second test argument", true}},
                [](const mcp::prompt_arguments& args, auto&) {
                  return mcp::prompt_result{
                      {},
                      {user(content_block::text("Prompt with arguments: arg1='" + args.at("arg1") +
                                                "', arg2='" + args.at("arg2") + "'"))}};
                },
                "Prompt With Arguments"});
  s.add_prompt({"test_prompt_with_embedded_resource",
                "A prompt that includes an embedded resource",
                {{"resourceUri", "URI of the resource to embed", true}},
                [](const mcp::prompt_arguments& args, auto&) {
                  return mcp::prompt_result{
                      {},
                      {user(content_block::embedded_text(args.at("resourceUri"), "text/plain",
                                                         "Embedded resource content for testing.")),
                       user(content_block::text("Please process the embedded resource above."))}};
                },
                "Prompt With Embedded Resource"});
  s.add_prompt({"test_prompt_with_image",
                "A prompt that includes image content",
                {},
                [](auto&, auto&) {
                  return mcp::prompt_result{
                      {},
                      {user(content_block::image(png_base64, "image/png")),
                       user(content_block::text("Please analyze the image above."))}};
                },
                "Prompt With Image"});
  s.set_completion([](const mcp::completion_request& req) {
    // Completes the template's id and prompt arguments from a fixed list.
    mcp::completion_result r;
    for (std::string candidate : {"1", "2", "42", "alpha", "beta"})
      if (candidate.rfind(req.argument_value, 0) == 0)
        r.values.push_back(candidate);
    r.total = static_cast<std::int64_t>(r.values.size());
    return r;
  });
}

} // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << "usage: everything_server\n"
                   "Serves MCP over stdio: one JSON-RPC message per line on stdin/stdout.\n";
      return 0;
    }
    std::cerr << "everything_server: unknown argument " << argv[i] << " (try --help)\n";
    return 2;
  }
  mcp::server s{{"mcp-sse-everything", "0.1.0", "mcp-sse everything server"},
                "Fixtures of the MCP conformance suite, served by mcp-sse."};
  add_tools(s);
  add_resources(s);
  add_prompts(s);
  mcp::server_runtime runtime{std::move(s)};
  std::cerr << "everything_server: serving MCP over stdio (one JSON-RPC message per line)\n";
  mcp::serve_stdio(runtime);
  return 0;
}
