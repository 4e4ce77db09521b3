#include "transport/line_reader.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace mcp::transport {

namespace {
constexpr std::size_t read_chunk_bytes = 64 * 1024;
}

bool line_reader::fill() {
  if (eof_)
    return false;
  buffer_.erase(0, pos_);
  pos_ = 0;
  auto old = buffer_.size();
  buffer_.resize(old + read_chunk_bytes);
  ssize_t n;
  do {
    n = ::read(fd_, buffer_.data() + old, read_chunk_bytes);
  } while (n < 0 && errno == EINTR);
  buffer_.resize(old + (n > 0 ? static_cast<std::size_t>(n) : 0));
  if (n <= 0)
    eof_ = true;
  return n > 0;
}

std::optional<line> line_reader::next() {
  std::string text;
  std::size_t skipped = 0;
  for (;;) {
    auto end = buffer_.find('\n', pos_);
    auto stop = end == std::string::npos ? buffer_.size() : end;
    auto piece = stop - pos_;
    if (skipped == 0 && text.size() + piece <= line_bytes_max_ + 1) {
      text.append(buffer_, pos_, piece);
    } else {
      // Over the limit: count the bytes, keep none of them.
      skipped += text.size() + piece;
      text.clear();
    }
    pos_ = stop;
    if (end != std::string::npos) {
      ++pos_;
      break;
    }
    if (!fill()) {
      if (text.empty() && skipped == 0)
        return std::nullopt;
      break;
    }
  }
  if (!text.empty() && text.back() == '\r')
    text.pop_back();
  if (skipped == 0 && text.size() > line_bytes_max_) {
    skipped = text.size();
    text.clear();
  }
  return line{std::move(text), skipped};
}

} // namespace mcp::transport
