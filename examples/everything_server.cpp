// everything_server: an MCP server with every fixture the official conformance suite
// calls (tools, resources, templates, prompts, completion, logging, progress, sampling,
// elicitation), plus a tool that streams progress for seconds.
//
//   everything_server                MCP over HTTP on 127.0.0.1:3001 (/mcp, /sse, /messages)
//   everything_server --port 0       any free port; the URLs are printed
//   everything_server --stdio        MCP over stdio (newline-delimited JSON-RPC)
#include <mcp/http.hpp>
#include <mcp/runtime.hpp>
#include <mcp/redis.hpp>
#include <mcp/server.hpp>
#include <mcp/stdio.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <optional>
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
      {"test_elicitation_sep1330_enums",
       "Tests elicitation with enum schema improvements per SEP-1330",
       {R"({"type":"object"})"},
       [](auto&, mcp::request_context& ctx) {
         return elicit(
             ctx,
             R"js({"mode":"form","message":"Please select options from the enum fields","requestedSchema":{"type":"object","properties":{)js"
             R"js("untitledSingle":{"type":"string","description":"Select one option","enum":["option1","option2","option3"]},)js"
             R"js("titledSingle":{"type":"string","description":"Select one option with titles","oneOf":[{"const":"value1","title":"First Option"},{"const":"value2","title":"Second Option"},{"const":"value3","title":"Third Option"}]},)js"
             R"js("legacyEnum":{"type":"string","description":"Select one option (legacy)","enum":["opt1","opt2","opt3"],"enumNames":["Option One","Option Two","Option Three"]},)js"
             R"js("untitledMulti":{"type":"array","description":"Select multiple options","minItems":1,"maxItems":3,"items":{"type":"string","enum":["option1","option2","option3"]}},)js"
             R"js("titledMulti":{"type":"array","description":"Select multiple options with titles","minItems":1,"maxItems":3,"items":{"anyOf":[{"const":"value1","title":"First Choice"},{"const":"value2","title":"Second Choice"},{"const":"value3","title":"Third Choice"}]}})js"
             R"js(},"required":[]}})js",
             "Elicitation completed");
       }});
  // SEP-1613: the schema is served exactly as written ($schema, $defs, additionalProperties).
  s.add_tool(
      {"json_schema_2020_12_tool",
       "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)",
       {R"({"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",)"
        R"("$defs":{"address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},)"
        R"("properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"}},"additionalProperties":false})"},
       [](const mcp::json_value& args, auto&) {
         return text_result("JSON Schema 2020-12 tool called with: " + mcp::to_json(args));
       }});
  // SEP-1699: closes the SSE stream mid-call; the client resumes with Last-Event-ID and
  // still gets both progress notifications and the result, once each.
  s.add_tool({"test_reconnection",
              "Tests SSE stream disconnection and client reconnection (SEP-1699). The server "
              "closes the stream mid-call and sends the result after the client reconnects.",
              {R"({"type":"object"})"},
              [](auto&, mcp::request_context& ctx) {
                ctx.progress(1, 2.0, "before the stream closes");
                ctx.close_stream();
                pause_ms(100);
                ctx.progress(2, 2.0, "after the stream closed");
                return text_result("Reconnection test completed successfully. If you received "
                                   "this, the client properly reconnected after stream closure.");
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

// Tools that act on the running server: added once the runtime exists.
void add_runtime_tools(mcp::server_runtime& runtime) {
  runtime.update([&runtime](mcp::server& s) {
    s.add_tool({"touch_resource",
                "Notifies the sessions subscribed to a resource that it changed",
                {R"({"type":"object","properties":{"uri":{"type":"string"}},"required":["uri"]})"},
                [&runtime](const mcp::json_value& args, auto&) {
                  auto uri = mcp::get_string(args, "uri").value_or("test://watched-resource");
                  runtime.resource_updated(uri);
                  return text_result("updated " + uri);
                }});
  });
}

struct command_line {
  bool stdio = false;
  mcp::http_options http;
  mcp::log_severity log_level = mcp::log_severity::info;
  std::optional<mcp::redis_options> redis; // share sessions with other instances
};

void usage(std::ostream& out) {
  out << "usage: everything_server [--host H] [--port P] [--json-responses] [--stateless]\n"
         "                         [--stdio] [--log-level L] [--redis URL [--instance N]]\n"
         "  default: MCP over HTTP on 127.0.0.1:3001, Streamable HTTP at /mcp and the\n"
         "  legacy HTTP+SSE transport at /sse + /messages\n"
         "  --port 0         any free port (printed)\n"
         "  --json-responses answer POSTed requests with JSON instead of SSE streams\n"
         "  --stateless      serve only stateless 2026-07-28 requests (no sessions)\n"
         "  --stdio          serve MCP over stdio instead (one JSON-RPC message per line)\n"
         "  --log-level L    debug, info (default), warning, error or off: JSON lines on\n"
         "                   standard error\n"
         "  --redis URL      share sessions with the other instances that use this Redis\n"
         "                   (redis://host:port[/db]), so that a load balancer may send any\n"
         "                   request to any instance; default: this process alone\n"
         "  --instance N     this instance's name in the cluster (default: random)\n"
         "  GET /metrics     the server's figures in Prometheus text format\n";
}

std::optional<command_line> parse(int argc, char** argv) {
  command_line cl;
  cl.http.port = 3001;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc)
        return std::nullopt;
      return std::string{argv[++i]};
    };
    if (arg == "--stdio") {
      cl.stdio = true;
    } else if (arg == "--json-responses") {
      cl.http.json_responses = true;
    } else if (arg == "--stateless") {
      cl.http.stateless_only = true;
    } else if (arg == "--log-level") {
      auto v = value();
      auto level = v ? mcp::parse_log_severity(*v) : std::nullopt;
      if (!level)
        return std::nullopt;
      cl.log_level = *level;
    } else if (arg == "--redis" || arg == "--instance") {
      auto v = value();
      if (!v)
        return std::nullopt;
      if (!cl.redis)
        cl.redis.emplace();
      (arg == "--redis" ? cl.redis->url : cl.redis->instance) = *v;
    } else if (arg == "--host") {
      auto v = value();
      if (!v)
        return std::nullopt;
      cl.http.host = *v;
    } else if (arg == "--port") {
      auto v = value();
      if (!v || v->empty() || v->find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(*v) > 65535)
        return std::nullopt;
      cl.http.port = static_cast<std::uint16_t>(std::stoul(*v));
    } else {
      return std::nullopt;
    }
  }
  return cl;
}

} // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    usage(std::cout);
    return 0;
  }
  auto cl = parse(argc, argv);
  if (!cl) {
    usage(std::cerr);
    return 2;
  }
  mcp::server s{{"mcp-sse-everything", "0.1.0", "mcp-sse everything server"},
                "Fixtures of the MCP conformance suite, served by mcp-sse."};
  add_tools(s);
  add_resources(s);
  add_prompts(s);
  mcp::runtime_options options;
  options.log.level = cl->log_level;
  if (cl->stdio) {
    mcp::server_runtime runtime{std::move(s), options};
    add_runtime_tools(runtime);
    std::cerr << "everything_server: serving MCP over stdio (one JSON-RPC message per line)\n";
    mcp::serve_stdio(runtime);
    return 0;
  }
  // Signals are taken by sigwait below, never by a handler on a random thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  if (cl->redis) {
    try {
      options.cluster = mcp::redis_cluster(*cl->redis);
    } catch (const std::exception& e) {
      std::cerr << "everything_server: " << e.what() << "\n";
      return 1;
    }
    std::cout << "everything_server: instance " << options.cluster->instance()
              << " of the cluster at " << cl->redis->url << std::endl;
  }
  mcp::server_runtime runtime{std::move(s), options};
  add_runtime_tools(runtime);
  mcp::http_server http{runtime, cl->http};
  auto base = http.url().substr(0, http.url().size() - cl->http.endpoint.size());
  std::cout << "everything_server: Streamable HTTP at " << http.url() << "\n"
            << "everything_server: legacy HTTP+SSE at " << base << cl->http.sse_path << " (POST "
            << base << cl->http.messages_path << ")" << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cout << "everything_server: stopping" << std::endl;
  http.stop();
  return 0;
}
