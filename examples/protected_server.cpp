// protected_server: an MCP server that only answers holders of a bearer token, as an
// OAuth 2.1 resource server (MCP authorization, 2025-06-18 and later). Tokens come from
// a static table given on the command line, each for one subject with the scope
// "mcp:tools"; a real deployment puts a verifier of its authorization server's tokens
// (JWT signature or introspection) in `verify` instead.
//
//   protected_server --token s3cret=alice --authorization-server https://auth.example.com
//   curl -i http://127.0.0.1:3002/.well-known/oauth-protected-resource/mcp
#include <mcp/auth.hpp>
#include <mcp/http.hpp>
#include <mcp/runtime.hpp>

#include <csignal>
#include <iostream>
#include <map>
#include <string>

int main(int argc, char** argv) {
  mcp::http_options http;
  http.port = 3002;
  mcp::oauth_resource auth;
  auth.scopes_supported = auth.required_scopes = {"mcp:tools"};
  auth.resource_name = "mcp-sse protected example";
  std::map<std::string, mcp::token_info> tokens;
  for (int i = 1; i < argc; i += 2) {
    std::string arg = argv[i];
    std::string value = i + 1 < argc ? argv[i + 1] : "";
    if (arg == "--token" && value.find('=') != std::string::npos) {
      tokens[value.substr(0, value.find('='))] = {
          value.substr(value.find('=') + 1), {"mcp:tools"}, {}, {}};
    } else if (arg == "--authorization-server" && !value.empty()) {
      auth.authorization_servers.push_back(value);
    } else if (arg == "--port" && !value.empty()) {
      http.port = static_cast<std::uint16_t>(std::stoul(value));
    } else {
      std::cerr << "usage: protected_server --token TOKEN=SUBJECT... "
                   "[--authorization-server URL] [--port P]\n";
      return 2;
    }
  }
  auth.verify = mcp::static_token_verifier(std::move(tokens));
  http.oauth = auth;

  mcp::server srv{{"protected", "1.0.0"}};
  srv.add_tool({"echo",
                "Echoes its text",
                {R"({"type":"object"})"},
                [](const mcp::json_value& args, mcp::request_context&) {
                  auto text = mcp::get_string(args, "text").value_or("");
                  return mcp::tool_result{{mcp::content_block::text(text)}};
                }});
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  mcp::server_runtime runtime{srv};
  mcp::http_server server{runtime, http};
  std::cout << "protected_server: Streamable HTTP at " << server.url() << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.stop();
}
