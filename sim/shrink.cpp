#include "sim/shrink.hpp"

namespace mcp::sim {

shrink_result shrink(const scenario& s, run_options failing, std::vector<fault> call_faults,
                     int runs_max, const std::function<void(const std::string&)>& progress) {
  shrink_result out;
  failing.keep_trace = false;
  auto fails = [&](const std::vector<fault>& candidate) {
    auto options = failing;
    options.replay = candidate;
    ++out.runs;
    auto r = run(s, options);
    if (r.ok())
      return false;
    out.options = options;
    out.failing = std::move(r);
    return true;
  };
  if (!fails(call_faults)) {
    out.options = failing;
    out.options.replay = call_faults;
    return out; // it does not fail (any more): nothing to shrink
  }
  if (fails({}))
    return out; // the anchors alone fail
  std::size_t n = 2;
  while (call_faults.size() >= 2 && out.runs < runs_max) {
    auto chunk = (call_faults.size() + n - 1) / n;
    bool reduced = false;
    for (std::size_t start = 0; start < call_faults.size() && out.runs < runs_max; start += chunk) {
      std::vector<fault> rest(call_faults.begin(), call_faults.begin() + static_cast<long>(start));
      auto stop = std::min(call_faults.size(), start + chunk);
      rest.insert(rest.end(), call_faults.begin() + static_cast<long>(stop), call_faults.end());
      if (fails(rest)) {
        call_faults = std::move(rest);
        n = std::max<std::size_t>(n - 1, 2);
        reduced = true;
        if (progress)
          progress(std::to_string(call_faults.size()) + " call faults still fail");
        break;
      }
    }
    if (!reduced) {
      if (n >= call_faults.size())
        break;
      n = std::min(call_faults.size(), n * 2);
    }
  }
  return out; // out.options holds the last failing list, which is call_faults
}

} // namespace mcp::sim
