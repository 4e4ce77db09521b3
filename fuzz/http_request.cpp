// The HTTP request path on arbitrary bytes: one connection's worth of requests read by
// Beast's parser with the server's bounds, turned into the edge interface's http_request,
// passed through the edge's own answers (CORS, authentication), then to the real broker
// and sessions, with this target as the exchange. Properties: a malformed request is
// answered 400/413/431 and ends the connection; every request that reaches the broker gets
// exactly one answer (a response, or a stream head) within a bound; a POST's stream ends.
//
// A session id is random, so an input cannot know it: the header value "$" (and the query
// value "sessionId=$") stands for the last session id this input was given.
#include "actors/http_policy.hpp"
#include "actors/messages.hpp"
#include "actors/runtime_internals.hpp"
#include "fuzz/fuzz_check.hpp"
#include "transport/http_request_reader.hpp"

#include <mcp/http.hpp>
#include <mcp/runtime.hpp>

#include <caf/all.hpp>

#include <boost/asio/buffer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace {

namespace actors = mcp::actors;

constexpr auto answer_bound = std::chrono::seconds{5};
// A stream that stays open this long without a write is left (a GET, or a waiting POST).
constexpr auto quiet_bound = std::chrono::milliseconds{5};
constexpr std::size_t body_bytes_max = 64 * 1024;

mcp::server catalog() {
  mcp::server s{{"fuzz-server", "1.0.0", "Fuzz"}};
  mcp::tool echo{"echo",
                 "Echoes text",
                 {R"({"type":"object"})"},
                 [](const mcp::json_value& args, mcp::request_context& ctx) {
                   ctx.progress(1, 2.0, "half");
                   auto text = mcp::get_string(args, "text").value_or("");
                   return mcp::tool_result{{mcp::content_block::text(text)}, {}, false};
                 }};
  echo.may_block = false;
  s.add_tool(std::move(echo));
  return s;
}

struct harness {
  mcp::server_runtime runtime{catalog(), [] {
                                mcp::runtime_options o;
                                o.seed = 1;
                                o.bounds.sessions_max = 16;
                                o.bounds.message_bytes_max = body_bytes_max;
                                return o;
                              }()};
  std::shared_ptr<const mcp::http_options> options = std::make_shared<mcp::http_options>();

  harness() { caf::anon_send(runtime.internal().broker, actors::http_atom::value, options); }
};

// Built once and never destroyed: the actor system must not be torn down by static
// destructors after libFuzzer's exit (CAF's own statics may already be gone).
harness& the_harness() {
  static auto* h = new harness;
  return *h;
}

std::string with_session(std::string value, const std::string& session) {
  for (auto at = value.find('$'); at != std::string::npos;
       at = value.find('$', at + session.size())) {
    value.replace(at, 1, session);
    if (session.empty())
      break;
  }
  return value;
}

// Sends one request to the broker and waits for its answer; a session id that the
// response or stream gives replaces `session`.
void exchange(harness& h, actors::http_request request, std::string& session) {
  auto& rt = h.runtime.internal();
  caf::scoped_actor self{rt.system};
  caf::anon_send(rt.broker, actors::http_atom::value, caf::actor{self}, std::move(request));
  auto remember = [&](const actors::http_response& r) {
    for (auto& [name, value] : r.headers)
      if (name == "mcp-session-id")
        session = value;
  };
  bool answered = false, streaming = false, ended = false;
  while (!ended) {
    bool timed_out = false;
    self->receive(
        [&](actors::respond_atom, actors::http_response& r) {
          FUZZ_CHECK(!answered); // exactly one answer
          FUZZ_CHECK(r.status >= 200 && r.status <= 599);
          remember(r);
          answered = ended = true;
        },
        [&](actors::open_atom, actors::http_response& head) {
          FUZZ_CHECK(!answered);
          remember(head);
          answered = streaming = true;
        },
        [&](actors::write_atom, std::string& bytes, std::uint64_t seq) {
          FUZZ_CHECK(streaming);
          if (auto at = bytes.find("sessionId="); at != std::string::npos)
            session = bytes.substr(at + 10, bytes.find_first_of("\r\n&", at) - at - 10);
          if (seq != 0)
            self->send(caf::actor_cast<caf::actor>(self->current_sender()),
                       actors::written_atom::value, seq);
        },
        [&](actors::close_atom) {
          FUZZ_CHECK(streaming);
          ended = true;
        },
        caf::after(answered ? quiet_bound : answer_bound) >> [&] { timed_out = true; });
    if (timed_out) {
      // A stream may stay open (GET, or a POST whose handler waits); any other request
      // must have been answered by now.
      FUZZ_CHECK(answered);
      ended = true;
    }
  }
  // Leaving ends the exchange actor: its session sees the client go, as over TCP.
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& h = the_harness();
  boost::asio::const_buffer input{data, size};
  std::string session;
  while (input.size() > 0) {
    mcp::transport::request_parser parser;
    mcp::transport::apply_bounds(parser, body_bytes_max);
    boost::beast::error_code ec;
    while (input.size() > 0 && !parser.is_done()) {
      auto used = parser.put(input, ec);
      input += used;
      if (ec == boost::beast::http::error::need_more) {
        if (used == 0)
          break;
        ec = {};
      }
      if (ec)
        break;
    }
    if (ec == boost::beast::http::error::need_more || (!ec && !parser.is_done()))
      return 0; // the connection ends mid-request: nothing to answer
    if (ec) {
      auto answer = mcp::transport::read_failure_response(ec, body_bytes_max);
      FUZZ_CHECK(answer &&
                 (answer->status == 400 || answer->status == 413 || answer->status == 431));
      return 0; // the server answers, then closes the connection
    }
    bool keep_alive = parser.keep_alive();
    auto request = mcp::transport::to_request(parser.release());
    for (auto& [name, value] : request.headers)
      if (name == "mcp-session-id")
        value = with_session(value, session);
    request.target = with_session(request.target, session);
    std::optional<std::string> cors_origin;
    if (auto answer = actors::edge_answer(request, *h.options, cors_origin)) {
      FUZZ_CHECK(answer->status == 204 || answer->status == 403 || answer->status == 401);
    } else {
      exchange(h, std::move(request), session);
    }
    if (!keep_alive)
      return 0;
  }
  return 0;
}
