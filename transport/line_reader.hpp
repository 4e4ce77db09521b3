// Splits a byte stream from a file descriptor into lines, never holding more than
// `line_bytes_max` bytes of one line: a longer line is skipped and reported.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace mcp::transport {

struct line {
  std::string text;          // without the line end ("\n" or "\r\n")
  std::size_t skipped_bytes; // > 0: the line was over the limit and dropped
};

class line_reader {
public:
  line_reader(int fd, std::size_t line_bytes_max) : fd_(fd), line_bytes_max_(line_bytes_max) {}

  // The next line, or nullopt at the end of input (a last line without "\n" counts).
  std::optional<line> next();

private:
  bool fill();

  int fd_;
  std::size_t line_bytes_max_;
  std::string buffer_;
  std::size_t pos_ = 0;
  bool eof_ = false;
};

} // namespace mcp::transport
