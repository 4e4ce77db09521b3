#include "actors/buggify.hpp"

#include "actors/entropy.hpp"

#include <atomic>
#include <map>
#include <memory>

namespace mcp::actors::buggify {

namespace {

// Touched only by the simulator's one thread while enabled; `on` keeps every other
// build and run on the fast path.
std::atomic<bool> on{false};
std::unique_ptr<entropy> random;
std::map<std::string, bool> active; // point -> chosen for this run
std::string bug;

} // namespace

bool available() {
#ifdef MCP_BUGGIFY
  return true;
#else
  return false;
#endif
}

void enable(std::uint64_t seed) {
  random = make_seeded_entropy(seed ^ 0xb0661f7ULL);
  active.clear();
  on = true;
}

void disable() {
  on = false;
  active.clear();
  random.reset();
}

bool fires(const char* point) {
  if (!on)
    return false;
  auto it = active.find(point);
  if (it == active.end())
    it = active.emplace(point, random->next() % 4 == 0).first;
  return it->second && random->next() % 20 == 0;
}

void inject(const std::string& name) { bug = name; }

bool injected(const char* name) { return !bug.empty() && bug == name; }

} // namespace mcp::actors::buggify
