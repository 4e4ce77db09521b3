#include "actors/entropy.hpp"

#include <random>

namespace mcp::actors {

namespace {

class system_entropy final : public entropy {
public:
  std::uint64_t next() override {
    // std::random_device reads getrandom(2) on Linux with libstdc++.
    return (std::uint64_t{device_()} << 32) | device_();
  }

private:
  std::random_device device_;
};

class seeded_entropy final : public entropy {
public:
  explicit seeded_entropy(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() override {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

private:
  std::uint64_t state_;
};

} // namespace

std::string entropy::session_id() {
  static constexpr char digits[] = "0123456789abcdef";
  std::string id;
  id.reserve(32);
  for (int word = 0; word < 2; ++word) {
    auto bits = next();
    for (int i = 0; i < 16; ++i, bits >>= 4)
      id += digits[bits & 0xf];
  }
  return id;
}

std::unique_ptr<entropy> make_system_entropy() { return std::make_unique<system_entropy>(); }

std::unique_ptr<entropy> make_seeded_entropy(std::uint64_t seed) {
  return std::make_unique<seeded_entropy>(seed);
}

} // namespace mcp::actors
