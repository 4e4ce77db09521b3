// mcp-client: a command-line MCP client over Streamable HTTP.
//
//   mcp-client [--protocol VERSION|auto] [--verbose] URL list-tools
//   mcp-client URL call TOOL '{"arg":1}'
//   mcp-client URL read RESOURCE_URI
//   mcp-client URL get-prompt NAME '{"arg":"value"}'
//   mcp-client --conformance URL      what the official conformance suite's client mode
//                                     runs (the scenario comes from MCP_CONFORMANCE_SCENARIO)
//
// Results go to stdout as JSON; progress goes to stderr (a bar on a terminal, lines
// otherwise). Exit codes: 0 done, 1 the tool reported an error, 2 usage, 3 the call
// failed (connection, protocol or JSON-RPC error).
#include <mcp/client.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <unistd.h>

namespace {

enum exit_code { done = 0, tool_error = 1, usage_error = 2, call_failed = 3 };

void usage(std::ostream& out) {
  out << "usage: mcp-client [--protocol VERSION|auto] [--transport auto|streamable|legacy]\n"
         "                  [--verbose] URL COMMAND [ARGS]\n"
         "  COMMAND: list-tools | call TOOL [ARGUMENTS_JSON] | read RESOURCE_URI\n"
         "           | get-prompt NAME [ARGUMENTS_JSON]\n"
         "  --protocol  the revision to speak (default 2025-11-25); 2026-07-28 is stateless;\n"
         "              auto tries 2026-07-28 first and falls back to the handshake\n"
         "  --transport force the HTTP transport instead of detecting it\n"
         "  --verbose   say which HTTP transport the server speaks\n"
         "       mcp-client --conformance URL   (the conformance suite's client mode)\n";
}

std::string quoted(const std::string& s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w{buffer};
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  return buffer.GetString();
}

// Log messages from the server, on stderr.
void print_log(const std::string& method, const std::string& params) {
  if (method != "notifications/message")
    return;
  mcp::json_document doc;
  doc.Parse(params.c_str());
  if (doc.HasParseError())
    return;
  auto* data = mcp::find_member(doc, "data");
  std::cerr << "[" << mcp::get_string(doc, "level").value_or("log") << "] "
            << (data != nullptr ? mcp::to_json(*data) : "") << "\n";
}

// Progress of the call on stderr: a redrawn bar on a terminal, one line per update
// otherwise.
mcp::progress_handler progress_printer() {
  bool terminal = isatty(STDERR_FILENO) != 0;
  return [terminal](double progress, std::optional<double> total, const std::string& message) {
    if (!terminal || !total || *total <= 0) {
      std::cerr << "progress " << progress;
      if (total)
        std::cerr << "/" << *total;
      std::cerr << " " << message << "\n";
      return;
    }
    constexpr int width = 30;
    auto filled = static_cast<int>(width * std::min(1.0, progress / *total));
    std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(width - filled), ' ') << "] "
              << static_cast<int>(100 * progress / *total) << "% " << message << "\x1b[K"
              << (progress >= *total ? "\n" : "") << std::flush;
  };
}

// Accepts an elicitation with the defaults its schema gives (SEP-1034): what a
// non-interactive client can honestly answer.
mcp::json_text accept_defaults(const mcp::json_value& params, mcp::request_context&) {
  std::string content = "{";
  if (auto* schema = mcp::find_member(params, "requestedSchema"))
    if (auto* properties = mcp::find_member(*schema, "properties");
        properties && properties->IsObject())
      for (auto& p : properties->GetObject())
        if (auto* value = mcp::find_member(p.value, "default")) {
          if (content.size() > 1)
            content += ",";
          content += quoted(p.name.GetString()) + ":" + mcp::to_json(*value);
        }
  return {R"({"action":"accept","content":)" + content + "}}"};
}

int finish(const mcp::peer_reply& reply) {
  if (!reply.ok()) {
    std::cerr << "mcp-client: error " << reply.error_code << ": " << reply.error_message << "\n";
    return call_failed;
  }
  std::cout << mcp::to_json(*reply.result) << "\n";
  auto is_error = mcp::get_bool(*reply.result, "isError");
  return is_error.value_or(false) ? tool_error : done;
}

// The conformance suite's client scenarios: initialize, list the tools, call what the
// scenario's server offers.
int conformance(mcp::client& c) {
  std::string scenario =
      std::getenv("MCP_CONFORMANCE_SCENARIO") ? std::getenv("MCP_CONFORMANCE_SCENARIO") : "";
  auto tools = c.call("tools/list", {"{}"});
  if (!tools.ok())
    return finish(tools);
  if (scenario == "tools_call")
    return finish(c.call("tools/call", {R"({"name":"add_numbers","arguments":{"a":5,"b":3}})"}));
  if (scenario == "elicitation-sep1034-client-defaults")
    return finish(
        c.call("tools/call", {R"({"name":"test_client_elicitation_defaults","arguments":{}})"}));
  if (scenario == "sse-retry")
    return finish(c.call("tools/call", {R"({"name":"test_reconnection","arguments":{}})"}));
  return done;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool conformance_mode = false;
  bool verbose = false;
  std::string protocol = "2025-11-25";
  auto transport = mcp::http_transport::automatic;
  while (!args.empty() && args.front().rfind("--", 0) == 0 && args.front() != "--help") {
    auto flag = args.front();
    args.erase(args.begin());
    if (flag == "--conformance") {
      conformance_mode = true;
    } else if (flag == "--verbose") {
      verbose = true;
    } else if (flag == "--transport" && !args.empty()) {
      auto name = args.front();
      args.erase(args.begin());
      if (name == "streamable")
        transport = mcp::http_transport::streamable;
      else if (name == "legacy")
        transport = mcp::http_transport::legacy;
      else if (name != "auto") {
        usage(std::cerr);
        return usage_error;
      }
    } else if (flag == "--protocol" && !args.empty()) {
      protocol = args.front();
      args.erase(args.begin());
    } else {
      usage(std::cerr);
      return usage_error;
    }
  }
  if (args.empty() || args.front() == "--help" || args.front() == "-h") {
    usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? usage_error : done;
  }
  if (!conformance_mode && args.size() < 2) {
    usage(std::cerr);
    return usage_error;
  }
  // Arguments must be a JSON object: refused here rather than sent to the server.
  if (args.size() >= 4 && (args[1] == "call" || args[1] == "get-prompt")) {
    mcp::json_document parsed;
    parsed.Parse(args[3].c_str());
    if (parsed.HasParseError() || !parsed.IsObject()) {
      std::cerr << "mcp-client: ARGUMENTS_JSON must be a JSON object: " << args[3] << "\n";
      return usage_error;
    }
  }
  mcp::client_options options;
  options.info = {"mcp-sse-client", "0.1.0", "mcp-sse command-line client"};
  options.capabilities = {R"({"elicitation":{}})"};
  options.request_handlers["elicitation/create"] = accept_defaults;
  options.on_notification = print_log;
  options.transport = transport;
  if (verbose)
    options.on_transport = [](const std::string& name) {
      std::cerr << "mcp-client: the server speaks " << name << "\n";
    };
  std::unique_ptr<mcp::client> c;
  try {
    c = mcp::connect_http(args[0], options);
  } catch (const std::exception& e) {
    std::cerr << "mcp-client: " << e.what() << "\n";
    return usage_error;
  }
  auto init = c->initialize(protocol);
  if (!init.ok())
    return finish(init);
  if (conformance_mode)
    return conformance(*c);
  auto& command = args[1];
  auto arg = [&](std::size_t i, const char* fallback) {
    return args.size() > i ? args[i] : std::string{fallback};
  };
  if (command == "list-tools")
    return finish(c->call("tools/list", {"{}"}));
  if (command == "call" && args.size() >= 3)
    return finish(c->call(
        "tools/call", {R"({"name":)" + quoted(args[2]) + R"(,"arguments":)" + arg(3, "{}") + "}"},
        std::nullopt, progress_printer()));
  if (command == "read" && args.size() >= 3)
    return finish(c->call("resources/read", {R"({"uri":)" + quoted(args[2]) + "}"}));
  if (command == "get-prompt" && args.size() >= 3)
    return finish(c->call("prompts/get", {R"({"name":)" + quoted(args[2]) + R"(,"arguments":)" +
                                          arg(3, "{}") + "}"}));
  usage(std::cerr);
  return usage_error;
}
