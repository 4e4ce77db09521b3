#include "sim/runner.hpp"

#include "actors/buggify.hpp"
#include "actors/messages.hpp"
#include "sim/server_node.hpp"
#include "sim/sim_client.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <algorithm>
#include <chrono>
#include <functional>

namespace mcp::sim {

namespace {

using ms = std::chrono::milliseconds;

// Something the run does at a virtual time: a fault, its end, a publication.
struct timed_action {
  std::int64_t at_ms;
  std::function<void()> act;
};

// Switches BUGGIFY and the injected bug on for one run, and off again whatever happens.
struct buggify_scope {
  buggify_scope(bool on, std::uint64_t seed, const std::string& bug) {
    if (on)
      actors::buggify::enable(seed);
    actors::buggify::inject(bug);
  }
  ~buggify_scope() {
    actors::buggify::disable();
    actors::buggify::inject({});
  }
  buggify_scope(const buggify_scope&) = delete;
  buggify_scope& operator=(const buggify_scope&) = delete;
};

std::int64_t faults_end(const scenario& s, const std::vector<fault>& schedule) {
  std::int64_t end = 0;
  bool rated = s.rates.cut > 0 || s.rates.drop > 0 || s.rates.duplicate > 0 ||
               s.rates.reorder > 0 || s.rates.ack_delay_ms > 0;
  if (rated)
    end = s.rates.until_ms >= 0 ? s.rates.until_ms : s.run_ms;
  for (auto& f : schedule)
    end = std::max(end, f.at_ms + f.for_ms); // a clock jump ends its for_ms later, too
  return end;
}

// Fires one query at an actor from inside the deterministic scheduler.
std::size_t session_count(caf::actor_system& system, caf::scheduler::test_coordinator& sched,
                          const caf::actor& broker) {
  std::size_t n = 0;
  system.spawn([&](caf::event_based_actor* self) {
    self->request(broker, caf::infinite, actors::count_atom::value).then([&](std::size_t count) {
      n = count;
    });
  });
  sched.run();
  return n;
}

class simulation {
public:
  simulation(const scenario& s, const run_options& o)
    : s_(s), o_(o), system_(testing(config_)),
      sched_(dynamic_cast<caf::scheduler::test_coordinator&>(system_.scheduler())),
      baseline_actors_(system_.registry().running()),
      net_(system_, o.seed, s.rates, s.proxy, o.replay), node_(system_, net_, s, o.seed) {
    schedule_ = o.schedule ? *o.schedule : s.schedule;
    faults_end_ = faults_end(s, schedule_);
    int slot = 0;
    for (auto& g : s.clients)
      for (int i = 0; i < g.count; ++i, ++slot) {
        auto next_link = [this, slot] {
          link_owner_.push_back(slot);
          return static_cast<int>(link_owner_.size()) - 1;
        };
        clients_.push_back(
            std::make_unique<sim_client>(slot, g, system_, net_, o.seed, std::move(next_link)));
      }
  }

  run_result run() {
    auto wall_start = std::chrono::steady_clock::now();
    buggify_scope bugs{s_.buggify, o_.seed, o_.injected_bug};
    plan();
    for (int i = 0; i < node_.instances(); ++i)
      node_.start(i);
    for (auto& c : clients_)
      c->start();
    drive();
    check_end();
    shut_down();
    run_result r;
    r.scenario = s_.name;
    r.seed = o_.seed;
    r.virtual_ms = end_ms_;
    r.faults_end_ms = faults_end_;
    r.counters = net_.counters();
    r.counters.replayed_events = net_.checks().replayed_events();
    r.faults = schedule_;
    r.faults.insert(r.faults.end(), net_.faults().begin(), net_.faults().end());
    for (auto& c : clients_)
      r.clients.push_back(c->report());
    attach_link_events(r);
    r.violations = std::move(violations_);
    r.trace_hash = net_.trace_hash();
    if (o_.keep_trace)
      r.trace = net_.trace();
    r.wall_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start)
            .count();
    return r;
  }

private:
  // CAF's deterministic scheduler: one thread, virtual time.
  static caf::actor_system_config& testing(caf::actor_system_config& config) {
    config.set("scheduler.policy", caf::atom("testing"));
    return config;
  }

  std::int64_t now() const { return net_.now_ms(); }

  void plan() {
    auto at = [&](std::int64_t t, std::function<void()> act) {
      actions_.push_back({t, std::move(act)});
    };
    for (auto& f : schedule_) {
      switch (f.what) {
      case fault::kind::partition:
        at(f.at_ms, [this] { net_.set_partitioned(true); });
        at(f.at_ms + f.for_ms, [this] { net_.set_partitioned(false); });
        break;
      case fault::kind::server_crash:
        at(f.at_ms, [this, k = f.instance] { node_.crash(k); });
        at(f.at_ms + f.for_ms, [this, k = f.instance] { node_.start(k); });
        break;
      case fault::kind::server_stop:
        at(f.at_ms, [this, k = f.instance] { node_.stop(k); });
        // Kept-alive connections bring it requests for a while after the signal.
        at(f.at_ms + std::min<std::int64_t>(f.for_ms, 200),
           [this, k = f.instance] { node_.unroute(k); });
        at(f.at_ms + f.for_ms, [this, k = f.instance] { node_.start(k); });
        break;
      case fault::kind::client_crash:
        at(f.at_ms, [this, k = f.client] { clients_[k]->crash(); });
        at(f.at_ms + f.for_ms, [this, k = f.client] {
          auto& c = *clients_[k];
          ++c.report().restarts;
          c.start();
        });
        break;
      case fault::kind::clock_jump:
        at(f.at_ms, [this, jump = f.for_ms] {
          net_.record("clock jumps " + std::to_string(jump) + " ms");
          sched_.advance_time(ms{jump});
        });
        break;
      default:
        break;
      }
    }
    for (int i = 1; i <= s_.publish.count && s_.publish.every_ms > 0; ++i)
      at(s_.publish.every_ms * i, [this] {
        auto broker = node_.any_broker();
        if (!broker)
          return; // the application went down with the server
        // One instance learns of the change; a cluster tells the others.
        caf::anon_send(broker, actors::updated_atom::value, s_.publish.uri);
        published_.push_back(now());
      });
    at(faults_end_, [this] {
      for (auto& c : clients_)
        c->probe_from(faults_end_);
      probing_ = true;
    });
    std::stable_sort(actions_.begin(), actions_.end(),
                     [](auto& a, auto& b) { return a.at_ms < b.at_ms; });
  }

  bool finished() const {
    if (now() < s_.run_ms || next_action_ < actions_.size() || !probing_)
      return false;
    return std::all_of(clients_.begin(), clients_.end(),
                       [](auto& c) { return c->workload_done() && c->probed(); });
  }

  std::int64_t deadline() const {
    std::int64_t timeout = 0;
    for (auto& g : s_.clients)
      timeout = std::max(timeout, g.call_timeout_ms);
    return std::max(s_.run_ms, faults_end_) + s_.expect.recovery_ms_max + timeout;
  }

  // Runs the actors, the clients and the timed actions, jumping from one moment to the
  // next, until the workload is done and every client has recovered, or the deadline.
  void drive() {
    auto horizon = deadline();
    for (;;) {
      sched_.run();
      bool changed = false;
      for (auto& c : clients_)
        changed = c->step() || changed;
      if (changed)
        continue;
      if (finished())
        break;
      std::int64_t next = -1;
      auto consider = [&](std::int64_t t) {
        if (t >= 0 && (next < 0 || t < next))
          next = std::max(t, now());
      };
      if (next_action_ < actions_.size())
        consider(actions_[next_action_].at_ms);
      if (now() < s_.run_ms)
        consider(s_.run_ms);
      for (auto& c : clients_)
        if (c->wake_ms() > now()) // a client that could act now already did in step()
          consider(c->wake_ms());
      auto& timers = sched_.clock().schedule();
      if (!timers.empty())
        consider(std::chrono::duration_cast<ms>(timers.begin()->first.time_since_epoch()).count());
      if (next < 0 || next > horizon)
        break;
      sched_.advance_time(ms{next - now()});
      while (next_action_ < actions_.size() && actions_[next_action_].at_ms <= now())
        actions_[next_action_++].act();
    }
    end_ms_ = now();
  }

  void violation(std::string what) { violations_.push_back(std::move(what)); }

  void check_end() {
    auto& e = s_.expect;
    int failed = 0, replaced = 0;
    for (auto& c : clients_) {
      auto& r = c->report();
      for (auto& v : c->violations())
        violation(v);
      failed += r.calls_failed;
      replaced += r.sessions_replaced;
      if (!c->alive())
        continue;
      if (!c->workload_done())
        violation(r.label + ": its workload did not finish by " + std::to_string(end_ms_) + " ms");
      if (r.recovery_ms < 0)
        violation(r.label + ": no call succeeded after the faults ended at " +
                  std::to_string(faults_end_) + " ms");
      else if (r.recovery_ms > e.recovery_ms_max)
        violation(r.label + ": recovered after " + std::to_string(r.recovery_ms) +
                  " ms, over the bound of " + std::to_string(e.recovery_ms_max) + " ms");
      if (e.lossless && r.progress_seen != r.progress_expected)
        violation(r.label + ": saw " + std::to_string(r.progress_seen) + " of " +
                  std::to_string(r.progress_expected) + " progress notifications");
      if (e.lossless && c->subscription_intact()) {
        auto after = [&](std::int64_t t, bool inclusive) {
          return std::count_if(published_.begin(), published_.end(),
                               [&](std::int64_t p) { return inclusive ? p >= t : p > t; });
        };
        auto low = after(c->subscribe_ok_ms(), false);
        auto high = after(c->subscribe_sent_ms(), true);
        if (r.notifications < low || r.notifications > high)
          violation(r.label + ": received " + std::to_string(r.notifications) +
                    " resource updates, expected " + std::to_string(low) +
                    (low == high ? "" : ".." + std::to_string(high)));
      }
    }
    if (failed > e.calls_failed_max)
      violation(std::to_string(failed) + " calls failed, over the bound of " +
                std::to_string(e.calls_failed_max));
    if (replaced < e.sessions_replaced_min || replaced > e.sessions_replaced_max)
      violation(std::to_string(replaced) + " sessions were replaced, expected " +
                std::to_string(e.sessions_replaced_min) + ".." +
                std::to_string(e.sessions_replaced_max));
    if (static_cast<std::int64_t>(net_.counters().idle_cuts) > e.idle_cuts_max)
      violation(std::to_string(net_.counters().idle_cuts) +
                " streams were cut by the idle timeout, over the bound of " +
                std::to_string(e.idle_cuts_max));
    for (auto& v : net_.checks().violations())
      violation("wire: " + v);
  }

  // Clients leave; sessions must then end (by DELETE, or by idle expiry for the ones
  // whose client crashed); the server stops; no actor may be left running.
  void shut_down() {
    net_.record("shutdown");
    net_.set_partitioned(false);
    for (int i = 0; i < node_.instances(); ++i)
      if (!node_.up(i))
        node_.start(i);
    for (auto& c : clients_)
      c->close();
    auto idle = s_.server.session_idle_ms;
    auto drain_ms = (idle > 0 ? idle : 0) + 2 * s_.server.keepalive_ms + 5'000;
    advance_for(drain_ms);
    std::size_t left = 0;
    for (int i = 0; i < node_.instances(); ++i)
      left += session_count(system_, sched_, node_.broker(i));
    if (idle > 0 && left > 0)
      violation(std::to_string(left) + " sessions were still open " + std::to_string(drain_ms) +
                " ms after the clients left (idle expiry is " + std::to_string(idle) + " ms)");
    for (int i = 0; i < node_.instances(); ++i)
      caf::anon_send(node_.broker(i), actors::stop_atom::value);
    advance_for(60'000);
    auto running = system_.registry().running();
    if (running > baseline_actors_)
      violation(std::to_string(running - baseline_actors_) +
                " actors were still running after the server stopped");
  }

  void advance_for(std::int64_t span_ms) {
    auto until = now() + span_ms;
    for (;;) {
      sched_.run();
      auto& timers = sched_.clock().schedule();
      if (timers.empty())
        return;
      auto next = std::chrono::duration_cast<ms>(timers.begin()->first.time_since_epoch()).count();
      if (next > until)
        return;
      sched_.advance_time(ms{std::max<std::int64_t>(0, next - now())});
    }
  }

  // The network's events per link, into the timeline of the client that owned the link.
  void attach_link_events(run_result& r) const {
    for (auto& e : net_.link_events())
      r.clients[static_cast<std::size_t>(link_owner_[static_cast<std::size_t>(e.link)])]
          .timeline.push_back({e.at_ms, e.what, e.detail, 0});
    for (auto& c : r.clients)
      std::stable_sort(c.timeline.begin(), c.timeline.end(),
                       [](auto& a, auto& b) { return a.at_ms < b.at_ms; });
  }

  const scenario& s_;
  const run_options& o_;
  caf::actor_system_config config_;
  caf::actor_system system_;
  caf::scheduler::test_coordinator& sched_;
  std::size_t baseline_actors_;
  std::vector<fault> schedule_;
  std::int64_t faults_end_ = 0;
  network net_;
  server_node node_;
  std::vector<std::unique_ptr<sim_client>> clients_;
  std::vector<int> link_owner_; // link -> client slot
  std::vector<timed_action> actions_;
  std::size_t next_action_ = 0;
  std::vector<std::int64_t> published_;
  bool probing_ = false;
  std::int64_t end_ms_ = 0;
  std::vector<std::string> violations_;
};

} // namespace

std::vector<fault> run_result::call_faults() const {
  std::vector<fault> out;
  std::copy_if(faults.begin(), faults.end(), std::back_inserter(out),
               [](auto& f) { return !is_timed(f.what); });
  return out;
}

std::vector<fault> run_result::timed_faults() const {
  std::vector<fault> out;
  std::copy_if(faults.begin(), faults.end(), std::back_inserter(out),
               [](auto& f) { return is_timed(f.what); });
  return out;
}

run_result run(const scenario& s, const run_options& options) {
  simulation sim{s, options};
  return sim.run();
}

} // namespace mcp::sim
