"""Latency and throughput of ``gklint serve`` for a ~10 KB report.

Usage: python benchmarks/bench_server.py [--requests N] [--clients C] [--threads T] [--format html|txt]
       python benchmarks/bench_server.py --load [--normal 200] [--maximal 4] [-- gklint serve options]

Starts ``python -m gklint serve`` on a free loopback port, then
1. sends N requests one after another, each on a new connection with TCP_NODELAY
   (as curl does): median and 95th-percentile latency (client side, over HTTP) and the
   server's own lint time (``Server-Timing``);
2. sends N requests from C concurrent clients: requests per second.
The issue's target is a median under 20 ms per request.

With ``--load``, instead: the hardening check.  200 requests of real-size reports
(``make_report``) are sent at once together with 4 maximal ones (bodies at the
20 MiB limit), while a prober asks ``/healthz`` every 50 ms and a sampler adds
up the memory of the service and its worker processes every 100 ms.  Printed:
the health latency (every answer must come in under 100 ms), the peak memory
(resident and proportional set size; the bound in docs/performance.md), the
normal requests' median and 95th percentile, and what the maximal ones got.
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


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB of *pid* and its children (Linux ``/proc``)."""
    pids = [pid]
    try:  # workers started again later are children of the thread that started them
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                pids += [int(p) for p in fh.read().split()]
    except OSError:
        pass
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def _send(port: int, body: bytes, name: str) -> tuple[float, int]:
    """(latency s, status) of one request; any status is a result here."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        conn.request("POST", f"/v1/lint?filename={name}", body=body,
                     headers={"Content-Type": "application/octet-stream"})
        response = conn.getresponse()
        response.read()
        status = response.status
    finally:
        conn.close()
    return time.perf_counter() - start, status


def probe(port: int) -> int:
    """Ask /healthz every 50 ms until interrupted; print ``ms <latency>`` or ``bad <reason>`` lines."""
    try:
        while True:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    print(f"bad HTTP {response.status}", flush=True)
            except OSError as exc:
                print(f"bad {exc}", flush=True)
            print(f"ms {(time.perf_counter() - started) * 1000:.2f}", flush=True)
            time.sleep(0.05)
    except KeyboardInterrupt:
        return 0


def load(args: argparse.Namespace) -> int:
    """200 real-size requests and 4 maximal ones at once; health and memory watched throughout."""
    import threading

    normal = make_report(flattening="html").encode("utf-8")
    unit = make_report(flattening="pipes").encode("utf-8")
    limit = 20 * 1024 * 1024
    maximal = (unit * (limit // len(unit) + 1))[:limit]
    port = _port()
    command = [sys.executable, "-m", "gklint", "serve", "--port", str(port), "--isolated", *args.serve_args]
    proc = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    health: list[float] = []
    health_bad: list[str] = []
    samples: list[tuple[int, int]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append(_memory_kib(proc.pid))
            time.sleep(0.1)

    try:
        _wait(port, proc)
        idle = _memory_kib(proc.pid)
        # the prober is a process of its own: in this one it would wait for the clients' threads
        prober = subprocess.Popen([sys.executable, __file__, "--probe", str(port)], stdout=subprocess.PIPE, text=True)
        watchers = [threading.Thread(target=sample)]
        for t in watchers:
            t.start()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.normal + args.maximal) as pool:
            big = [pool.submit(_send, port, maximal, "maximal.txt") for _ in range(args.maximal)]
            time.sleep(0.2)  # the maximal ones first: they hold the workers while the others queue
            small = [pool.submit(_send, port, normal, "report.html") for _ in range(args.normal)]
            small_results = [f.result() for f in small]
            big_results = [f.result() for f in big]
        elapsed = time.perf_counter() - started
        time.sleep(1.0)
        done.set()
        for t in watchers:
            t.join()
        prober.send_signal(signal.SIGINT)
        out, _ = prober.communicate(timeout=30)
        for line in out.splitlines():
            kind, _, value = line.partition(" ")
            if kind == "ms":
                health.append(float(value))
            elif kind == "bad":
                health_bad.append(value)
        after = _memory_kib(proc.pid)
    finally:
        done.set()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()

    latencies = [r[0] * 1000 for r in small_results]
    statuses: dict[int, int] = {}
    for _, status in small_results:
        statuses[status] = statuses.get(status, 0) + 1
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"gklint serve {' '.join(args.serve_args) or '(defaults)'}")
    print(f"load: {args.normal} requests of {len(normal)} bytes and {args.maximal} of {len(maximal)} bytes at once, "
          f"all answered in {elapsed:.1f} s")
    print(f"normal requests: statuses {statuses}; latency median {statistics.median(latencies):.0f} ms, "
          f"p95 {_pct(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms")
    print("maximal requests: " + ", ".join(f"HTTP {status} after {t:.1f} s" for t, status in big_results))
    print(f"/healthz: {len(health)} probes, median {statistics.median(health):.1f} ms, "
          f"p99 {_pct(health, 0.99):.1f} ms, max {max(health):.1f} ms, failures {len(health_bad)}")
    peak_rss = max(s[0] for s in samples) / 1024
    peak_pss = max(s[1] for s in samples) / 1024
    print(f"memory (service + workers): idle RSS {idle[0] / 1024:.0f} MiB (PSS {idle[1] / 1024:.0f}); "
          f"peak RSS {peak_rss:.0f} MiB (PSS {peak_pss:.0f}); "
          f"after RSS {after[0] / 1024:.0f} MiB (PSS {after[1] / 1024:.0f})")
    ok = max(health) < 100 and not health_bad and peak_rss < args.bound_mib
    print(f"health under 100 ms throughout and peak RSS under {args.bound_mib} MiB: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4, help="gklint serve --threads")
    parser.add_argument("--format", choices=("html", "txt"), default="html")
    parser.add_argument("--load", action="store_true", help="the hardening check (see above) instead")
    parser.add_argument("--normal", type=int, default=200, help="with --load: real-size requests")
    parser.add_argument("--maximal", type=int, default=4, help="with --load: requests at the body limit")
    parser.add_argument("--bound-mib", type=int, default=1024, help="with --load: the memory bound to check")
    parser.add_argument("serve_args", nargs="*", help="with --load: more gklint serve options (after --)")
    parser.add_argument("--probe", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        return probe(args.probe)
    if args.load:
        return load(args)

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
