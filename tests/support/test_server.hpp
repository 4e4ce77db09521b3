// A small catalog for actor and transport tests: an echo tool, a tool that blocks until
// released (for cancellation), a progress tool, a logging tool, a sampling tool, a
// resource, a template and a prompt.
#pragma once

#include <mcp/server.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace mcp::test {

// Lets a test hold a handler until it says so (bounded, so a failing test cannot hang).
class gate {
public:
  void open() {
    std::lock_guard<std::mutex> g{m_};
    open_ = true;
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds bound = std::chrono::seconds{20}) {
    std::unique_lock<std::mutex> g{m_};
    entered_ = true;
    cv_.notify_all();
    return cv_.wait_for(g, bound, [&] { return open_; });
  }
  // Waits until a handler is inside wait().
  bool entered(std::chrono::milliseconds bound = std::chrono::seconds{10}) {
    std::unique_lock<std::mutex> g{m_};
    return cv_.wait_for(g, bound, [&] { return entered_; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
  bool entered_ = false;
};

inline tool_result text(std::string s) {
  return tool_result{{content_block::text(std::move(s))}, {}, false};
}

inline server make_test_server(std::shared_ptr<gate> blocker = std::make_shared<gate>()) {
  server s{{"test-server", "9.9.9", "Test Server"}};
  s.add_tool({"echo",
              "Echoes text",
              {R"({"type":"object","properties":{"text":{"type":"string"}},"required":["text"]})"},
              [](const json_value& args, request_context&) {
                auto t = get_string(args, "text");
                if (!t)
                  throw rpc_error{rpc_error::invalid_params, "arguments.text must be a string"};
                return text(*t);
              }});
  s.add_tool({"block",
              "Waits until the test releases it",
              {R"({"type":"object"})"},
              [blocker](const json_value&, request_context& ctx) {
                blocker->wait();
                return text(ctx.cancelled() ? "cancelled" : "released");
              }});
  s.add_tool({"progress",
              "Reports three steps",
              {R"({"type":"object"})"},
              [](const json_value&, request_context& ctx) {
                ctx.progress(1, 3.0, "one");
                ctx.progress(1, 3.0, "repeated value is ignored");
                ctx.progress(2, 3.0);
                ctx.progress(3, 3.0, "three");
                return text("done");
              }});
  s.add_tool({"log",
              "Logs at debug and error",
              {R"({"type":"object"})"},
              [](const json_value&, request_context& ctx) {
                ctx.log(log_level::debug, "test", {R"("a debug line")"});
                ctx.log(log_level::error, "test", {R"({"detail":"an error line"})"});
                return text("logged");
              }});
  s.add_tool(
      {"ask",
       "Asks the client to sample",
       {R"({"type":"object"})"},
       [](const json_value&, request_context& ctx) {
         auto reply = ctx.call_peer(
             "sampling/createMessage",
             {R"({"messages":[{"role":"user","content":{"type":"text","text":"2+2?"}}],"maxTokens":5})"});
         if (!reply.ok())
           return text("error " + std::to_string(reply.error_code) + ": " + reply.error_message);
         auto* content = find_member(*reply.result, "content");
         return text("client said " + get_string(*content, "text").value_or("?"));
       }});
  s.add_tool({"poll",
              "Closes its stream mid-call; the client resumes it",
              {R"({"type":"object"})"},
              [](const json_value&, request_context& ctx) {
                ctx.progress(1, 2.0, "before");
                ctx.close_stream();
                std::this_thread::sleep_for(std::chrono::milliseconds{50});
                ctx.progress(2, 2.0, "after");
                return text("polled");
              }});
  s.add_tool({"poll_every",
              "Closes its stream after every progress notification",
              {R"({"type":"object"})"},
              [](const json_value&, request_context& ctx) {
                for (int step = 1; step <= 3; ++step) {
                  ctx.progress(step, 3.0);
                  ctx.close_stream();
                  std::this_thread::sleep_for(std::chrono::milliseconds{60});
                }
                return text("survived");
              }});
  s.add_tool({"fail",
              "Throws",
              {R"({"type":"object"})"},
              [](const json_value&, request_context&) -> tool_result {
                throw std::runtime_error("it broke");
              }});
  s.add_resource(
      {"test://doc", "doc",
       [](const std::string& uri, request_context&) {
         return std::vector<resource_contents>{{uri, "text/plain", "the doc", std::nullopt}};
       },
       "A document", "text/plain"});
  s.add_resource_template(
      {"test://item/{id}", "item",
       [](const std::string& uri, const template_variables& v, request_context&) {
         return std::vector<resource_contents>{
             {uri, "text/plain", "item " + v.at("id"), std::nullopt}};
       }});
  s.add_prompt({"greet",
                "Greets someone",
                {{"name", "Who", true}},
                [](const prompt_arguments& a, request_context&) {
                  return prompt_result{"a greeting",
                                       {{"user", content_block::text("Hello " + a.at("name"))}}};
                }});
  return s;
}

} // namespace mcp::test
