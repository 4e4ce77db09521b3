// mcp-load: the load client of the benchmarks, for the workloads that need SSE streams and
// many sessions (wrk drives the plain POST workloads). Prints one JSON line of figures.
//
//   mcp-load session  --url http://127.0.0.1:P/mcp      (a session for wrk)
//   mcp-load legacy   --url http://127.0.0.1:P/mcp --sessions 200 --duration 5
//   mcp-load idle     --url ... --sessions 10000 [--hold-ms 2000]
//   mcp-load fanout   --url ... --sessions 10000
//   mcp-load resume   --url ... --count 10000
//   mcp-load progress --url ... --count 10000
#include "bench/load/workloads.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>
#include <map>

namespace {

int usage() {
  std::cerr
      << "usage: mcp-load session|legacy|idle|fanout|resume|progress --url URL [--sse-path P]\n"
         "                [--sessions N] [--concurrency K] [--count N] [--duration S]\n"
         "                [--hold-ms MS] [--settle-ms MS]\n";
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2 || (argc % 2) != 0)
    return usage();
  std::string workload = argv[1];
  std::map<std::string, std::string> args;
  for (int i = 2; i + 1 < argc; i += 2)
    args[argv[i]] = argv[i + 1];
  load::options o;
  try {
    o.where = load::parse_url(args.at("--url"));
    o.sse_path = args.count("--sse-path") ? args["--sse-path"] : "/sse";
    if (args.count("--sessions"))
      o.sessions = o.concurrency = std::stoul(args["--sessions"]);
    if (args.count("--concurrency"))
      o.concurrency = std::stoul(args["--concurrency"]);
    if (args.count("--count"))
      o.count = std::stoll(args["--count"]);
    if (args.count("--duration"))
      o.duration_s = std::stod(args["--duration"]);
    if (args.count("--hold-ms"))
      o.hold_ms = std::stoll(args["--hold-ms"]);
    if (args.count("--settle-ms"))
      o.settle_ms = std::stoll(args["--settle-ms"]);
  } catch (const std::exception& e) {
    std::cerr << "mcp-load: bad arguments (" << e.what() << ")\n";
    return usage();
  }
  o.concurrency = std::min<std::size_t>(o.concurrency, 200);

  boost::asio::io_context ioc{1};
  auto run = [&]() -> boost::asio::awaitable<std::string> {
    if (workload == "session")
      return load::open_session(o);
    if (workload == "legacy")
      return load::legacy_calls(o);
    if (workload == "idle" || workload == "fanout")
      return load::idle_sessions(o, workload == "fanout");
    if (workload == "resume")
      return load::resume_stream(o);
    if (workload == "progress")
      return load::progress_stream(o);
    throw std::invalid_argument("unknown workload " + workload);
  };
  int status = 0;
  try {
    boost::asio::co_spawn(ioc, run(), [&](std::exception_ptr e, std::string figures) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          std::cerr << "mcp-load " << workload << ": " << x.what() << "\n";
        }
        status = 1;
      } else {
        std::cout << figures << std::endl;
      }
    });
  } catch (const std::exception& e) {
    std::cerr << "mcp-load: " << e.what() << "\n";
    return usage();
  }
  ioc.run();
  return status;
}
