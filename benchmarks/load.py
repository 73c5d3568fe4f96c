"""Load benchmark of `plan2rdf serve` (not a test, never a CI gate): concurrent clients on loopback.

Starts `plan2rdf serve` (the bundled plan unless SOURCES are given) on a free port, then runs
``--clients`` clients for ``--seconds`` each, every client sending a fixed mix in turn: site pages
(HTML, Turtle by Accept, N-Triples), canned query pages and their CSV, and SPARQL queries (JSON and
CSV). Prints requests per second and p50/p95/max latency per kind and overall, and fails (exit 1)
unless every request was answered 200.

    python benchmarks/load.py                       # 8 clients, 20 s, the bundled plan
    python benchmarks/load.py --clients 16 --max-concurrent 4 dist/
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
SPARQL = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "PREFIX p2r: <https://w3id.org/plan2rdf/ns#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    "SELECT ?id ?title WHERE { ?m a p2r:Measure ; dcterms:identifier ?id ; dcterms:title ?title } ORDER BY ?id",
]
MIX = [  # (kind, path, Accept)
    ("page", "", "text/html"),
    ("page", "fukushima-ict/2021/measure/1-6", "text/html"),
    ("page", "fukushima-ict/2021/measure/2-3", "text/turtle"),
    ("page", "fukushima-ict/2021/measure/3-3.nt", None),
    ("canned", "queries/measures-of-unit?unit=" + urllib.parse.quote("教育庁"), "text/html"),
    ("canned", "queries/department-direction-matrix?format=csv", None),
    ("canned", "queries/keyword-search?format=json", None),
    ("sparql", "sparql?" + urllib.parse.urlencode({"query": SPARQL[0]}), "application/sparql-results+json"),
    ("sparql", "sparql?" + urllib.parse.urlencode({"query": SPARQL[1]}), "text/csv"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(arguments: list[str], port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "plan2rdf", "serve", "--port", str(port), *arguments]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with OPENER.open(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=5):
                return process
        except OSError:
            if process.poll() is not None:
                sys.exit("plan2rdf serve exited before answering")
            time.sleep(0.5)
    process.kill()
    sys.exit("plan2rdf serve did not answer within 300 s")


def client(base: str, until: float, offset: int, times: dict, failures: list) -> None:
    i = offset
    while time.monotonic() < until:
        kind, path, accept = MIX[i % len(MIX)]
        i += 1
        request = urllib.request.Request(base + path, headers={"Accept": accept} if accept else {})
        started = time.perf_counter()
        try:
            with OPENER.open(request, timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            status = str(exc)
        times[kind].append(time.perf_counter() - started)
        if status != 200:
            failures.append((path, status))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def report(times: dict, seconds: float, clients: int) -> None:
    every = [t for values in times.values() for t in values]
    print(f"{clients} clients, {seconds:.0f} s, {len(every)} requests, {len(every) / seconds:.1f} requests/s")
    print(f"{'kind':<8} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in [*sorted(times.items()), ("all", every)]:
        print(
            f"{kind:<8} {len(values):>8} {len(values) / seconds:>7.1f} {statistics.median(values) * 1000:>8.1f} "
            f"{percentile(values, 0.95) * 1000:>8.1f} {max(values) * 1000:>8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-concurrent", type=int, default=2, help="passed to plan2rdf serve")
    args = parser.parse_args()
    port = free_port()
    process = start([*args.sources, "--max-concurrent", str(args.max_concurrent)], port)
    times: dict[str, list[float]] = defaultdict(list)
    failures: list = []
    try:
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(f"http://127.0.0.1:{port}/", until, n, times, failures))
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        process.terminate()
        process.wait(15)
    report(times, args.seconds, args.clients)
    if failures:
        print(f"{len(failures)} requests not answered 200, e.g. {failures[:3]}")
        sys.exit(1)
    print("every request answered 200")


if __name__ == "__main__":
    main()
