#include "sim/sim_client.hpp"

#include "actors/client_internals.hpp"
#include "actors/http_channel.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/mcp_model.hpp"

#include <caf/all.hpp>

#include <future>

namespace mcp::sim {

namespace {

constexpr std::int64_t probe_interval_ms = 200;
constexpr int initialize_attempts_max = 20;

std::string echo_params(const std::string& text) {
  protocol::json_writer w;
  w.begin_object().key("name").string("echo").key("arguments").begin_object();
  w.key("text").string(text).end_object().end_object();
  return w.str();
}

std::string uri_params(const std::string& uri) {
  protocol::json_writer w;
  w.begin_object().key("uri").string(uri).end_object();
  return w.str();
}

bool ready(std::future<peer_reply>& f) {
  return f.wait_for(std::chrono::seconds{0}) == std::future_status::ready;
}

std::string first_text(const peer_reply& r) {
  auto* content = r.result ? find_member(*r.result, "content") : nullptr;
  if (content == nullptr || !content->IsArray() || content->Empty())
    return {};
  return get_string((*content)[0], "text").value_or("");
}

// Errors a call must end with when the network took its only chance: the stream died
// before it named an event to resume from, or the request's connection failed.
bool lost_in_transit(const std::string& message) {
  for (const char* why :
       {"no event id to resume from", "HTTP request failed", "the legacy SSE stream closed"})
    if (message.find(why) != std::string::npos)
      return true;
  return false;
}

} // namespace

struct sim_client::in_flight {
  std::string kind; // initialize, echo, progress, subscribe, probe
  bool workload = false;
  pending_call call;
  std::int64_t started = 0;
  std::string expect;
  int steps = 0;
  std::shared_ptr<std::vector<double>> progress = std::make_shared<std::vector<double>>();
};

sim_client::sim_client(int slot, const client_group& group, caf::actor_system& system, network& net,
                       std::uint64_t seed, std::function<int()> next_link)
  : slot_(slot), group_(group), system_(system), net_(net), seed_(seed),
    next_link_(std::move(next_link)) {
  bounds_.handler_threads = 0;
  report_.label = label();
}

sim_client::~sim_client() = default;

void sim_client::start() {
  ++incarnation_;
  link_ = next_link_();
  if (random_)
    old_randoms_.push_back(std::move(random_));
  random_ = actors::make_seeded_entropy(seed_ * 7'919 + static_cast<std::uint64_t>(slot_) * 131 +
                                        static_cast<std::uint64_t>(incarnation_));
  client_options co;
  co.info = {"mcp-sim-client", "1.0.0", ""};
  co.bounds = bounds_;
  co.reconnect = {50, 2'000, 10};
  co.on_notification = [this](const std::string& method, const std::string&) {
    if (method == "notifications/resources/updated")
      ++report_.notifications;
  };
  auto legacy = group_.transport == "legacy";
  actors::http_channel_config cc{net_.link(link_),
                                 "127.0.0.1",
                                 80,
                                 legacy ? "/sse" : "/mcp",
                                 &bounds_,
                                 co.reconnect,
                                 random_.get(),
                                 [this] {
                                   replaced_ = true;
                                   ++report_.sessions_replaced;
                                   event("replaced", "the server forgot the session");
                                 },
                                 {},
                                 legacy ? http_transport::legacy : http_transport::streamable,
                                 group_.get_stream};
  channel_ = system_.spawn(actors::http_channel, std::move(cc));
  auto internals = std::make_unique<client::internals>(system_, channel_, co);
  session_ = internals->session;
  client_ = std::make_unique<client>(std::move(internals));
  initialized_ = false;
  if (!subscriptions_.empty())
    subscription_broken_ = true; // a new session starts without them
  begin_call("initialize", "initialize",
             protocol::initialize_params(co.info, group_.protocol, "{}"));
}

void sim_client::crash() {
  if (!client_)
    return;
  event("crashed", "incarnation " + std::to_string(incarnation_));
  caf::anon_send_exit(session_, caf::exit_reason::kill);
  caf::anon_send_exit(channel_, caf::exit_reason::kill);
  // The process is gone: the kernel resets its connections.
  net_.cut_client(link_, "the client crashed");
  flying_.clear();
  old_clients_.push_back(std::move(client_));
  wake_ms_ = -1;
}

void sim_client::close() {
  if (!client_)
    return;
  client_->close();
  old_clients_.push_back(std::move(client_));
}

void sim_client::event(std::string what, std::string detail, std::int64_t length_ms,
                       std::int64_t at_ms) {
  report_.timeline.push_back(
      {at_ms >= 0 ? at_ms : now(), std::move(what), std::move(detail), length_ms});
}

void sim_client::begin_call(std::string kind, std::string method, std::string params, int steps) {
  auto f = std::make_unique<in_flight>();
  f->kind = std::move(kind);
  f->workload = f->kind == "echo" || f->kind == "progress" || f->kind == "subscribe";
  f->started = now();
  f->steps = steps;
  progress_handler on_progress;
  if (steps > 0)
    on_progress = [seen = f->progress](double value, std::optional<double>, const std::string&) {
      seen->push_back(value);
    };
  f->call = client_->call_async(method, {std::move(params)},
                                std::chrono::milliseconds{group_.call_timeout_ms},
                                std::move(on_progress));
  flying_.push_back(std::move(f));
}

void sim_client::begin(const operation& op, int copy) {
  auto n = ++call_counter_;
  switch (op.what) {
  case operation::kind::echo: {
    auto text = label() + "-" + std::to_string(n) + "-" + std::to_string(copy);
    begin_call("echo", "tools/call", echo_params(text));
    flying_.back()->expect = text;
    break;
  }
  case operation::kind::progress: {
    protocol::json_writer w;
    w.begin_object().key("name").string("progress").key("arguments").begin_object();
    w.key("steps").integer(op.steps).end_object().end_object();
    begin_call("progress", "tools/call", w.str(), op.steps);
    flying_.back()->expect = "done " + std::to_string(op.steps);
    break;
  }
  case operation::kind::subscribe: {
    subscriptions_.insert(op.uri);
    if (subscribe_sent_ms_ < 0)
      subscribe_sent_ms_ = now();
    begin_call("subscribe", "resources/subscribe", uri_params(op.uri));
    break;
  }
  case operation::kind::wait:
    break;
  }
}

// One call ended. Returns false when the client must start over (its initialize failed).
bool sim_client::finish(in_flight& f) {
  auto reply = f.call.reply().get();
  auto length = now() - f.started;
  if (f.kind == "initialize") {
    if (reply.ok()) {
      initialized_ = true;
      client_->notify("notifications/initialized");
      event("initialized", "incarnation " + std::to_string(incarnation_), length, f.started);
      return true;
    }
    ++report_.initialize_retries;
    event("failed", "initialize: " + reply.error_message, length, f.started);
    return false;
  }
  if (f.kind == "probe") {
    if (reply.ok() && first_text(reply) == f.expect) {
      report_.recovery_ms = now() - probe_from_ms_;
      event("recovered", "a call succeeded " + std::to_string(report_.recovery_ms) +
                             " ms after the faults ended");
    } else {
      next_probe_ms_ = now() + probe_interval_ms;
    }
    return true;
  }
  if (!reply.ok()) {
    if (lost_in_transit(reply.error_message))
      ++report_.calls_lost;
    else
      ++report_.calls_failed;
    event("failed", f.kind + ": " + reply.error_message, length, f.started);
    return true;
  }
  ++report_.calls_ok;
  event("call", f.kind, length, f.started);
  if (f.kind == "subscribe" && subscribed_ok_ms_ < 0)
    subscribed_ok_ms_ = now();
  if (!f.expect.empty() && first_text(reply) != f.expect)
    violations_.push_back(label() + ": " + f.kind + " answered \"" + first_text(reply) +
                          "\", expected \"" + f.expect + "\"");
  if (f.steps > 0) {
    auto& seen = *f.progress;
    report_.progress_expected += f.steps;
    report_.progress_seen += static_cast<int>(seen.size());
    for (std::size_t i = 1; i < seen.size(); ++i)
      if (seen[i] <= seen[i - 1]) {
        violations_.push_back(label() + ": progress " + std::to_string(seen[i]) + " after " +
                              std::to_string(seen[i - 1]) + " (repeated or reordered)");
        break;
      }
  }
  return true;
}

bool sim_client::step() {
  if (!client_)
    return false;
  bool changed = false;
  bool restart = false;
  for (auto it = flying_.begin(); it != flying_.end();) {
    if (!ready((*it)->call.reply())) {
      ++it;
      continue;
    }
    changed = true;
    if (!finish(**it))
      restart = true;
    it = flying_.erase(it);
  }
  if (restart) {
    if (report_.initialize_retries >= initialize_attempts_max) {
      violations_.push_back(label() + ": could not initialize in " +
                            std::to_string(initialize_attempts_max) + " attempts");
      crash();
      return true;
    }
    // As an application does: a new client, a new session.
    close();
    start();
    return true;
  }
  if (!initialized_)
    return changed;
  if (replaced_) {
    replaced_ = false;
    subscription_broken_ = subscription_broken_ || !subscriptions_.empty();
    for (auto& uri : subscriptions_) {
      begin_call("resubscribe", "resources/subscribe", uri_params(uri));
    }
    changed = true;
  }
  if (probe_from_ms_ >= 0 && report_.recovery_ms < 0 && now() >= next_probe_ms_ &&
      std::none_of(flying_.begin(), flying_.end(), [](auto& f) { return f->kind == "probe"; })) {
    auto text = label() + "-probe-" + std::to_string(now());
    begin_call("probe", "tools/call", echo_params(text));
    flying_.back()->expect = text;
    changed = true;
  }
  bool busy = std::any_of(flying_.begin(), flying_.end(), [](auto& f) { return f->workload; });
  if (busy || next_op_ >= group_.workload.size())
    return changed;
  if (wake_ms_ >= 0) {
    if (now() < wake_ms_)
      return changed;
    wake_ms_ = -1;
    ++next_op_; // the wait is over
    return true;
  }
  auto& op = group_.workload[next_op_];
  if (op.what == operation::kind::wait) {
    wake_ms_ = now() + op.ms;
    return true;
  }
  if (repeat_done_ == op.repeat) {
    repeat_done_ = 0;
    ++next_op_;
    return true;
  }
  ++repeat_done_;
  for (int copy = 0; copy < op.parallel; ++copy)
    begin(op, copy);
  return true;
}

bool sim_client::workload_done() const {
  if (!client_)
    return true;
  bool busy = std::any_of(flying_.begin(), flying_.end(), [](auto& f) { return f->workload; });
  return initialized_ && !busy && next_op_ >= group_.workload.size();
}

void sim_client::probe_from(std::int64_t faults_end_ms) {
  probe_from_ms_ = faults_end_ms;
  next_probe_ms_ = faults_end_ms;
}

} // namespace mcp::sim

namespace mcp::sim {

std::int64_t sim_client::wake_ms() const {
  std::int64_t next = wake_ms_;
  if (probe_from_ms_ >= 0 && report_.recovery_ms < 0 && alive() &&
      (next < 0 || next_probe_ms_ < next))
    next = next_probe_ms_;
  return next;
}

} // namespace mcp::sim
