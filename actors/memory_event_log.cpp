#include <mcp/event_log.hpp>

#include <deque>
#include <map>
#include <utility>

namespace mcp {

namespace {

class memory_event_log final : public event_log {
public:
  explicit memory_event_log(std::size_t events_per_stream_max)
    : events_per_stream_max_(events_per_stream_max) {}

  void append(std::uint64_t stream, std::uint64_t event, const std::string& framed) override {
    auto& events = streams_[stream];
    events.emplace_back(event, framed);
    if (events.size() > events_per_stream_max_)
      events.pop_front();
  }

  std::vector<std::string> replay(std::uint64_t stream, std::uint64_t event) const override {
    std::vector<std::string> out;
    auto it = streams_.find(stream);
    if (it != streams_.end())
      for (auto& [number, framed] : it->second)
        if (number > event)
          out.push_back(framed);
    return out;
  }

  void forget(std::uint64_t stream) override { streams_.erase(stream); }

private:
  std::size_t events_per_stream_max_;
  std::map<std::uint64_t, std::deque<std::pair<std::uint64_t, std::string>>> streams_;
};

} // namespace

event_log_factory memory_event_logs(std::size_t events_per_stream_max) {
  return [events_per_stream_max](const std::string&) {
    return std::make_unique<memory_event_log>(events_per_stream_max);
  };
}

} // namespace mcp
