// mcp-sim: runs scenario files on the deterministic simulator.
//
//   mcp-sim run SCENARIO [--seed N] [--trace FILE] [--report FILE.json] [--html FILE.html]
//                        [--save FILE] [--bug NAME]
//   mcp-sim sweep SCENARIO [--seeds A..B] [--bug NAME] [--save-dir DIR] [--shrink]
//   mcp-sim replay SAVED [--trace FILE] [--report FILE.json] [--html FILE.html]
//   mcp-sim shrink SAVED [--out FILE]
//
// Exit codes: 0 all runs passed; 1 a run broke an invariant (or a replay differed);
// 2 usage or input errors.
#include "actors/buggify.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"
#include "sim/saved_run.hpp"
#include "sim/shrink.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

using namespace mcp::sim;

namespace {

struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw usage_error{"cannot read " + path};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out{path, std::ios::binary};
  out << text;
  if (!out)
    throw usage_error{"cannot write " + path};
}

struct arguments {
  std::string command, input;
  std::map<std::string, std::string> options;
  bool has(const std::string& k) const { return options.count(k) != 0; }
  std::string get(const std::string& k, const std::string& fallback = {}) const {
    auto it = options.find(k);
    return it == options.end() ? fallback : it->second;
  }
};

arguments parse_arguments(int argc, char** argv) {
  if (argc < 3)
    throw usage_error{"usage: mcp-sim run|sweep|replay|shrink FILE [options] (see --help)"};
  arguments a{argv[1], argv[2], {}};
  for (int i = 3; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0)
      throw usage_error{"unexpected argument " + k};
    if (k == "--shrink") {
      a.options[k] = "1";
      continue;
    }
    if (i + 1 >= argc)
      throw usage_error{k + " needs a value"};
    a.options[k] = argv[++i];
  }
  return a;
}

scenario load_scenario(const std::string& text, const std::string& path) {
  auto s = parse_scenario(text);
  if (auto* e = std::get_if<std::string>(&s))
    throw usage_error{path + ": " + *e};
  return std::get<scenario>(std::move(s));
}

std::uint64_t number(const std::string& s, const std::string& what) {
  try {
    std::size_t used = 0;
    auto n = std::stoull(s, &used);
    if (used == s.size())
      return n;
  } catch (const std::exception&) {
  }
  throw usage_error{what + " must be a number, not \"" + s + "\""};
}

void check_bug(const std::string& bug) {
  if (!bug.empty() && !mcp::actors::buggify::available())
    throw usage_error{"--bug needs a build with MCP_BUGGIFY (not a Release build)"};
}

void summarize(const run_result& r) {
  auto& n = r.counters;
  std::cout << r.scenario << " seed " << r.seed << ": " << (r.ok() ? "passed" : "FAILED")
            << ", trace " << hex(r.trace_hash) << ", " << r.virtual_ms << " ms virtual in "
            << static_cast<long>(r.wall_ms) << " ms, " << n.calls << " calls, " << n.cuts
            << " cuts, " << n.resumptions << " resumptions, " << n.replayed_events
            << " events replayed\n";
  for (auto& c : r.clients)
    std::cout << "  " << c.label << ": " << c.calls_ok << " ok, " << c.calls_failed << " failed, "
              << c.calls_lost << " lost in transit, progress " << c.progress_seen << "/"
              << c.progress_expected << ", " << c.notifications << " updates, "
              << c.sessions_replaced << " replaced, recovered in " << c.recovery_ms << " ms\n";
  for (auto& v : r.violations)
    std::cout << "  violation: " << v << "\n";
}

void write_outputs(const arguments& a, const run_result& r, const scenario& s) {
  if (a.has("--trace")) {
    std::string t;
    for (auto& line : r.trace)
      t += line + "\n";
    write_file(a.get("--trace"), t);
  }
  if (a.has("--report"))
    write_file(a.get("--report"), report_json(r) + "\n");
  if (a.has("--html"))
    write_file(a.get("--html"), report_html(r, s));
}

int run_one(const arguments& a) {
  auto text = read_file(a.input);
  auto s = load_scenario(text, a.input);
  run_options o;
  o.seed = number(a.get("--seed", "1"), "--seed");
  o.injected_bug = a.get("--bug");
  check_bug(o.injected_bug);
  auto r = run(s, o);
  summarize(r);
  write_outputs(a, r, s);
  if (a.has("--save"))
    write_file(a.get("--save"), save_run(text, o, r) + "\n");
  return r.ok() ? 0 : 1;
}

int sweep(const arguments& a) {
  auto text = read_file(a.input);
  auto s = load_scenario(text, a.input);
  auto range = a.get("--seeds", "1..100");
  auto dots = range.find("..");
  if (dots == std::string::npos)
    throw usage_error{"--seeds takes A..B"};
  auto first = number(range.substr(0, dots), "--seeds");
  auto last = number(range.substr(dots + 2), "--seeds");
  if (last < first)
    throw usage_error{"--seeds: B must not be below A"};
  auto bug = a.get("--bug");
  check_bug(bug);
  auto start = std::chrono::steady_clock::now();
  std::int64_t virtual_ms = 0;
  std::vector<std::uint64_t> failed;
  for (auto seed = first; seed <= last; ++seed) {
    run_options o;
    o.seed = seed;
    o.injected_bug = bug;
    o.keep_trace = false;
    auto r = run(s, o);
    virtual_ms += r.virtual_ms;
    if (r.ok())
      continue;
    failed.push_back(seed);
    std::cout << s.name << " seed " << seed << ": FAILED: " << r.violations.front() << "\n"
              << "  replay: mcp-sim run " << a.input << " --seed " << seed
              << (bug.empty() ? "" : " --bug " + bug) << "\n";
    if (a.has("--save-dir"))
      write_file(a.get("--save-dir") + "/" + s.name + "-" + std::to_string(seed) + ".json",
                 save_run(text, o, r) + "\n");
    if (a.has("--shrink") && failed.size() == 1) {
      auto small = shrink(s, o, r.call_faults());
      std::cout << "  shrunk in " << small.runs << " runs from " << r.call_faults().size() << " to "
                << small.options.replay->size() << " call faults:";
      for (auto& f : *small.options.replay)
        std::cout << " " << to_json(f);
      std::cout << "\n  still failing with: " << small.failing.violations.front() << "\n";
    }
  }
  auto wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto seeds = static_cast<double>(last - first + 1);
  std::cout << s.name << ": " << static_cast<long>(seeds) << " seeds, " << failed.size()
            << " failed; " << static_cast<long>(static_cast<double>(virtual_ms) / 1000.0 / wall_s)
            << " simulated s per wall s, " << static_cast<long>(seeds / wall_s) << " seeds/s ("
            << static_cast<long>(wall_s * 1000) << " ms)\n";
  return failed.empty() ? 0 : 1;
}

saved_run load_saved(const std::string& path) {
  auto saved = load_run(read_file(path));
  if (auto* e = std::get_if<std::string>(&saved))
    throw usage_error{path + ": " + *e};
  return std::get<saved_run>(std::move(saved));
}

int replay(const arguments& a) {
  auto saved = load_saved(a.input);
  check_bug(saved.options.injected_bug);
  auto r = run(saved.parsed, saved.options);
  summarize(r);
  write_outputs(a, r, saved.parsed);
  if (r.trace_hash != saved.trace_hash) {
    std::cout << "replay DIFFERS: trace " << hex(r.trace_hash) << ", saved "
              << hex(saved.trace_hash) << "\n";
    return 1;
  }
  std::cout << "replayed exactly (trace " << hex(r.trace_hash) << ")\n";
  return r.ok() ? 0 : 1;
}

int shrink_saved(const arguments& a) {
  auto saved = load_saved(a.input);
  check_bug(saved.options.injected_bug);
  auto faults = saved.options.replay.value_or(std::vector<fault>{});
  auto small = shrink(saved.parsed, saved.options, faults, 400,
                      [](const std::string& line) { std::cout << "  " << line << "\n"; });
  if (small.failing.ok()) {
    std::cout << "the saved run does not fail: nothing to shrink\n";
    return 0;
  }
  std::cout << "shrunk in " << small.runs << " runs from " << faults.size() << " to "
            << small.options.replay->size() << " call faults; it fails with:\n";
  for (auto& v : small.failing.violations)
    std::cout << "  " << v << "\n";
  auto out = a.get("--out", a.input + ".shrunk.json");
  small.options.keep_trace = true;
  auto r = run(saved.parsed, small.options);
  write_file(out, save_run(saved.scenario_text, small.options, r) + "\n");
  std::cout << "written to " << out << "\n";
  return 1;
}

} // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && std::string{argv[1]} == "--help") {
      std::cout << "mcp-sim run SCENARIO [--seed N] [--trace F] [--report F.json] [--html F.html] "
                   "[--save F] [--bug NAME]\n"
                   "mcp-sim sweep SCENARIO [--seeds A..B] [--bug NAME] [--save-dir D] [--shrink]\n"
                   "mcp-sim replay SAVED [--trace F] [--report F.json] [--html F.html]\n"
                   "mcp-sim shrink SAVED [--out F]\n";
      return 0;
    }
    auto a = parse_arguments(argc, argv);
    if (a.command == "run")
      return run_one(a);
    if (a.command == "sweep")
      return sweep(a);
    if (a.command == "replay")
      return replay(a);
    if (a.command == "shrink")
      return shrink_saved(a);
    throw usage_error{"unknown command " + a.command};
  } catch (const usage_error& e) {
    std::cerr << "mcp-sim: " << e.what() << "\n";
    return 2;
  }
}
