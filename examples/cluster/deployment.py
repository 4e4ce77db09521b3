"""An example deployment on 127.0.0.1: Redis, N everything_server instances sharing
sessions through it, and nginx as a round-robin load balancer in front of them.

    python3 examples/cluster/deployment.py --bin build/examples/everything_server
        [--instances 3] [--port 8080] [--no-redis]      (runs until Ctrl-C)

The tests (tests/cluster/cluster_test.py) drive the same class: they kill instances,
restart Redis, and talk to the instances directly or through nginx.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, what, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout} s")


class Deployment:
    def __init__(self, server_bin, instances=3, port=0, redis=True, log_level="warning", extra_args=()):
        self.server_bin = server_bin
        self.extra_args = list(extra_args)
        self.dir = tempfile.mkdtemp(prefix="mcp-cluster-")
        self.port = port or free_port()
        self.redis_port = free_port() if redis else None
        self.instance_ports = [free_port() for _ in range(instances)]
        self.log_level = log_level
        self.redis = None
        self.servers = [None] * instances
        self.nginx = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/mcp"

    def instance_url(self, i):
        return f"http://127.0.0.1:{self.instance_ports[i]}/mcp"

    def start(self):
        if self.redis_port:
            self.start_redis()
        for i in range(len(self.servers)):
            self.start_instance(i)
        self.start_nginx()
        return self

    def start_redis(self):
        self.redis = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "",
             "--appendonly", "no", "--dir", self.dir, "--logfile", os.path.join(self.dir, "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.redis_port, self.redis, "redis-server")

    def stop_redis(self):
        """Stops Redis at once, losing everything it held (no persistence)."""
        self.redis.kill()
        self.redis.wait()

    def start_instance(self, i):
        argv = [self.server_bin, "--port", str(self.instance_ports[i]), "--log-level", self.log_level]
        argv += self.extra_args
        if self.redis_port:
            argv += ["--redis", f"redis://127.0.0.1:{self.redis_port}", "--instance", f"instance-{i}-{time.time_ns()}"]
        log = open(os.path.join(self.dir, f"instance-{i}.log"), "ab")
        self.servers[i] = subprocess.Popen(argv, stdout=log, stderr=log)
        wait_for_port(self.instance_ports[i], self.servers[i], f"instance {i}")

    def kill_instance(self, i):
        """SIGKILL: the instance dies as in a crash, with no chance to clean up."""
        self.servers[i].kill()
        self.servers[i].wait()

    def start_nginx(self):
        upstreams = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in self.instance_ports)
        with open(os.path.join(HERE, "nginx.conf.in")) as f:
            conf = f.read().replace("@DIR@", self.dir).replace("@PORT@", str(self.port))
            conf = conf.replace("@UPSTREAMS@", upstreams)
        path = os.path.join(self.dir, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen([nginx, "-c", path, "-e", os.path.join(self.dir, "nginx-error.log")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.nginx, "nginx")

    def log_of(self, i):
        with open(os.path.join(self.dir, f"instance-{i}.log"), errors="replace") as f:
            return f.read()

    def stop(self):
        for p in [self.nginx] + self.servers:
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in [self.nginx] + self.servers:
            if p is not None:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        if self.redis is not None and self.redis.poll() is None:
            self.redis.kill()
            self.redis.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="build/examples/everything_server")
    ap.add_argument("--instances", type=int, default=3)
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--no-redis", action="store_true", help="stateless 2026-07-28 clients only")
    args = ap.parse_args()
    d = Deployment(args.bin, args.instances, args.port, redis=not args.no_redis, log_level="info").start()
    print(f"MCP endpoint (nginx, round robin): {d.url}")
    for i in range(args.instances):
        print(f"  instance {i}: {d.instance_url(i)}")
    if d.redis_port:
        print(f"  redis: redis://127.0.0.1:{d.redis_port}")
    print(f"  logs: {d.dir}   (Ctrl-C stops everything)", flush=True)
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        d.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    sys.exit(main())
