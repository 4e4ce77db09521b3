// Waiting for something that happens on other threads (a session ending after its
// client left): polls `condition` until it holds or `bound` passes. A bound against
// hangs, never a timed assertion: the caller checks the condition afterwards.
#pragma once

#include <chrono>
#include <thread>

namespace mcp::test {

template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds bound = std::chrono::seconds{5}) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{2});
  }
  return true;
}

} // namespace mcp::test
