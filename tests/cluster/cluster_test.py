"""Several everything_server instances sharing sessions through a real Redis, behind a
real nginx round-robin balancer (examples/cluster). Every check goes over loopback HTTP.

    python3 tests/cluster/cluster_test.py --bin build/examples/everything_server
        [--only NAME] [--interop-dir tests/interop]

Prints one PASS/FAIL line per check; exits non-zero if any failed.
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import time
import traceback
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "examples", "cluster"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from deployment import Deployment  # noqa: E402
from soak import EventReader, number_of, rpc  # noqa: E402

VERSION = "2025-11-25"


class Failure(Exception):
    pass


def port_of(url):
    return urllib.parse.urlparse(url).port


class Session:
    """One MCP session; every request names the port it goes to (an instance, or nginx)."""

    def __init__(self):
        self.sid = None
        self.next_id = 1

    def headers(self, extra=None):
        h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
             "MCP-Protocol-Version": VERSION}
        if self.sid:
            h["Mcp-Session-Id"] = self.sid
        h.update(extra or {})
        return h

    def send(self, port, method, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request(method, "/mcp", body=body, headers=headers or self.headers())
        return c, c.getresponse()

    def initialize(self, port):
        c, r = self.send(port, "POST", rpc(0, "initialize", {
            "protocolVersion": VERSION, "capabilities": {}, "clientInfo": {"name": "cluster-test", "version": "1"}}))
        body = r.read().decode()
        c.close()
        if r.status != 200:
            raise Failure(f"initialize on {port}: {r.status} {body}")
        self.sid = r.getheader("mcp-session-id")
        self.notify(port, "notifications/initialized")
        return self

    def notify(self, port, method):
        c, r = self.send(port, "POST", json.dumps({"jsonrpc": "2.0", "method": method}))
        r.read()
        c.close()
        if r.status != 202:
            raise Failure(f"{method} on {port}: {r.status}")

    def post(self, port, method, params=None):
        """Sends a request; returns (connection, response, id) with the stream unread."""
        self.next_id += 1
        c, r = self.send(port, "POST", rpc(self.next_id, method, params))
        return c, r, self.next_id

    def call(self, port, method, params=None):
        """A request answered in full: (result, notifications)."""
        c, r, id_ = self.post(port, method, params)
        if r.status != 200:
            raise Failure(f"{method} on {port}: {r.status} {r.read().decode()[:300]}")
        events = read_all(EventReader(r))
        c.close()
        answers = [m for _, m in events if m.get("id") == id_]
        if len(answers) != 1 or "result" not in answers[0]:
            raise Failure(f"{method} on {port}: answers {answers}")
        return answers[0]["result"], [m for _, m in events if "method" in m]

    def resume(self, port, last_event_id, patience_s=15):
        """GET with Last-Event-ID; 409 (the old connection is not yet seen gone) and 503
        (the store is busy) are retried, as clients do."""
        deadline = time.time() + patience_s
        while True:
            c, r = self.send(port, "GET", headers=self.headers(
                {"Accept": "text/event-stream", "Last-Event-ID": last_event_id}))
            if r.status == 200 or time.time() > deadline or r.status not in (409, 503):
                return c, r
            r.read()
            c.close()
            time.sleep(0.1)

    def delete(self, port):
        c, r = self.send(port, "DELETE")
        r.read()
        c.close()
        return r.status


def read_all(reader, events=None):
    events = events if events is not None else []
    while True:
        e = reader.next()
        if e is None:
            return events
        event_id, data = e
        if data:
            events.append((event_id, json.loads(data)))


def metric(port, name):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    c.close()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise Failure(f"no {name} in /metrics of {port}")


def check_progress(events, id_, steps):
    """Progress 1..steps exactly once each, in order, then exactly one result."""
    progress = [m["params"]["progress"] for _, m in events if m.get("method") == "notifications/progress"]
    answers = [m for _, m in events if m.get("id") == id_]
    if progress != list(range(1, steps + 1)):
        raise Failure(f"progress {progress}, wanted 1..{steps} once each")
    if len(answers) != 1 or "result" not in answers[0]:
        raise Failure(f"answers: {answers}")


# --- the checks ----------------------------------------------------------------------

def round_robin(d):
    """Sessions used through nginx: every request may land on any instance."""
    relayed_before = sum(metric(p, "mcp_cluster_relayed_total") for p in d.instance_ports)
    for n in range(6):
        s = Session().initialize(d.port)
        for _ in range(n % 3):  # so that the next session starts on another instance
            s.call(d.port, "ping")
        tools, _ = s.call(d.port, "tools/list")
        if not any(t["name"] == "slow_progress" for t in tools["tools"]):
            raise Failure("tools/list misses slow_progress")
        for _ in range(4):
            result, _ = s.call(d.port, "tools/call", {"name": "test_simple_text", "arguments": {}})
            if "simple text" not in result["content"][0]["text"]:
                raise Failure(f"unexpected result {result}")
        _, notes = s.call(d.port, "tools/call", {"name": "slow_progress", "arguments": {"seconds": 0.3},
                                                   "_meta": {"progressToken": "p"}})
        progress = [n["params"]["progress"] for n in notes if n["method"] == "notifications/progress"]
        if not progress or progress != list(range(1, len(progress) + 1)):
            raise Failure(f"progress through nginx: {notes}")
        if s.delete(d.port) != 200:
            raise Failure("DELETE through nginx")
    relayed = sum(metric(p, "mcp_cluster_relayed_total") for p in d.instance_ports) - relayed_before
    served = [metric(p, "mcp_requests_total") for p in d.instance_ports]
    # Round robin over 3 instances: about 2 requests in 3 reach an instance that does not
    # run their session.
    if relayed < 30 or sorted(served)[1] == 0:
        raise Failure(f"requests were not spread: relayed {relayed}, served per instance {served}")
    return f"6 sessions, 60 requests through nginx; {relayed:.0f} relayed; tool calls run per instance {served}"


def holder_killed(d):
    """The instance holding the client's stream dies mid-call; the session's instance keeps
    running the call; the client resumes through a third instance and misses nothing."""
    a, b, c = d.instance_ports
    s = Session().initialize(a)  # instance 0 runs the session
    conn, r, id_ = s.post(b, "tools/call", {"name": "slow_progress", "arguments": {"seconds": 2},
                                            "_meta": {"progressToken": "k"}})
    if r.status != 200:
        raise Failure(f"POST through instance 1: {r.status}")
    reader, events = EventReader(r), []
    while len(events) < 5:
        event_id, data = reader.next()
        if data:
            events.append((event_id, json.loads(data)))
    d.kill_instance(1)
    conn.close()
    last = events[-1][0]
    conn, r = s.resume(c, last)
    if r.status != 200:
        raise Failure(f"resume through instance 2: {r.status} {r.read().decode()[:200]}")
    read_all(EventReader(r), events)
    conn.close()
    check_progress(events, id_, 20)
    numbers = [number_of(e) for e, _ in events]
    if numbers != sorted(set(numbers)):
        raise Failure(f"event ids repeat or go back: {numbers}")
    d.start_instance(1)
    return f"killed after event {last}; resumed through instance 2: 20 progress + 1 result, none twice"


def owner_killed(d):
    """The instance running the session dies: the next request makes another instance take
    the session over from Redis; the GET stream resumes there with nothing lost."""
    a, b, c = d.instance_ports
    s = Session().initialize(a)
    get, r = s.send(b, "GET", headers=s.headers({"Accept": "text/event-stream"}))
    if r.status != 200:
        raise Failure(f"GET stream through instance 1: {r.status}")
    stream = EventReader(r)
    s.call(c, "resources/subscribe", {"uri": "test://watched-resource"})
    s.call(b, "tools/call", {"name": "touch_resource", "arguments": {"uri": "test://watched-resource"}})
    first = read_all_until(stream, 1)
    # A call running on instance 0 when it dies.
    running, call, call_id = s.post(a, "tools/call", {"name": "slow_progress", "arguments": {"seconds": 3},
                                                      "_meta": {"progressToken": "o"}})
    progress = read_all_until(EventReader(call), 3)
    d.kill_instance(0)
    running.close()
    # The relay on instance 1 ends the GET stream once instance 0's lease lapses.
    rest = read_all(stream)
    get.close()
    taken = time.time()
    result, _ = s.call(b, "tools/call", {"name": "test_simple_text", "arguments": {}})
    # An update while the session runs on its new instance waits in the GET stream's log.
    s.call(c, "tools/call", {"name": "touch_resource", "arguments": {"uri": "test://watched-resource"}})
    last = (first + rest)[-1][0]
    conn, r = s.resume(c, last)
    if r.status != 200:
        raise Failure(f"GET resume after takeover: {r.status} {r.read().decode()[:200]}")
    more = read_all_until(EventReader(r), 1)
    conn.close()
    updates = [m for _, m in first + rest + more if m.get("method") == "notifications/resources/updated"]
    if len(updates) != 2:
        raise Failure(f"updates: {updates}")
    # The call that died with instance 0: its stream, resumed, replays what was logged and
    # then its one answer, an error.
    conn, r = s.resume(c, progress[-1][0])
    if r.status != 200:
        raise Failure(f"resume of the call's stream: {r.status}")
    after = read_all(EventReader(r))
    conn.close()
    answers = [m for _, m in progress + after if m.get("id") == call_id]
    steps = [m["params"]["progress"] for _, m in progress + after if m.get("method") == "notifications/progress"]
    if len(answers) != 1 or "error" not in answers[0] or steps != list(range(1, len(steps) + 1)):
        raise Failure(f"the orphaned call: answers {answers}, progress {steps}")
    takeovers = metric(b, "mcp_cluster_takeovers_total") + metric(c, "mcp_cluster_takeovers_total")
    if takeovers < 1:
        raise Failure("no takeover was counted")
    d.start_instance(0)
    return (f"session taken over in {time.time() - taken:.2f} s; 2 updates once each across the takeover; "
            f"the call running there answered once, with '{answers[0]['error']['message']}'")


def read_all_until(reader, count):
    events = []
    while len(events) < count:
        e = reader.next()
        if e is None:
            raise Failure(f"stream ended after {len(events)} of {count} events")
        if e[1]:
            events.append((e[0], json.loads(e[1])))
    return events


def legacy_across_instances(d):
    """HTTP+SSE (2024-11-05): the stream is on one instance, the POSTs land on the others,
    the replies arrive on the stream."""
    a, b, c = d.instance_ports
    conn = http.client.HTTPConnection("127.0.0.1", a, timeout=30)
    conn.request("GET", "/sse", headers={"Accept": "text/event-stream"})
    r = conn.getresponse()
    reader = EventReader(r)
    # The endpoint event (no id) names the URL for POSTs.
    line = b""
    while not line.startswith(b"data:"):
        line = r.readline()
    endpoint = line.decode().split(":", 1)[1].strip()
    init = rpc(0, "initialize", {"protocolVersion": "2024-11-05", "capabilities": {},
                                 "clientInfo": {"name": "legacy", "version": "1"}})
    bodies = [init, json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"})]
    bodies += [rpc(i, "tools/call", {"name": "test_simple_text", "arguments": {}}) for i in range(1, 5)]
    for n, body in enumerate(bodies):
        port = (b, c)[n % 2]
        post = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        post.request("POST", endpoint, body=body, headers={"Content-Type": "application/json"})
        pr = post.getresponse()
        pr.read()
        post.close()
        if pr.status != 202:
            raise Failure(f"legacy POST through {port}: {pr.status}")
    answers = [json.loads(data) for _, data in (reader.next() for _ in range(5))]
    conn.close()
    if sorted(m["id"] for m in answers) != [0, 1, 2, 3, 4] or any("result" not in m for m in answers):
        raise Failure(f"legacy answers: {answers}")
    return "stream on instance 0, 6 POSTs through instances 1 and 2, 5 answers on the stream"


def graceful_stop(d):
    """SIGTERM (a rolling deploy): the call running on the stopping instance finishes there;
    its sessions are handed over, not ended: the client resumes its GET stream through
    another instance and goes on without initializing again."""
    a, b, c = d.instance_ports
    s = Session().initialize(a)
    get, r = s.send(b, "GET", headers=s.headers({"Accept": "text/event-stream"}))
    if r.status != 200:
        raise Failure(f"GET stream through instance 1: {r.status}")
    s.call(c, "resources/subscribe", {"uri": "test://watched-resource"})
    conn, call, id_ = s.post(a, "tools/call", {"name": "slow_progress", "arguments": {"seconds": 1},
                                               "_meta": {"progressToken": "g"}})
    events = read_all_until(EventReader(call), 2)
    d.servers[0].terminate()
    events = read_all(EventReader(call), events)
    conn.close()
    check_progress(events, id_, 10)
    stream = read_all(EventReader(r))  # closed by the handover
    get.close()
    d.servers[0].wait(timeout=15)
    s.call(c, "tools/call", {"name": "touch_resource", "arguments": {"uri": "test://watched-resource"}})
    last = stream[-1][0] if stream else "0-0"
    conn, r = s.resume(b, last) if stream else s.send(b, "GET", headers=s.headers({"Accept": "text/event-stream"}))
    if r.status != 200:
        raise Failure(f"GET after the handover: {r.status} {r.read().decode()[:200]}")
    update = read_all_until(EventReader(r), 1)
    conn.close()
    if update[0][1].get("method") != "notifications/resources/updated":
        raise Failure(f"after the handover: {update}")
    d.start_instance(0)
    return "the running call finished on the stopping instance; the session went on elsewhere"


def redis_restart(d):
    """Redis goes away: requests that need it get a clear 503; Redis comes back empty: the
    instances write their sessions again and everything works."""
    a, b, _ = d.instance_ports
    s = Session().initialize(a)
    s.call(b, "tools/list")
    d.stop_redis()
    try:
        return redis_down(d, s)
    finally:
        if d.redis.poll() is not None:
            d.start_redis()


def redis_down(d, s):
    a, b, _ = d.instance_ports
    time.sleep(0.5)
    c, r, _ = s.post(b, "tools/list")
    body = r.read().decode()
    c.close()
    # Either the relay could not be sent, or it was and its owner cannot be reached.
    if r.status != 503 or ("store" not in body and "cannot be reached" not in body):
        raise Failure(f"relayed request with Redis down: {r.status} {body[:200]}")
    fresh = Session()
    c, r = fresh.send(a, "POST", rpc(0, "initialize", {
        "protocolVersion": VERSION, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}))
    body = r.read().decode()
    c.close()
    if r.status != 503 or "store" not in body:
        raise Failure(f"initialize with Redis down: {r.status} {body[:200]}")
    s.call(a, "tools/list")  # the session's own instance still serves it
    d.start_redis()
    deadline, last_error = time.time() + 15, None
    while time.time() < deadline:
        try:
            s.call(b, "tools/list")
            Session().initialize(b).call(a, "tools/list")
            return f"503 '{json.loads(body)['error']['message']}' while down; recovered"
        except Failure as e:
            last_error = e
            time.sleep(0.2)
    raise Failure(f"no recovery 15 s after Redis came back: {last_error}")


def ts_sdk_through_nginx(d, interop_dir, node):
    """The official TypeScript SDK client, its whole streamable suite, through nginx."""
    env = dict(os.environ, MCP_BASE=f"http://127.0.0.1:{d.port}", MCP_URL=d.url)
    p = subprocess.run([node, "ts-client.mjs", "streamable"], cwd=interop_dir, env=env,
                       capture_output=True, text=True, timeout=300)
    passed = p.stdout.count("PASS ")
    if p.returncode != 0 or "FAIL" in p.stdout or passed == 0:
        raise Failure(f"TypeScript SDK client through nginx:\n{p.stdout}\n{p.stderr}")
    return f"{passed}/{passed} TypeScript SDK client checks through nginx round robin"


def stateless_without_redis(server_bin):
    """2026-07-28 requests carry everything: instances need nothing shared."""
    d = Deployment(server_bin, instances=2, redis=False).start()
    try:
        for i in range(10):
            params = {"name": "test_simple_text", "arguments": {},
                      "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                                "io.modelcontextprotocol/clientCapabilities": {}}}
            c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
            c.request("POST", "/mcp", body=rpc(i, "tools/call", params), headers={
                "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
                "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "test_simple_text"})
            r = c.getresponse()
            body = r.read().decode()
            c.close()
            if r.status != 200 or "simple text" not in body:
                raise Failure(f"stateless call {i}: {r.status} {body[:200]}")
        served = [metric(p, "mcp_requests_total") for p in d.instance_ports]
        if min(served) == 0:
            raise Failure(f"not spread: {served}")
        return f"10 stateless calls through nginx over 2 instances with no Redis; handled {served}"
    finally:
        d.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--interop-dir", default=os.path.join(ROOT, "tests", "interop"))
    ap.add_argument("--node", default="node")
    ap.add_argument("--only")
    args = ap.parse_args()
    checks = [("round robin", round_robin), ("holder killed mid-stream", holder_killed),
              ("legacy HTTP+SSE across instances", legacy_across_instances),
              ("owner killed", owner_killed), ("graceful stop", graceful_stop),
              ("redis restart", redis_restart),
              ("TypeScript SDK through nginx", lambda d: ts_sdk_through_nginx(d, args.interop_dir, args.node))]
    failed = 0
    d = Deployment(args.bin, instances=3).start()
    try:
        for name, check in checks:
            if args.only and args.only != name:
                continue
            try:
                print(f"PASS cluster: {name}: {check(d)}", flush=True)
            except Exception as e:  # noqa: BLE001 - every failure is reported, then the next check
                failed += 1
                print(f"FAIL cluster: {name}: {e}\n{traceback.format_exc()}", flush=True)
                for i in range(3):
                    print(f"--- instance {i} log (tail)\n{d.log_of(i)[-2000:]}")
    finally:
        d.stop()
    if not args.only or args.only == "stateless":
        try:
            print(f"PASS cluster: stateless without Redis: {stateless_without_redis(args.bin)}", flush=True)
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"FAIL cluster: stateless without Redis: {e}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
