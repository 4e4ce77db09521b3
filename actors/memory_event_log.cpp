#include <mcp/event_log.hpp>

#include <map>
#include <utility>

namespace mcp {

namespace {

// The last `max` events of one stream, oldest first. A ring that grows only as events
// come: most streams hold a few events, and an idle session's memory is what it holds.
class event_ring {
public:
  void push(std::size_t max, std::uint64_t event, const std::string& framed) {
    if (max == 0)
      return;
    if (slots_.size() < max) {
      slots_.emplace_back(event, framed);
      return;
    }
    slots_[oldest_] = {event, framed};
    oldest_ = (oldest_ + 1) % slots_.size();
  }

  template <class F> void each(F f) const {
    for (std::size_t i = 0; i < slots_.size(); ++i)
      f(slots_[(oldest_ + i) % slots_.size()]);
  }

private:
  std::vector<std::pair<std::uint64_t, std::string>> slots_;
  std::size_t oldest_ = 0; // where the oldest event is, once the ring is full
};

class memory_event_log final : public event_log {
public:
  explicit memory_event_log(std::size_t events_per_stream_max)
    : events_per_stream_max_(events_per_stream_max) {}

  void append(std::uint64_t stream, std::uint64_t event, const std::string& framed) override {
    streams_[stream].push(events_per_stream_max_, event, framed);
  }

  std::optional<std::vector<std::string>> replay(std::uint64_t stream,
                                                 std::uint64_t event) const override {
    std::vector<std::string> out;
    auto it = streams_.find(stream);
    if (it != streams_.end())
      it->second.each([&](const auto& slot) {
        if (slot.first > event)
          out.push_back(slot.second);
      });
    return out;
  }

  void forget(std::uint64_t stream) override {
    streams_.erase(stream);
    requests_.erase(stream);
  }

  void note_requests(std::uint64_t stream, const std::vector<std::string>& ids) override {
    requests_[stream] = ids;
  }
  std::vector<std::string> noted_requests(std::uint64_t stream) const override {
    auto it = requests_.find(stream);
    return it == requests_.end() ? std::vector<std::string>{} : it->second;
  }

  std::map<std::uint64_t, std::uint64_t> streams() const override {
    std::map<std::uint64_t, std::uint64_t> out;
    for (auto& [number, ring] : streams_)
      ring.each([&, n = number](const auto& slot) { out[n] = std::max(out[n], slot.first); });
    for (auto& [number, ids] : requests_)
      out.emplace(number, 0); // noted before any event was logged
    return out;
  }

private:
  std::size_t events_per_stream_max_;
  std::map<std::uint64_t, event_ring> streams_;
  std::map<std::uint64_t, std::vector<std::string>> requests_;
};

} // namespace

event_log_factory memory_event_logs(std::size_t events_per_stream_max) {
  return [events_per_stream_max](const std::string&) {
    return std::make_unique<memory_event_log>(events_per_stream_max);
  };
}

} // namespace mcp
