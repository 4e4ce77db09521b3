// The request_context a handler sees: it talks to its session by messages only.
#pragma once

#include <mcp/context.hpp>

#include <caf/actor.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace mcp::actors {

class live_context final : public request_context {
public:
  struct setup {
    caf::actor session;
    std::string key;
    std::shared_ptr<std::atomic<bool>> cancelled;
    std::string progress_token;
    std::string protocol_version;
    std::string client_capabilities;
    bool may_block; // false when running inline on an actor
  };

  explicit live_context(setup p) : p_(std::move(p)) {}

  bool cancelled() const override { return p_.cancelled->load(); }
  void progress(double progress, std::optional<double> total, std::string message) override;
  void log(log_level level, std::string logger, json_text data) override;
  peer_reply call_peer(std::string method, json_text params) override;
  void close_stream() override;
  const std::string& protocol_version() const override { return p_.protocol_version; }
  const std::string& client_capabilities() const override { return p_.client_capabilities; }

private:
  setup p_;
  bool has_progress_ = false;
  double last_progress_ = 0;
};

} // namespace mcp::actors
