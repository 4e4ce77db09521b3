"""Soak test: holds load on bench_server for a while with random disconnects and resumes,
and checks that nothing is lost or doubled, that memory and descriptors stay flat, and
that every session is cleaned up at the end.

Each simulated client owns one session at a time and, chosen by a seeded RNG, calls echo,
calls stream_progress (sometimes cutting its POST stream and resuming it with
Last-Event-ID on a GET), touches the watched resource (every session's GET stream gets an
update), cuts its own GET stream (resumed with Last-Event-ID), or ends its session and
opens a new one. Every GET stream's event numbers must follow one another across all its
reconnections; every progress call must see each step exactly once and one answer.

    python3 bench/soak.py --bin-dir build-release/bench --seconds 600 --clients 32
    (ctest runs it for 20 s as soak_quick, and for --seconds 600 with `ctest -C soak`)
"""
import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Server  # noqa: E402

POST_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


class Failure(Exception):
    pass


def rpc(id_, method, params=None):
    m = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        m["params"] = params
    return json.dumps(m)


class EventReader:
    """Reads SSE events from an http.client response, one at a time."""

    def __init__(self, response):
        self.response = response

    def next(self):
        data, event_id, seen = [], None, False
        while True:
            line = self.response.readline()
            if not line:
                return None  # the stream ended
            line = line.decode().rstrip("\r\n")
            if line == "":
                if seen:
                    return event_id, "\n".join(data)
                continue
            if line.startswith(":"):
                continue
            seen = True
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "data":
                data.append(value)
            elif field == "id":
                event_id = value


def number_of(event_id):
    return int(event_id.rsplit("-", 1)[1])


class Client:
    def __init__(self, host, port, rng, stats):
        self.host, self.port, self.rng, self.stats = host, port, rng, stats
        self.next_id = 10
        self.sid = None

    def conn(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def headers(self, extra=None):
        h = dict(POST_HEADERS)
        h.update({"Mcp-Session-Id": self.sid, "MCP-Protocol-Version": "2025-11-25"})
        h.update(extra or {})
        return h

    def post(self, body, headers):
        c = self.conn()
        c.request("POST", "/mcp", body=body, headers=headers)
        return c, c.getresponse()

    def call(self, method, params, cut_after=None):
        """A request answered on its POST stream; with cut_after, the connection is dropped
        after that many events and the stream resumed with Last-Event-ID."""
        self.next_id += 1
        c, r = self.post(rpc(self.next_id, method, params), self.headers())
        if r.status != 200:
            raise Failure(f"{method}: status {r.status}")
        events, last_id, reader = [], None, EventReader(r)
        while True:
            if cut_after is not None and len(events) == cut_after:
                c.close()
                self.stats.add("post_streams_cut")
                # 409 while the server has not yet seen the cut connection go: retry.
                for _ in range(200):
                    c = self.conn()
                    c.request("GET", "/mcp", headers=self.headers(
                        {"Accept": "text/event-stream", "Last-Event-ID": last_id}))
                    r = c.getresponse()
                    if r.status != 409:
                        break
                    r.read()
                    c.close()
                    time.sleep(0.01)
                if r.status != 200:
                    raise Failure(f"resume of {last_id}: status {r.status}")
                reader, cut_after = EventReader(r), None
            e = reader.next()
            if e is None:
                break
            event_id, data = e
            last_id = event_id or last_id
            if data:
                events.append(json.loads(data))
        c.close()
        answers = [m for m in events if m.get("id") == self.next_id]
        if len(answers) != 1:
            raise Failure(f"{method}: {len(answers)} answers")
        return answers[0], [m for m in events if "method" in m]

    def open_session(self):
        c, r = self.post(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "soak", "version": "1"}}}), POST_HEADERS)
        self.sid = r.getheader("Mcp-Session-Id")
        r.read()
        c.close()
        if r.status != 200 or not self.sid:
            raise Failure(f"initialize: status {r.status}")
        c, r = self.post(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
                         self.headers())
        r.read()
        c.close()
        self.call("resources/subscribe", {"uri": "bench://watched"})
        self.stats.add("sessions_opened")
        self.get_stream = GetStream(self)
        self.get_stream.start()

    def close_session(self):
        self.get_stream.finish()
        c = self.conn()
        c.request("DELETE", "/mcp", headers=self.headers())
        r = c.getresponse()
        r.read()
        c.close()
        if r.status != 200:
            raise Failure(f"DELETE: status {r.status}")
        self.stats.add("sessions_closed")

    def step(self):
        roll = self.rng.random()
        if roll < 0.45:
            text = f"soak-{self.rng.randrange(1 << 30)}"
            answer, _ = self.call("tools/call", {"name": "echo", "arguments": {"text": text}})
            if answer["result"]["content"][0]["text"] != text:
                raise Failure("echo answered another text")
            self.stats.add("echo_calls")
        elif roll < 0.70:
            count = 20
            cut = self.rng.randrange(1, count) if self.rng.random() < 0.4 else None
            _, notes = self.call("tools/call", {"name": "stream_progress", "arguments": {
                "count": count}, "_meta": {"progressToken": self.next_id + 1}}, cut_after=cut)
            steps = sorted(n["params"]["progress"] for n in notes
                           if n["method"] == "notifications/progress")
            if steps != list(range(1, count + 1)):
                raise Failure(f"progress steps {steps}")
            self.stats.add("progress_calls")
        elif roll < 0.80:
            self.call("tools/call", {"name": "touch_resource", "arguments": {"uri": "bench://watched"}})
            self.stats.add("touches")
        elif roll < 0.93:
            self.get_stream.cut()
        else:
            self.close_session()
            self.open_session()


class GetStream(threading.Thread):
    """A session's GET stream: follows its event numbers across reconnections."""

    def __init__(self, client):
        super().__init__(daemon=True)
        self.client = client
        self.last_id = None
        self.sock = None  # of the current connection (http.client may drop its own reference)
        self.lock = threading.Lock()
        self.done = False
        self.error = None

    def drop_connection(self):
        try:
            if self.sock:
                self.sock.shutdown(2)
        except OSError:
            pass  # already gone

    def cut(self):
        with self.lock:
            self.drop_connection()
        self.client.stats.add("get_streams_cut")

    def finish(self):
        with self.lock:
            self.done = True
            self.drop_connection()
        self.join(30)
        if self.error:
            raise self.error

    def run(self):
        try:
            while not self.done:
                extra = {"Accept": "text/event-stream"}
                if self.last_id:
                    extra["Last-Event-ID"] = self.last_id
                c = self.client.conn()
                c.timeout = None
                c.connect()
                with self.lock:
                    if self.done:
                        c.close()
                        return
                    self.sock = c.sock
                try:
                    c.request("GET", "/mcp", headers=self.client.headers(extra))
                    r = c.getresponse()
                except (OSError, http.client.HTTPException):
                    c.close()  # cut (by us) before the answer came: connect again
                    continue
                if r.status == 409:  # the server has not yet seen the last connection go
                    c.close()
                    time.sleep(0.01)
                    continue
                if r.status != 200:
                    raise Failure(f"GET stream: status {r.status}")
                if self.last_id:
                    self.client.stats.add("get_resumes")
                reader = EventReader(r)
                try:
                    while True:
                        e = reader.next()
                        if e is None:
                            break
                        event_id, data = e
                        if event_id:
                            if self.last_id and number_of(event_id) != number_of(self.last_id) + 1:
                                raise Failure(f"GET stream: {self.last_id} then {event_id}")
                            self.last_id = event_id
                        if data:
                            self.client.stats.add("updates_received")
                except (OSError, http.client.HTTPException):
                    pass  # cut
                c.close()
        except Exception as e:  # noqa: BLE001 - reported by finish()
            if not self.done:
                self.error = e


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, name, n=1):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + n


def fds_of(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def scrape(host, port):
    c = http.client.HTTPConnection(host, port, timeout=10)
    c.request("GET", "/metrics", headers={"Connection": "close"})
    text = c.getresponse().read().decode()
    c.close()
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bin-dir", required=True)
    p.add_argument("--seconds", type=float, default=600)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sample-every", type=float, default=0)
    a = p.parse_args()
    sample_every = a.sample_every or max(1.0, a.seconds / 20)

    server = Server("bench_server", [os.path.join(a.bin_dir, "bench_server"), "--port", "0"])
    host, port = "127.0.0.1", int(server.url.split(":")[2].split("/")[0])
    base_fds = fds_of(server.proc.pid)
    stats, stop, errors = Stats(), threading.Event(), []
    print(f"soak: {a.clients} clients for {a.seconds:.0f} s, seed {a.seed}, server {server.url}")

    def worker(i):
        client = Client(host, port, random.Random(a.seed * 1000 + i), stats)
        try:
            client.open_session()
            while not stop.is_set():
                client.step()
            client.close_session()
        except Exception as e:  # noqa: BLE001 - every failure is reported
            where = [l.strip() for l in traceback.format_exc().splitlines() if "soak.py" in l]
            errors.append(f"client {i}: {e!r} at {where[-1] if where else '?'}")
            stop.set()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(a.clients)]
    for t in threads:
        t.start()
    samples, start = [], time.time()
    print(f"{'t(s)':>6} {'rss(KB)':>9} {'fds':>5} {'sessions':>8} {'streams':>7} {'unacked':>7}")
    while time.time() - start < a.seconds and not stop.is_set():
        time.sleep(max(0.0, min(sample_every, a.seconds - (time.time() - start))))
        m = scrape(host, port)
        row = (time.time() - start, server.rss_kb(), fds_of(server.proc.pid),
               m.get('mcp_sessions{kind="streamable"}', -1), m.get("mcp_sse_streams_open", -1),
               m.get("mcp_sse_events_unacknowledged", -1))
        samples.append(row)
        print(f"{row[0]:6.0f} {row[1]:9d} {row[2]:5d} {row[3]:8.0f} {row[4]:7.0f} {row[5]:7.0f}",
              flush=True)
    stop.set()
    for t in threads:
        t.join(60)

    # Every session cleaned up: no session, stream or queued event left; descriptors back
    # to what the idle server had.
    sessions_key = 'mcp_sessions{kind="streamable"}'
    deadline, m, fds = time.time() + 15, {}, -1
    while time.time() < deadline:
        m, fds = scrape(host, port), fds_of(server.proc.pid)
        if (m.get(sessions_key) == 0 and m.get("mcp_sse_streams_open") == 0
                and m.get("mcp_sse_events_unacknowledged") == 0 and fds <= base_fds):
            break
        time.sleep(0.2)
    else:
        errors.append(f"not cleaned up: sessions {m.get(sessions_key)}, "
                      f"streams {m.get('mcp_sse_streams_open')}, unacked "
                      f"{m.get('mcp_sse_events_unacknowledged')}, fds {fds} (idle {base_fds})")
    # Flat: after the first quarter (warm-up), the last quarter's RSS is within 10% (and
    # 8 MB) of the second quarter's. Judged only on runs long enough to mean something.
    steady = samples[len(samples) // 4:]
    if a.seconds >= 120 and len(steady) >= 8:
        half = len(steady) // 2
        early = sum(s[1] for s in steady[:half]) / half
        late = sum(s[1] for s in steady[half:]) / (len(steady) - half)
        growth = late - early
        print(f"soak: RSS steady state {early:.0f} KB -> {late:.0f} KB ({growth:+.0f} KB)")
        if growth > max(0.10 * early, 8 * 1024):
            errors.append(f"RSS grew {growth:.0f} KB in steady state")
        max_fds = max(s[2] for s in steady)
        print(f"soak: descriptors at most {max_fds} (idle {base_fds})")
    server.stop()
    counts = ", ".join(f"{k} {v}" for k, v in sorted(stats.counts.items()))
    print(f"soak: {counts}")
    if samples:
        print(f"soak: rss {samples[0][1]}..{max(s[1] for s in samples)} KB, "
              f"fds {min(s[2] for s in samples)}..{max(s[2] for s in samples)}")
    for e in errors:
        print(f"soak: FAIL {e}")
    print("soak: " + ("passed" if not errors else "failed"))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
