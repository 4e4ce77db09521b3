#include "actors/session.hpp"

#include "actors/inbound_request.hpp"
#include "actors/server_methods.hpp"
#include "actors/session_cluster.hpp"
#include "actors/session_http.hpp"
#include "actors/session_output.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/mcp_model.hpp"
#include "protocol/versions.hpp"

#include <caf/all.hpp>

namespace mcp::actors {

namespace {

namespace method = protocol::method;
using jsonrpc::code::invalid_params;
using jsonrpc::code::invalid_request;
using jsonrpc::code::method_not_found;
using output::group_id;

enum class phase { uninitialized, operating, closing };

void finish_drain_if_idle(session_actor* self);

// The directory learns what a session taken over elsewhere would need; a failed write is
// counted (the record keeps its earlier state).
void record_changed(session_actor* self) {
  auto& st = self->state;
  if (st.shared != nullptr && !st.store_down && !publish_record(st))
    ++st.observer->stats.cluster_store_errors;
}

const json_value* param(const jsonrpc::message& m, std::string_view name) {
  return m.params == nullptr ? nullptr : find_member(*m.params, name);
}

const json_value* meta_of(const jsonrpc::message& m) {
  auto* meta = param(m, "_meta");
  return meta != nullptr && meta->IsObject() ? meta : nullptr;
}

// The progress token as JSON text, if the caller asked for progress.
std::string progress_token(const jsonrpc::message& m) {
  auto* meta = meta_of(m);
  auto* token = meta == nullptr ? nullptr : find_member(*meta, "progressToken");
  if (token == nullptr || !(token->IsString() || token->IsInt64()))
    return {};
  return to_json(*token);
}

// The protocol version a 2026-07-28 style request declares in its _meta, if any.
std::optional<std::string> stateless_version(const jsonrpc::message& m) {
  auto* meta = meta_of(m);
  if (meta == nullptr)
    return std::nullopt;
  return get_string(*meta, protocol::meta_protocol_version);
}

void reply(session_actor* self, group_id group, const jsonrpc::message& m, std::string result) {
  output::reply(self, group, jsonrpc::encode_result(m.id, result));
}

void reply_error(session_actor* self, group_id group, const jsonrpc::message& m, int code,
                 std::string message, json_text data = {}) {
  output::reply(self, group,
                jsonrpc::encode_error(m.id, {code, std::move(message), std::move(data)}));
}

void spawn_request(session_actor* self, const jsonrpc::message& m, group_id group,
                   const std::string& version, const std::string& client_capabilities) {
  auto& st = self->state;
  auto [handler, quick] = catalog_method(m, st.catalog, st.bounds->list_page_size);
  if (!handler)
    return reply_error(self, group, m, method_not_found, "method not found: " + m.method);
  if (st.inbound.size() >= st.bounds->requests_in_flight_max)
    return reply_error(self, group, m, jsonrpc::code::overloaded,
                       "too many requests in flight; the limit is " +
                           std::to_string(st.bounds->requests_in_flight_max));
  auto key = m.id.key();
  inbound_job job{m,
                  std::move(handler),
                  caf::actor_cast<caf::actor>(self),
                  key,
                  version,
                  client_capabilities,
                  progress_token(m),
                  std::chrono::milliseconds{st.bounds->request_timeout_ms},
                  st.pool,
                  quick,
                  st.observer,
                  st.id};
  st.inbound.emplace(key, self->spawn(inbound_request, std::move(job)));
  if (group)
    output::add_waiting(self, *group, key, m.id.to_json());
}

// A notification on the listen stream, naming its subscription in _meta.
void listen_notify(session_actor* self, std::string_view notification, std::string_view uri = {}) {
  auto& l = *self->state.listening;
  protocol::json_writer params;
  params.begin_object().optional_member("uri", uri).key("_meta").begin_object();
  params.raw_member(protocol::meta_subscription_id, l.id_json).end_object().end_object();
  output::send(self, jsonrpc::encode_notification(notification, params.str()), &l.key, false);
}

// 2026-07-28 subscriptions/listen: the response waits until the subscription ends; the
// stream carries the acknowledgement, then the notifications the filter asks for.
void listen(session_actor* self, const jsonrpc::message& m, group_id group) {
  auto& st = self->state;
  if (st.listening)
    return reply_error(self, group, m, invalid_request, "this session already listens");
  listen_filter l;
  l.key = m.id.key();
  l.id = m.id;
  if (auto* wanted = param(m, "notifications"); wanted != nullptr && wanted->IsObject()) {
    l.tools = get_bool(*wanted, "toolsListChanged").value_or(false);
    l.prompts = get_bool(*wanted, "promptsListChanged").value_or(false);
    l.resources = get_bool(*wanted, "resourcesListChanged").value_or(false);
    if (auto* uris = find_member(*wanted, "resourceSubscriptions"); uris && uris->IsArray())
      for (auto& uri : uris->GetArray())
        if (uri.IsString())
          l.uris.insert(uri.GetString());
  }
  l.id_json = l.id.to_json();
  // Acknowledge only what will be delivered.
  protocol::json_writer ack;
  ack.begin_object().key("_meta").begin_object();
  ack.raw_member(protocol::meta_subscription_id, l.id_json).end_object();
  ack.key("notifications").begin_object();
  for (auto [name, on] : {std::pair{"toolsListChanged", l.tools},
                          {"promptsListChanged", l.prompts},
                          {"resourcesListChanged", l.resources}})
    if (on)
      ack.key(name).boolean(true);
  if (!l.uris.empty()) {
    ack.key("resourceSubscriptions").begin_array();
    for (auto& uri : l.uris)
      ack.string(uri);
    ack.end_array();
  }
  ack.end_object().end_object();
  if (group)
    output::add_waiting(self, *group, l.key, l.id_json);
  st.listening = std::move(l);
  output::send(self, jsonrpc::encode_notification(method::subscriptions_acknowledged, ack.str()),
               &st.listening->key, false);
}

// Ends a subscription gracefully: its response, then its stream closes.
void end_listen(session_actor* self) {
  auto& st = self->state;
  if (!st.listening)
    return;
  auto l = std::move(*st.listening);
  st.listening.reset();
  auto text = jsonrpc::encode_result(l.id, protocol::empty_result(protocol::v2026_07_28));
  output::request_ended(self, l.key, &text);
}

// 2026-07-28: the request carries its version and capabilities; no session state is used.
void serve_stateless(session_actor* self, const jsonrpc::message& m, group_id group,
                     const std::string& version) {
  if (!protocol::is_stateless_version(version)) {
    auto stateless_only = self->state.http && self->state.http->stateless_only;
    return reply_error(self, group, m, jsonrpc::code::unsupported_protocol_version,
                       "Unsupported protocol version",
                       json_text{protocol::unsupported_version_data(version, stateless_only)});
  }
  if (m.method == method::discover)
    return reply(self, group, m, protocol::discover_result(*self->state.catalog));
  if (m.method == method::subscriptions_listen)
    return listen(self, m, group);
  // A stateless request logs only when it asks to, naming the least severe level.
  if (self->state.kind == session_kind::stateless) {
    auto level = get_string(*meta_of(m), protocol::meta_log_level);
    self->state.min_log_level = level ? parse_log_level(*level) : std::nullopt;
  }
  auto* caps = find_member(*meta_of(m), protocol::meta_client_capabilities);
  spawn_request(self, m, group, version, caps != nullptr ? to_json(*caps) : "{}");
}

caf::behavior operating(session_actor* self);
caf::behavior closing(session_actor* self);

void initialize(session_actor* self, const jsonrpc::message& m, group_id group) {
  auto& st = self->state;
  auto* requested = param(m, "protocolVersion");
  if (requested == nullptr || !requested->IsString())
    return reply_error(self, group, m, invalid_params, "params.protocolVersion must be a string");
  st.version = protocol::negotiate(requested->GetString());
  if (auto* caps = param(m, "capabilities"); caps != nullptr && caps->IsObject())
    st.client_capabilities = to_json(*caps);
  record_changed(self);
  reply(self, group, m, protocol::initialize_result(*st.catalog, st.version));
  self->become(operating(self));
}

void on_request(session_actor* self, const jsonrpc::message& m, phase ph, group_id group) {
  auto& st = self->state;
  if (ph == phase::closing)
    return reply_error(self, group, m, jsonrpc::code::overloaded, "the session is closing");
  // Two answers with one id could not be told apart: a pending id is not reused, whatever
  // the method (even a ping, answered at once).
  if (st.inbound.count(m.id.key()) != 0)
    return reply_error(self, group, m, invalid_request,
                       "request id " + m.id.to_json() + " is already used by a pending request");
  if (auto version = stateless_version(m))
    return serve_stateless(self, m, group, *version);
  if (m.method == method::initialize) {
    if (ph == phase::operating)
      return reply_error(self, group, m, invalid_request, "the session is already initialized");
    return initialize(self, m, group);
  }
  if (m.method == method::ping)
    return reply(self, group, m, "{}");
  if (ph == phase::uninitialized)
    return reply_error(self, group, m, invalid_request,
                       "the session is not initialized: send initialize first");
  if (m.method == method::logging_set_level) {
    auto* level = param(m, "level");
    auto parsed =
        level != nullptr && level->IsString() ? parse_log_level(level->GetString()) : std::nullopt;
    if (!parsed)
      return reply_error(self, group, m, invalid_params,
                         "params.level must be one of debug, info, notice, warning, error, "
                         "critical, alert, emergency");
    st.min_log_level = *parsed;
    record_changed(self);
    return reply(self, group, m, "{}");
  }
  if (m.method == method::resources_subscribe || m.method == method::resources_unsubscribe) {
    auto* uri = param(m, "uri");
    if (uri == nullptr || !uri->IsString())
      return reply_error(self, group, m, invalid_params, "params.uri must be a string");
    if (m.method == method::resources_subscribe)
      st.subscriptions.insert(uri->GetString());
    else
      st.subscriptions.erase(uri->GetString());
    record_changed(self);
    return reply(self, group, m, "{}");
  }
  spawn_request(self, m, group, st.version, st.client_capabilities);
}

void on_notification(session_actor* self, const jsonrpc::message& m) {
  auto& st = self->state;
  if (m.method == method::initialized) {
    st.client_ready = true;
    return record_changed(self);
  }
  if (m.method != method::cancelled)
    return; // roots/list_changed and unknown notifications need no answer
  auto* id = param(m, "requestId");
  if (id == nullptr || !(id->IsInt64() || id->IsString()))
    return;
  auto key = id->IsInt64() ? jsonrpc::request_id{id->GetInt64()}.key()
                           : jsonrpc::request_id{id->GetString()}.key();
  // Unknown or finished ids are ignored: the race with the response is legal.
  auto it = st.inbound.find(key);
  if (it == st.inbound.end())
    return;
  self->send(it->second, cancel_atom::value);
  st.inbound.erase(it);
  output::request_ended(self, key, nullptr);
}

void close(session_actor* self, const std::string& reason) {
  auto& st = self->state;
  auto dropped = std::to_string(st.dropped_messages);
  st.observer->log.write(
      st.kind == session_kind::stateless ? log_severity::debug : log_severity::info,
      "session_closed", {{"session", st.id}, {"reason", reason}, {"dropped_events", dropped}});
  end_listen(self);
  for (auto& [key, request] : st.inbound)
    self->send(request, cancel_atom::value);
  st.inbound.clear();
  st.calls.cancel_all(self, reason);
  output::close_all(self);
  if (st.shared != nullptr && !st.store_down && st.handing_over)
    st.shared->release(st.id);
  else if (st.shared != nullptr && !st.store_down)
    st.shared->drop(st.id);
  // Requests already on their way here (the broker has not forgotten this session yet)
  // are answered as for any unknown session, until the broker confirms it forgot it.
  self->send(st.broker, retire_atom::value, caf::actor_cast<caf::actor>(self));
  self->set_down_handler([](const caf::down_msg&) {});
  // Whatever else still arrives (a broadcast, a late reply, a tick) is dropped without a
  // word: CAF's `drop` would answer its sender with an error, which ends that sender.
  self->set_default_handler(
      [](caf::scheduled_actor*, caf::message_view&) -> caf::result<caf::message> {
        return caf::message{};
      });
  self->become(
      [=](http_atom, const caf::actor& exchange, const http_request&) {
        // Handed over: another instance serves it from now on; the client retries.
        auto answer = self->state.handing_over
                          ? http_detail::error_response(503, -32000,
                                                        "Service Unavailable: the session is "
                                                        "moving to another instance; retry",
                                                        {{"retry-after", "1"}})
                          : http_detail::error_response(404, -32001, "Session not found", {});
        self->send(exchange, respond_atom::value, std::move(answer));
      },
      [=](retire_atom) { self->quit(); });
}

void finish_drain_if_idle(session_actor* self) {
  if (self->state.draining && self->state.inbound.empty())
    close(self, self->state.handing_over ? "handed over to another instance" : "the session ended");
}

// Answers what is pending, refuses new requests, then closes.
void drain(session_actor* self) {
  if (!self->state.draining) {
    self->state.draining = true;
    self->become(closing(self));
  }
  finish_drain_if_idle(self);
}

void on_text_impl(session_actor* self, const std::string& text, phase ph,
                  const caf::actor& exchange) {
  auto& st = self->state;
  st.last_activity = self->clock().now();
  auto decoded = jsonrpc::decode(
      text, {st.bounds->message_bytes_max, st.bounds->json_depth_max, st.bounds->batch_length_max});
  if (decoded.batch && !protocol::allows_batch(st.version)) {
    auto error = jsonrpc::encode_error(
        std::nullopt, {invalid_request,
                       "JSON-RPC batches are accepted only under protocol revision 2025-03-26",
                       {}});
    return http_detail::reject_text(self, exchange, std::move(error));
  }
  group_id group;
  auto requests = std::count_if(decoded.items.begin(), decoded.items.end(), [](auto& item) {
    auto* m = std::get_if<jsonrpc::message>(&item);
    return m != nullptr && m->is_request();
  });
  if (st.kind == session_kind::channel) {
    if (decoded.batch)
      group = output::open_group(self, true, nullptr, false);
  } else if (!http_detail::accept_text(self, exchange, decoded, requests, group)) {
    return;
  }
  for (auto& item : decoded.items) {
    if (auto* rejected = std::get_if<jsonrpc::rejected>(&item)) {
      output::reply(self, group, jsonrpc::encode_rejected(*rejected));
      continue;
    }
    auto& m = std::get<jsonrpc::message>(item);
    if (m.is_response())
      st.calls.route_reply(self, m); // a reply to nothing we asked is ignored
    else if (m.is_notification())
      on_notification(self, m);
    else
      on_request(self, m, ph, group);
  }
  if (group)
    output::close_group(self, *group);
  finish_drain_if_idle(self);
}

bool client_declared(const std::string& capabilities_json, std::string_view capability) {
  auto parsed = protocol::parse_json(capabilities_json, {capabilities_json.size(), 64});
  auto* doc = std::get_if<protocol::shared_document>(&parsed);
  return doc != nullptr && find_member(**doc, capability) != nullptr;
}

void call_peer(session_actor* self, const std::string& key, const std::string& m,
               const std::string& params, reply_slot_ptr& slot) {
  auto& st = self->state;
  std::string_view capability = m == method::sampling_create_message ? "sampling"
                                : m == method::elicitation_create    ? "elicitation"
                                : m == method::roots_list            ? "roots"
                                                                     : "";
  if (st.version.empty())
    return slot->fail(invalid_request, "calling the client needs an initialized session");
  if (!capability.empty() && !client_declared(st.client_capabilities, capability))
    return slot->fail(method_not_found,
                      "the client did not declare the " + std::string{capability} + " capability");
  if (st.calls.size() >= st.bounds->outgoing_requests_max)
    return slot->fail(jsonrpc::code::overloaded, "too many requests to the client in flight");
  // Fail now rather than at the deadline when no stream could carry the request.
  if (!output::reachable(st, &key))
    return slot->fail(jsonrpc::code::internal_error,
                      "no stream to the client is open for this request (JSON responses and no "
                      "GET stream)");
  auto deadline = std::chrono::milliseconds{st.bounds->outgoing_request_timeout_ms};
  output::send(self, st.calls.call(self, m, params, std::move(slot), deadline), &key, false);
}

void on_tick(session_actor* self) {
  auto& st = self->state;
  auto now = self->clock().now();
  auto idle = std::chrono::milliseconds{st.http->session_idle_ms};
  // Idle: nothing pending and no client holding a stream open.
  bool streaming = std::any_of(st.streams.begin(), st.streams.end(),
                               [](auto& s) { return static_cast<bool>(s.second.connection); });
  if (now - st.last_activity >= idle && st.inbound.empty() && !st.listening && !streaming)
    return close(self, "the session was idle");
  // A session that never initialized (a bare legacy GET, say) holds a slot for nothing.
  auto init_bound = std::chrono::milliseconds{st.http->initialize_timeout_ms};
  if (st.version.empty() && st.kind != session_kind::stateless && now - st.created >= init_bound)
    return close(self, "no initialize in time");
  output::keep_alive(self);
  if (st.shared != nullptr && !st.store_down)
    st.shared->touch(st.id);
  self->delayed_send(self, std::chrono::milliseconds{st.http->keepalive_ms}, tick_atom::value);
}

// Messages every phase answers the same way.
caf::message_handler common(session_actor* self) {
  return {
      [=](written_atom, std::uint64_t seq) {
        output::acknowledged(self, caf::actor_cast<caf::actor_addr>(self->current_sender()), seq);
      },
      [=](reply_atom, const std::string& key, std::string& text) {
        // A reply for a request that was cancelled meanwhile is dropped: one answer at most.
        if (self->state.inbound.erase(key) == 0)
          return;
        output::request_ended(self, key, &text);
        finish_drain_if_idle(self);
      },
      [=](notify_atom, const std::string& key, std::string& text, bool droppable) {
        if (self->state.inbound.count(key) != 0)
          output::send(self, std::move(text), &key, droppable);
      },
      [=](log_atom, const std::string& key, int level, std::string& text) {
        auto& st = self->state;
        if (st.inbound.count(key) != 0 && st.min_log_level &&
            level >= static_cast<int>(*st.min_log_level))
          output::send(self, std::move(text), &key, true);
      },
      [=](call_atom, const std::string& key, const std::string& m, const std::string& params,
          reply_slot_ptr& slot) { call_peer(self, key, m, params, slot); },
      [=](done_atom, const std::string& key) {
        // Our request to the client timed out: the client may stop working on it.
        if (auto id = self->state.calls.forget(key))
          output::send(
              self,
              jsonrpc::encode_notification(
                  method::cancelled, protocol::cancelled_notification(id->to_json(), "timed out")),
              nullptr, false);
      },
      [=](catalog_atom, catalog_ptr& catalog, int changed) {
        auto& st = self->state;
        st.catalog = std::move(catalog);
        if (auto& l = st.listening) {
          if ((changed & 1) && l->tools)
            listen_notify(self, method::tools_list_changed);
          if ((changed & 2) && l->resources)
            listen_notify(self, method::resources_list_changed);
          if ((changed & 4) && l->prompts)
            listen_notify(self, method::prompts_list_changed);
        }
        if (st.version.empty())
          return;
        if (changed & 1)
          output::send(self, jsonrpc::encode_notification(method::tools_list_changed, ""), nullptr,
                       false);
        if (changed & 2)
          output::send(self, jsonrpc::encode_notification(method::resources_list_changed, ""),
                       nullptr, false);
        if (changed & 4)
          output::send(self, jsonrpc::encode_notification(method::prompts_list_changed, ""),
                       nullptr, false);
      },
      [=](updated_atom, const std::string& uri) {
        if (auto& l = self->state.listening; l && l->uris.count(uri) != 0)
          listen_notify(self, method::resources_updated, uri);
        if (self->state.subscriptions.count(uri) != 0)
          output::send(self,
                       jsonrpc::encode_notification(method::resources_updated,
                                                    protocol::resource_updated_notification(uri)),
                       nullptr, true);
      },
      [=](tick_atom) { on_tick(self); },
      [=](close_atom, const std::string& key) { output::release_connection(self, key); },
      [=](closed_atom) { close(self, "the peer went away"); },
      [=](ended_atom) { drain(self); },
      [=](stop_atom) {
        // In a cluster the session outlives this instance: what is running finishes here,
        // then another instance takes the session over when its client comes back.
        auto& st = self->state;
        st.handing_over = st.shared != nullptr && st.kind == session_kind::streamable;
        drain(self);
      },
  };
}

// The handlers of a phase: inbound texts from a channel and HTTP requests.
caf::behavior in_phase(session_actor* self, phase ph) {
  return caf::message_handler{
      [=](inbound_atom, const std::string& text) { on_text_impl(self, text, ph, nullptr); },
      [=](http_atom, const caf::actor& exchange, http_request& request) {
        if (self->state.store_down) {
          self->send(
              exchange, respond_atom::value,
              http_detail::error_response(
                  503, -32000, "Service Unavailable: the shared session store is unreachable", {}));
          return close(self, "the shared session store is unreachable");
        }
        http_detail::on_request(
            self, exchange, request, ph == phase::closing,
            [=](const std::string& body) { on_text_impl(self, body, ph, exchange); });
      },
  }
      .or_else(common(self));
}

caf::behavior uninitialized(session_actor* self) { return in_phase(self, phase::uninitialized); }
caf::behavior operating(session_actor* self) { return in_phase(self, phase::operating); }
caf::behavior closing(session_actor* self) { return in_phase(self, phase::closing); }

} // namespace

void close_session(session_actor* self, const std::string& reason) { close(self, reason); }

caf::behavior session(session_actor* self, session_config config) {
  auto& st = self->state;
  st.broker = std::move(config.broker);
  st.observer = config.observer;
  st.id = std::move(config.id);
  st.kind = config.kind;
  st.catalog = std::move(config.catalog);
  st.bounds = config.bounds;
  st.pool = config.pool;
  st.http = std::move(config.http);
  st.principal = std::move(config.principal);
  st.shared = config.shared;
  st.last_activity = self->clock().now();
  st.created = st.last_activity;
  if (st.kind == session_kind::channel) {
    st.channel.emplace(std::move(config.channel), config.bounds->outbound_messages_max);
  } else {
    st.events = (*config.event_logs)(st.id);
    if (st.shared != nullptr && config.restored)
      restore(st, *config.restored);
    // Taken over or new, the directory names this instance as the owner from now on.
    if (st.shared != nullptr)
      st.store_down = !publish_record(st);
    if (st.store_down)
      ++st.observer->stats.cluster_store_errors;
    self->delayed_send(self, std::chrono::milliseconds{st.http->keepalive_ms}, tick_atom::value);
  }
  self->set_down_handler(
      [=](const caf::down_msg& down) { http_detail::exchange_gone(self, down.source); });
  // CAF ends an actor that receives an error message (an actor that did not expect one of
  // ours answers with one); a session outlives such a mistake and logs it.
  self->set_error_handler([=](caf::error& e) {
    self->state.observer->log.write(log_severity::error, "session_error",
                                    {{"session", self->state.id}, {"error", caf::to_string(e)}});
  });
  return st.version.empty() ? uninitialized(self) : operating(self);
}

} // namespace mcp::actors
