#include "sim/scenario.hpp"

#include "protocol/json.hpp"
#include "protocol/json_writer.hpp"

#include <map>
#include <set>
#include <stdexcept>

namespace mcp::sim {

namespace {

constexpr std::size_t scenario_bytes_max = 1 << 20;
constexpr std::size_t scenario_depth_max = 16;

// Reading failures carry the JSON path of the value at fault.
struct bad_scenario : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One JSON object with its path; every key must be read, or it is reported as unknown.
class object_reader {
public:
  object_reader(const json_value& v, std::string path) : v_(v), path_(std::move(path)) {
    if (!v.IsObject())
      fail(path_, "must be an object");
  }
  object_reader(const object_reader&) = delete;
  object_reader& operator=(const object_reader&) = delete;

  // After reading: a key nobody asked for is a typo or an option this version lacks.
  void finish() const {
    for (auto& m : v_.GetObject()) {
      std::string k{m.name.GetString(), m.name.GetStringLength()};
      if (!read_.count(k))
        fail(at(k), "unknown key");
    }
  }

  const json_value* get(const std::string& key) {
    read_.insert(key);
    auto it = v_.FindMember(key.c_str());
    return it == v_.MemberEnd() ? nullptr : &it->value;
  }
  std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  void text(const std::string& key, std::string& out) {
    if (auto* v = get(key)) {
      if (!v->IsString())
        fail(at(key), "must be a string");
      out.assign(v->GetString(), v->GetStringLength());
    }
  }
  template <class Int>
  void integer(const std::string& key, Int& out, std::int64_t min, std::int64_t max) {
    if (auto* v = get(key)) {
      if (!v->IsInt64() || v->GetInt64() < min || v->GetInt64() > max)
        fail(at(key),
             "must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
      out = static_cast<Int>(v->GetInt64());
    }
  }
  void probability(const std::string& key, double& out) {
    if (auto* v = get(key)) {
      if (!v->IsNumber() || v->GetDouble() < 0 || v->GetDouble() > 1)
        fail(at(key), "must be a number in [0, 1]");
      out = v->GetDouble();
    }
  }
  void flag(const std::string& key, bool& out) {
    if (auto* v = get(key)) {
      if (!v->IsBool())
        fail(at(key), "must be true or false");
      out = v->GetBool();
    }
  }
  template <class F> void array(const std::string& key, F each) {
    if (auto* v = get(key)) {
      if (!v->IsArray())
        fail(at(key), "must be an array");
      for (rapidjson::SizeType i = 0; i < v->Size(); ++i)
        each((*v)[i], at(key) + "[" + std::to_string(i) + "]");
    }
  }
  template <class F> void object(const std::string& key, F read) {
    if (auto* v = get(key)) {
      object_reader r{*v, at(key)};
      read(r);
      r.finish();
    }
  }

  [[noreturn]] static void fail(const std::string& path, const std::string& what) {
    throw bad_scenario{path + ": " + what};
  }

private:
  const json_value& v_;
  std::string path_;
  std::set<std::string> read_;
};

constexpr std::int64_t ms_max = 24LL * 3600 * 1000;

template <class Kind>
Kind kind_of(const std::string& name, const std::map<std::string, Kind>& kinds,
             const std::string& path) {
  auto it = kinds.find(name);
  if (it == kinds.end()) {
    std::string known;
    for (auto& [k, v] : kinds)
      known += (known.empty() ? "" : ", ") + k;
    object_reader::fail(path, "unknown \"" + name + "\" (known: " + known + ")");
  }
  return it->second;
}

const std::map<std::string, fault::kind>& fault_kinds() {
  static const std::map<std::string, fault::kind> kinds{{"cut", fault::kind::cut},
                                                        {"drop", fault::kind::drop},
                                                        {"duplicate", fault::kind::duplicate},
                                                        {"reorder", fault::kind::reorder},
                                                        {"partition", fault::kind::partition},
                                                        {"server_crash", fault::kind::server_crash},
                                                        {"server_stop", fault::kind::server_stop},
                                                        {"client_crash", fault::kind::client_crash},
                                                        {"clock_jump", fault::kind::clock_jump}};
  return kinds;
}

fault read_fault(object_reader& r, const std::string& path) {
  fault f;
  std::string name;
  r.text("fault", name);
  f.what = kind_of(name, fault_kinds(), r.at("fault"));
  r.integer("at_ms", f.at_ms, 0, ms_max);
  r.integer("for_ms", f.for_ms, 0, ms_max);
  r.integer("client", f.client, 0, 1'000'000);
  r.integer("instance", f.instance, 0, 15);
  r.integer("call", f.call, 1, std::numeric_limits<std::int64_t>::max());
  r.integer("value", f.value, 0, std::numeric_limits<std::int64_t>::max());
  if (is_timed(f.what) ? f.at_ms < 0 : f.call == 0)
    object_reader::fail(path,
                        is_timed(f.what) ? "a timed fault needs at_ms" : "a call fault needs call");
  if (f.what == fault::kind::client_crash && f.client < 0)
    object_reader::fail(path, "client_crash needs client");
  return f;
}

operation read_operation(object_reader& r, const std::string& path) {
  operation op;
  std::string name;
  r.text("op", name);
  op.what =
      kind_of(name,
              std::map<std::string, operation::kind>{{"echo", operation::kind::echo},
                                                     {"progress", operation::kind::progress},
                                                     {"subscribe", operation::kind::subscribe},
                                                     {"wait", operation::kind::wait}},
              r.at("op"));
  r.integer("steps", op.steps, 1, 10'000);
  r.text("uri", op.uri);
  r.integer("ms", op.ms, 0, ms_max);
  r.integer("repeat", op.repeat, 1, 100'000);
  r.integer("parallel", op.parallel, 1, 64);
  if (op.what == operation::kind::subscribe && op.uri.empty())
    object_reader::fail(path, "subscribe needs uri");
  return op;
}

scenario read_scenario(object_reader& r) {
  scenario s;
  r.text("name", s.name);
  r.text("about", s.about);
  r.integer("run_ms", s.run_ms, 1, ms_max);
  r.flag("buggify", s.buggify);
  r.object("server", [&](object_reader& o) {
    auto& v = s.server;
    o.integer("retry_ms", v.retry_ms, 0, ms_max);
    o.integer("keepalive_ms", v.keepalive_ms, 0, ms_max);
    o.integer("session_idle_ms", v.session_idle_ms, 0, ms_max);
    o.integer("stream_events_max", v.stream_events_max, 1, 1'000'000);
    o.integer("outbound_messages_max", v.outbound_messages_max, 1, 1'000'000);
    o.integer("request_timeout_ms", v.request_timeout_ms, 1, ms_max);
    o.flag("json_responses", v.json_responses);
    o.integer("instances", v.instances, 1, 16);
  });
  r.array("clients", [&](const json_value& v, const std::string& path) {
    object_reader o{v, path};
    client_group g;
    o.integer("count", g.count, 1, 10'000);
    o.text("transport", g.transport);
    if (g.transport != "streamable" && g.transport != "legacy")
      object_reader::fail(o.at("transport"), "must be \"streamable\" or \"legacy\"");
    o.text("protocol", g.protocol);
    o.flag("get_stream", g.get_stream);
    o.integer("call_timeout_ms", g.call_timeout_ms, 1, ms_max);
    o.array("workload", [&](const json_value& w, const std::string& wpath) {
      object_reader ow{w, wpath};
      g.workload.push_back(read_operation(ow, wpath));
      ow.finish();
    });
    o.finish();
    s.clients.push_back(std::move(g));
  });
  if (s.clients.empty())
    object_reader::fail("clients", "at least one client group is needed");
  r.object("publisher", [&](object_reader& o) {
    o.text("uri", s.publish.uri);
    o.integer("every_ms", s.publish.every_ms, 1, ms_max);
    o.integer("count", s.publish.count, 0, 1'000'000);
  });
  r.object("faults", [&](object_reader& o) {
    auto& f = s.rates;
    if (auto* latency = o.get("latency_ms")) {
      if (!latency->IsArray() || latency->Size() != 2 || !(*latency)[0].IsInt64() ||
          !(*latency)[1].IsInt64() || (*latency)[0].GetInt64() < 0 ||
          (*latency)[1].GetInt64() < (*latency)[0].GetInt64())
        object_reader::fail(o.at("latency_ms"), "must be [min, max] with 0 <= min <= max");
      f.latency_ms_min = (*latency)[0].GetInt64();
      f.latency_ms_max = (*latency)[1].GetInt64();
    }
    o.probability("cut", f.cut);
    o.probability("drop", f.drop);
    o.probability("duplicate", f.duplicate);
    o.probability("reorder", f.reorder);
    o.integer("reorder_ms", f.reorder_ms, 1, ms_max);
    o.integer("ack_delay_ms", f.ack_delay_ms, 0, ms_max);
    o.integer("until_ms", f.until_ms, -1, ms_max);
  });
  r.object("proxy", [&](object_reader& o) {
    o.integer("buffer_bytes", s.proxy.buffer_bytes, 0, 1 << 30);
    o.flag("honours_accel_buffering", s.proxy.honours_accel_buffering);
    o.integer("idle_timeout_ms", s.proxy.idle_timeout_ms, 0, ms_max);
  });
  r.array("schedule", [&](const json_value& v, const std::string& path) {
    object_reader o{v, path};
    auto f = read_fault(o, path);
    if (!is_timed(f.what))
      object_reader::fail(path, "the schedule holds timed faults; call faults come from rates");
    if (f.what == fault::kind::client_crash) {
      int clients = 0;
      for (auto& g : s.clients)
        clients += g.count;
      if (f.client >= clients)
        object_reader::fail(o.at("client"), "no such client");
    }
    if (f.instance >= s.server.instances)
      object_reader::fail(o.at("instance"), "no such server instance");
    o.finish();
    s.schedule.push_back(f);
  });
  r.object("expect", [&](object_reader& o) {
    auto& e = s.expect;
    o.integer("recovery_ms_max", e.recovery_ms_max, 0, ms_max);
    o.flag("lossless", e.lossless);
    o.integer("calls_failed_max", e.calls_failed_max, 0, 1'000'000);
    o.integer("sessions_replaced_min", e.sessions_replaced_min, 0, 1'000'000);
    o.integer("sessions_replaced_max", e.sessions_replaced_max, 0, 1'000'000);
    o.integer("idle_cuts_max", e.idle_cuts_max, 0, 1'000'000);
  });
  return s;
}

template <class T, class Read>
std::variant<T, std::string> parse_with(const std::string& text, Read read) {
  auto parsed = protocol::parse_json(text, {scenario_bytes_max, scenario_depth_max});
  if (auto* e = std::get_if<protocol::json_parse_error>(&parsed))
    return "not JSON: " + e->message;
  try {
    const auto& doc = *std::get<protocol::shared_document>(parsed);
    object_reader r{doc, ""};
    T result = read(r);
    r.finish();
    return result;
  } catch (const bad_scenario& e) {
    return std::string{e.what()};
  }
}

} // namespace

const char* fault_name(fault::kind k) {
  for (auto& [name, kind] : fault_kinds())
    if (kind == k)
      return name.c_str();
  return "?";
}

bool is_timed(fault::kind k) {
  return k == fault::kind::partition || k == fault::kind::server_crash ||
         k == fault::kind::server_stop || k == fault::kind::client_crash ||
         k == fault::kind::clock_jump;
}

std::variant<scenario, std::string> parse_scenario(const std::string& text) {
  return parse_with<scenario>(text, [](object_reader& r) { return read_scenario(r); });
}

std::variant<fault, std::string> parse_fault(const std::string& json_object) {
  return parse_with<fault>(json_object, [](object_reader& r) { return read_fault(r, "fault"); });
}

std::string to_json(const fault& f) {
  protocol::json_writer w;
  w.begin_object().key("fault").string(fault_name(f.what));
  if (is_timed(f.what))
    w.key("at_ms").integer(f.at_ms);
  else
    w.key("call").integer(static_cast<std::int64_t>(f.call));
  if (f.for_ms > 0)
    w.key("for_ms").integer(f.for_ms);
  if (f.client >= 0)
    w.key("client").integer(f.client);
  if (f.instance > 0)
    w.key("instance").integer(f.instance);
  if (f.value > 0)
    w.key("value").integer(static_cast<std::int64_t>(f.value));
  w.end_object();
  return w.str();
}

} // namespace mcp::sim
