// Where handlers run. User handlers may block (I/O, a call to the client), so they run on
// worker threads and never on CAF's scheduler. With zero threads a job runs inline, on
// the calling actor: deterministic, for the simulator and virtual-time tests.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace mcp::actors {

class handler_pool {
public:
  explicit handler_pool(std::size_t threads);
  ~handler_pool();
  handler_pool(const handler_pool&) = delete;
  handler_pool& operator=(const handler_pool&) = delete;

  bool runs_inline() const { return impl_ == nullptr; }
  void post(std::function<void()> job);
  // Waits for every posted job; no job may be posted afterwards.
  void join();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace mcp::actors
