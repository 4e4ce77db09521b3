#include "sim/saved_run.hpp"

#include "protocol/json.hpp"
#include "protocol/json_writer.hpp"
#include "sim/report.hpp"

#include <cstdlib>

namespace mcp::sim {

namespace {

constexpr std::size_t saved_bytes_max = 64 << 20;
constexpr std::size_t saved_depth_max = 32;

} // namespace

std::string save_run(const std::string& scenario_text, const run_options& options,
                     const run_result& result) {
  protocol::json_writer w;
  w.begin_object();
  w.key("seed").integer(static_cast<std::int64_t>(options.seed));
  w.key("injected_bug").string(options.injected_bug);
  w.key("trace_hash").string(hex(result.trace_hash));
  w.key("violations").begin_array();
  for (auto& v : result.violations)
    w.string(v);
  w.end_array();
  w.key("schedule").begin_array();
  for (auto& f : result.timed_faults())
    w.raw(to_json(f));
  w.end_array();
  w.key("call_faults").begin_array();
  for (auto& f : result.call_faults())
    w.raw(to_json(f));
  w.end_array();
  w.key("scenario").raw(scenario_text);
  w.end_object();
  return w.str();
}

std::variant<saved_run, std::string> load_run(const std::string& text) {
  auto parsed = protocol::parse_json(text, {saved_bytes_max, saved_depth_max});
  if (auto* e = std::get_if<protocol::json_parse_error>(&parsed))
    return "not JSON: " + e->message;
  const auto& doc = *std::get<protocol::shared_document>(parsed);
  if (!doc.IsObject())
    return std::string{"a saved run is a JSON object"};
  saved_run out;
  auto* scenario_value = find_member(doc, "scenario");
  auto seed = get_int(doc, "seed");
  auto hash = get_string(doc, "trace_hash");
  if (scenario_value == nullptr || !seed || !hash)
    return std::string{"a saved run needs scenario, seed and trace_hash"};
  out.scenario_text = mcp::to_json(*scenario_value);
  auto s = parse_scenario(out.scenario_text);
  if (auto* e = std::get_if<std::string>(&s))
    return "scenario: " + *e;
  out.parsed = std::get<scenario>(std::move(s));
  out.options.seed = static_cast<std::uint64_t>(*seed);
  out.options.injected_bug = get_string(doc, "injected_bug").value_or("");
  out.trace_hash = std::strtoull(hash->c_str(), nullptr, 16);
  auto faults = [&](const char* key) -> std::variant<std::vector<fault>, std::string> {
    std::vector<fault> list;
    auto* v = find_member(doc, key);
    if (v == nullptr || !v->IsArray())
      return std::string{key} + ": must be an array";
    for (auto& item : v->GetArray()) {
      auto f = parse_fault(mcp::to_json(item));
      if (auto* e = std::get_if<std::string>(&f))
        return std::string{key} + ": " + *e;
      list.push_back(std::get<fault>(f));
    }
    return list;
  };
  auto schedule = faults("schedule");
  if (auto* e = std::get_if<std::string>(&schedule))
    return *e;
  auto calls = faults("call_faults");
  if (auto* e = std::get_if<std::string>(&calls))
    return *e;
  out.options.schedule = std::get<std::vector<fault>>(std::move(schedule));
  out.options.replay = std::get<std::vector<fault>>(std::move(calls));
  return out;
}

} // namespace mcp::sim
