// The one source of randomness of the actors (session ids, later jitter). Injected, so
// that the simulator replays a run from its seed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace mcp::actors {

class entropy {
public:
  virtual ~entropy() = default;
  virtual std::uint64_t next() = 0;

  // 128 random bits as 32 lowercase hex digits: visible ASCII, fit for Mcp-Session-Id.
  std::string session_id();
};

// Cryptographically secure: the kernel's random source.
std::unique_ptr<entropy> make_system_entropy();
// Reproducible: splitmix64 from a seed.
std::unique_ptr<entropy> make_seeded_entropy(std::uint64_t seed);

} // namespace mcp::actors
