#include "actors/client_internals.hpp"
#include "actors/client_session.hpp"
#include "protocol/mcp_model.hpp"
#include "protocol/versions.hpp"

#include <caf/all.hpp>

namespace mcp {

namespace {

actors::method_handler adapt(client_request_handler handler) {
  return [handler = std::move(handler)](const jsonrpc::message& m, request_context& ctx) {
    static const json_value empty_object{rapidjson::kObjectType};
    return handler(m.params != nullptr ? *m.params : empty_object, ctx).text;
  };
}

} // namespace

client::internals::internals(caf::actor_system& system, caf::actor channel, client_options opts,
                             std::unique_ptr<resources> keep)
  : owned(std::move(keep)), options(std::move(opts)), pool(options.bounds.handler_threads) {
  actors::client_session_config config;
  config.channel = channel;
  config.bounds = &options.bounds;
  config.pool = &pool;
  for (auto& [method, handler] : options.request_handlers)
    config.handlers.emplace(method, adapt(handler));
  // Progress for a call that asked with its own handler goes there; the rest to the
  // application's sink.
  config.on_notification = [routes = progress, sink = options.on_notification](
                               const std::string& method, const std::string& params) {
    if (method == protocol::method::progress) {
      json_document doc;
      doc.Parse(params.c_str(), params.size());
      auto* token = doc.HasParseError() ? nullptr : find_member(doc, "progressToken");
      progress_handler handler;
      if (token != nullptr) {
        std::lock_guard<std::mutex> guard{routes->mutex};
        auto it = routes->handlers.find(to_json(*token));
        if (it != routes->handlers.end())
          handler = it->second;
      }
      if (handler) {
        handler(get_number(doc, "progress").value_or(0), get_number(doc, "total"),
                get_string(doc, "message").value_or(""));
        return;
      }
    }
    if (sink)
      sink(method, params);
  };
  session = system.spawn(actors::client_session, std::move(config));
  // Sent before any call can be made, so the channel knows its session first.
  caf::anon_send(channel, actors::connect_atom::value, session);
}

client::internals::~internals() { pool.join(); }

void pending_call::cancel(const std::string& reason) {
  if (cancel_)
    cancel_(reason);
}

client::client(std::unique_ptr<internals> impl) : impl_(std::move(impl)) {}

client::~client() { close(); }

peer_reply client::initialize(const std::string& version) {
  if (version == "auto") {
    // The modern request first; a server that does not understand it is of the
    // handshake era (and, over HTTP, maybe of the legacy transport: the channel finds out).
    auto modern = initialize(std::string{protocol::v2026_07_28});
    if (modern.ok() || modern.error_code == jsonrpc::code::unsupported_protocol_version)
      return modern;
    return initialize(protocol::handshake_versions().back());
  }
  if (protocol::is_stateless_version(version)) {
    // No handshake: server/discover says what the server speaks; every later request
    // carries the version in its _meta.
    version_ = version;
    auto reply = call(std::string{protocol::method::discover}, json_text{"{}"});
    if (!reply.ok())
      version_.clear();
    return reply;
  }
  auto params =
      protocol::initialize_params(impl_->options.info, version, impl_->options.capabilities.text);
  auto reply = call(std::string{protocol::method::initialize}, json_text{params});
  if (reply.ok()) {
    version_ = get_string(*reply.result, "protocolVersion").value_or(version);
    notify(std::string{protocol::method::initialized});
  }
  return reply;
}

pending_call client::call_async(const std::string& method, json_text params,
                                std::optional<std::chrono::milliseconds> timeout,
                                progress_handler on_progress) {
  std::function<void()> stop_progress;
  if (on_progress) {
    auto routes = impl_->progress;
    std::lock_guard<std::mutex> guard{routes->mutex};
    auto token = "\"progress-" + std::to_string(routes->next_token++) + "\"";
    routes->handlers.emplace(token, std::move(on_progress));
    params = protocol::with_progress_token(params.text, token);
    stop_progress = [routes, token] {
      std::lock_guard<std::mutex> g{routes->mutex};
      routes->handlers.erase(token);
    };
  }
  if (protocol::is_stateless_version(version_))
    params = protocol::with_request_meta(params.text, version_, impl_->options.info,
                                         impl_->options.capabilities.text);
  auto slot = std::make_shared<actors::reply_slot>();
  slot->on_fulfil = std::move(stop_progress);
  pending_call call;
  call.reply_ = slot->future();
  auto session = impl_->session;
  // The cancel callback holds the slot only weakly, so the slot still fails by itself
  // if the session drops it.
  std::weak_ptr<actors::reply_slot> weak = slot;
  call.cancel_ = [session, weak](const std::string& reason) {
    if (auto s = weak.lock())
      caf::anon_send(session, actors::cancel_atom::value, actors::reply_slot_ptr{s}, reason);
  };
  auto deadline = timeout.value_or(
      std::chrono::milliseconds{impl_->options.bounds.outgoing_request_timeout_ms});
  caf::anon_send(session, actors::call_atom::value, method, std::move(params.text), std::move(slot),
                 static_cast<std::int64_t>(deadline.count()));
  return call;
}

peer_reply client::call(const std::string& method, json_text params,
                        std::optional<std::chrono::milliseconds> timeout,
                        progress_handler on_progress) {
  return call_async(method, std::move(params), timeout, std::move(on_progress)).reply().get();
}

void client::notify(const std::string& method, json_text params) {
  caf::anon_send(impl_->session, actors::notif_atom::value, method, std::move(params.text));
}

void client::close() {
  if (impl_ == nullptr || impl_->closed)
    return;
  impl_->closed = true;
  caf::anon_send(impl_->session, actors::stop_atom::value);
}

} // namespace mcp
