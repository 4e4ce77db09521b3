// The HTTP client edge on Boost.Beast: one connection per call (so a long SSE stream never
// blocks a POST), reading the body incrementally and handing it to the caller's actor.
#pragma once

#include "actors/http_client_edge.hpp"

#include <caf/fwd.hpp>

#include <memory>

namespace mcp::transport {

class beast_client_edge final : public actors::http_client_edge {
public:
  explicit beast_client_edge(caf::actor_system& system);
  ~beast_client_edge() override;

  caf::actor start(actors::http_call call, caf::actor reply_to) override;
  // Closes every connection and joins the I/O thread.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace mcp::transport
