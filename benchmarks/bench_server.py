"""Latency and throughput of ``gklint serve`` for a ~10 KB report.

Usage: python benchmarks/bench_server.py [--requests N] [--clients C] [--threads T] [--format html|txt]

Starts ``python -m gklint serve`` on a free loopback port, then
1. sends N requests one after another, each on a new connection with TCP_NODELAY
   (as curl does): median and 95th-percentile latency (client side, over HTTP) and the
   server's own lint time (``Server-Timing``);
2. sends N requests from C concurrent clients: requests per second.
The issue's target is a median under 20 ms per request.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from gklint.testing import make_report

HOST = "127.0.0.1"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _post(port: int, body: bytes, name: str) -> tuple[float, float, str]:
    """(client latency s, server lint ms, verdict) for one request on a fresh connection."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.connect()
        # as curl does by default: http.client sends headers and body in two writes, and
        # without TCP_NODELAY the body waits for the delayed ACK (~4 ms more on loopback)
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.request("POST", f"/v1/lint?filename={name}", body=body)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        timing = response.getheader("Server-Timing", "lint;dur=nan")
        verdict = response.getheader("X-Gklint-Publishable", "?")
    finally:
        conn.close()
    return time.perf_counter() - start, float(timing.split("dur=")[1]), verdict


def _wait(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gklint serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gklint serve did not come up")


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4, help="gklint serve --threads")
    parser.add_argument("--format", choices=("html", "txt"), default="html")
    args = parser.parse_args(argv)

    broken = {"carried_forward": [2, 0, 0, 0, 0, 0]}  # two GK201 errors: a realistic "not publishable"
    if args.format == "html":
        body, name = make_report(flattening="html", table3=broken).encode("utf-8"), "report.html"
    else:
        body, name = make_report(flattening="pipes", table3=broken).encode("utf-8"), "report.txt"
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "gklint", "serve", "--port", str(port), "--isolated",
                             "--threads", str(args.threads)], stderr=subprocess.DEVNULL)
    try:
        _wait(port, proc)
        for _ in range(20):  # warm up
            _post(port, body, name)
        sequential = [_post(port, body, name) for _ in range(args.requests)]
        latencies = [s[0] * 1000 for s in sequential]
        server = [s[1] for s in sequential]
        assert {s[2] for s in sequential} == {"false"}

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            loaded = list(pool.map(lambda _: _post(port, body, name), range(args.requests)))
        elapsed = time.perf_counter() - started
        assert {s[2] for s in loaded} == {"false"}
        under_load = [s[0] * 1000 for s in loaded]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"gklint serve --threads {args.threads}")
    print(f"document: {name}, {len(body)} bytes, {args.requests} requests")
    print(f"sequential latency: median {statistics.median(latencies):.1f} ms, "
          f"p95 {_pct(latencies, 0.95):.1f} ms (server lint time median {statistics.median(server):.1f} ms)")
    print(f"{args.clients} concurrent clients: {args.requests / elapsed:.1f} requests/s, "
          f"latency median {statistics.median(under_load):.1f} ms, p95 {_pct(under_load, 0.95):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
