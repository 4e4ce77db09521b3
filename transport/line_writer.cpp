#include "transport/line_writer.hpp"

#include "actors/messages.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <cerrno>
#include <unistd.h>

namespace mcp::transport {

namespace {

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

} // namespace

caf::behavior line_writer(caf::event_based_actor* self, int fd,
                          std::function<void(caf::event_based_actor*)> on_broken) {
  return {
      [=](actors::write_atom, std::string& text, std::uint64_t seq) {
        // Valid JSON has line breaks only as whitespace: they may become spaces, so that one
        // message stays one line whatever the handlers wrote.
        std::replace(text.begin(), text.end(), '\n', ' ');
        std::replace(text.begin(), text.end(), '\r', ' ');
        text += '\n';
        if (!write_all(fd, text)) {
          on_broken(self);
          self->quit();
          return;
        }
        if (seq != 0)
          self->send(caf::actor_cast<caf::actor>(self->current_sender()),
                     actors::written_atom::value, seq);
      },
      [=](actors::close_atom) { self->quit(); },
      // A client names its session to its channel; a line writer has nothing to tell it
      // (the reader delivers the child's lines).
      [=](actors::connect_atom, const caf::actor&) {},
  };
}

} // namespace mcp::transport
