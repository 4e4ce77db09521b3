"""Instances of a cluster killed and restarted at random under load. Clients call a tool
that streams progress, through nginx, for `--seconds`; every few seconds one instance is
SIGKILLed (or, one time in three, stopped with SIGTERM) and started again a second later.

What must hold: no session is ever lost (no 404: clients never re-initialize); every call
ends with exactly one answer (a result, or a JSON-RPC error for a call that died with its
instance) or a refused POST (an HTTP error before any stream: the call never started as far
as the client knows); a cut stream resumed with Last-Event-ID never repeats or skips a
progress step.

    python3 tests/cluster/chaos_test.py --bin build/examples/everything_server [--seconds 30]
"""
import argparse
import http.client
import json
import os
import random
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_test import Deployment, EventReader, Failure, Session  # noqa: E402

PATIENCE_S = 20  # longer than a lease (3 s) plus a restart


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.violations = []

    def add(self, name, n=1):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + n

    def violation(self, what):
        with self.lock:
            self.violations.append(what)


def read_events(reader, events, ids):
    """Reads a stream until it ends or breaks: messages into `events`, every event id
    (priming events' too) into `ids`."""
    try:
        while True:
            e = reader.next()
            if e is None:
                return
            if e[0]:
                ids.append(e[0])
            if e[1]:
                events.append((e[0], json.loads(e[1])))
    except (OSError, http.client.HTTPException, ValueError):
        return


def one_call(port, s, stats):
    try:
        conn, r, id_ = s.post(port, "tools/call", {"name": "slow_progress", "arguments": {"seconds": 1},
                                                   "_meta": {"progressToken": "c"}})
    except (OSError, http.client.HTTPException):
        stats.add("post refused (connection)")
        time.sleep(0.05)
        return
    if r.status == 404:
        stats.violation(f"session {s.sid} lost (404 on POST)")
        return
    if r.status != 200:
        r.read()
        conn.close()
        stats.add(f"post refused ({r.status})")
        time.sleep(0.05)  # as a client backs off
        return
    events, ids = [], []
    read_events(EventReader(r), events, ids)
    conn.close()
    deadline = time.time() + PATIENCE_S
    tried = []  # what each resumption got, for the report of a failure
    while not any(m.get("id") == id_ for _, m in events):
        if not ids:
            # Cut before its first event (even the priming one): nothing names a place to
            # resume from, as on a single server; the client sees a failed call.
            stats.add("streams cut before any event")
            return
        last = ids[-1]
        if time.time() > deadline:
            stats.violation(f"session {s.sid} call {id_}: no answer {PATIENCE_S} s after its stream "
                            f"was cut; ids {ids[-3:]}, resumptions {tried[:5]}...{tried[-5:]}")
            return
        stats.add("resumptions")
        try:
            conn, r = s.send(port, "GET", headers=s.headers({"Accept": "text/event-stream",
                                                              "Last-Event-ID": last}))
        except (OSError, http.client.HTTPException) as e:
            tried.append(type(e).__name__)
            time.sleep(0.2)
            continue
        tried.append(r.status)
        if r.status == 404:
            stats.violation(f"session {s.sid} lost (404 on resume)")
            return
        if r.status != 200:
            r.read()
            conn.close()
            time.sleep(0.2)
            continue
        read_events(EventReader(r), events, ids)
        conn.close()
    answers = [m for _, m in events if m.get("id") == id_]
    steps = [m["params"]["progress"] for _, m in events if m.get("method") == "notifications/progress"]
    if len(answers) != 1:
        stats.violation(f"call {id_}: {len(answers)} answers")
        return
    if steps != list(range(1, len(steps) + 1)):
        stats.violation(f"call {id_}: progress {steps}")
    if "result" in answers[0]:
        stats.add("calls answered")
        if len(steps) != 10:
            stats.violation(f"call {id_}: answered after {len(steps)} of 10 steps")
    else:
        stats.add("calls failed with their instance")


def client(port, stop, stats):
    s = None
    while s is None and not stop.is_set():
        try:
            s = Session().initialize(port)
        except (Failure, OSError, http.client.HTTPException):
            time.sleep(0.2)
    while not stop.is_set():
        one_call(port, s, stats)


def chaos(d, stop, stats, rng):
    while not stop.wait(2.5):
        i = rng.randrange(len(d.servers))
        if rng.random() < 1 / 3:
            d.servers[i].send_signal(signal.SIGTERM)
            d.servers[i].wait(timeout=15)
            stats.add("instances stopped")
        else:
            d.kill_instance(i)
            stats.add("instances killed")
        time.sleep(1)
        d.start_instance(i)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    print(f"chaos: seed {args.seed}", flush=True)
    rng = random.Random(args.seed)
    stats = Stats()
    d = Deployment(args.bin, instances=3).start()
    stop = threading.Event()
    try:
        threads = [threading.Thread(target=client, args=(d.port, stop, stats)) for _ in range(args.clients)]
        threads.append(threading.Thread(target=chaos, args=(d, stop, stats, rng)))
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join(timeout=PATIENCE_S + 30)
    finally:
        d.stop()
    figures = ", ".join(f"{v} {k}" for k, v in sorted(stats.counts.items()))
    if stats.violations or stats.counts.get("calls answered", 0) == 0:
        print(f"FAIL cluster: chaos ({args.seconds:.0f} s, seed {args.seed}): {figures}")
        for v in stats.violations[:20]:
            print(f"  {v}")
        return 1
    print(f"PASS cluster: chaos ({args.seconds:.0f} s, {args.clients} clients, seed {args.seed}): {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
