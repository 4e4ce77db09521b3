// Runs a program as a separate process with pipes on its stdin and stdout, for tests of
// the stdio transport over real file descriptors. Every wait is bounded.
#pragma once

#include <chrono>
#include <csignal>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mcp::test {

class child_process {
public:
  explicit child_process(std::vector<std::string> argv) {
    int in[2];
    int out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0)
      throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      std::vector<char*> args;
      for (auto& a : argv)
        args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    std::signal(SIGPIPE, SIG_IGN);
  }

  ~child_process() {
    // EOF ends a stdio server; a network server is asked with SIGTERM; then SIGKILL.
    close_stdin();
    if (pid_ > 0 && !exit_code(std::chrono::milliseconds{200})) {
      ::kill(pid_, SIGTERM);
      if (!exit_code(std::chrono::seconds{5})) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
      }
    }
    ::close(stdout_);
  }

  bool write_line(const std::string& text) {
    std::string line = text + "\n";
    std::size_t done = 0;
    while (done < line.size()) {
      auto n = ::write(stdin_, line.data() + done, line.size() - done);
      if (n <= 0)
        return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // The next line the child wrote, or nullopt at EOF or after `bound`.
  std::optional<std::string> read_line(std::chrono::milliseconds bound = std::chrono::seconds{10}) {
    auto deadline = std::chrono::steady_clock::now() + bound;
    for (;;) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        auto line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        return std::nullopt;
      pollfd p{stdout_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
        return std::nullopt;
      char chunk[65536];
      auto n = ::read(stdout_, chunk, sizeof chunk);
      if (n <= 0)
        return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // Ends the child at once (SIGKILL), as a crash would.
  void kill_now() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    status_ = 128 + SIGKILL;
  }

  void close_stdin() {
    if (stdin_ >= 0) {
      ::close(stdin_);
      stdin_ = -1;
    }
  }

  // The exit code once the child ended within `bound`.
  std::optional<int> exit_code(std::chrono::milliseconds bound) {
    if (status_)
      return status_;
    auto deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return status_;
      }
      ::usleep(2000);
    }
    return std::nullopt;
  }

private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string buffer_;
  std::optional<int> status_;
};

} // namespace mcp::test
